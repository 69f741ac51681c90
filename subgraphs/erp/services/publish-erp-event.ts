/** publishEvent with erp's topics and payload types (../events.ts), so a payload cannot drift from its contract. */
import type { Transaction } from 'kysely';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { ErpDatabase } from '../database.js';
import { ERP_EVENT_SOURCE, type ErpEventPayloads, type ErpTopic } from '../events.js';

export async function publishErpEvent<Topic extends ErpTopic>(trx: Transaction<ErpDatabase>, topic: Topic, key: string, payload: ErpEventPayloads[Topic]): Promise<void> {
  await publishEvent(trx, { topic, companyId: payload.company_id, key, payload: { ...payload }, source: ERP_EVENT_SOURCE });
}
