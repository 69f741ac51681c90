/**
 * Publishing a domain event: a row in `events.outbox`, written with the
 * caller's transaction, and a NOTIFY that PostgreSQL delivers only on commit.
 * A rolled-back change therefore publishes nothing.
 *
 * The topic must be declared (platform/events/topics/) and the payload must
 * match its schema: a bad event fails here, in the producer's transaction,
 * with an error naming every offending field.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { encodeCursor } from './event-cursor.js';
import { checkEventPayload } from './topic-registry.js';
import './topics/index.js';

export const EVENTS_CHANNEL = 'bheem_events';

export interface DomainEvent<Payload extends object = Record<string, unknown>> {
  topic: string;
  companyId: string;
  /** The entity the event is about, e.g. a task id. */
  key: string;
  payload: Payload;
  /** The publishing subgraph. */
  source: string;
}

export interface PublishedRef {
  id: string;
  position: string;
  /** The event's place in the stream (see event-cursor.ts). */
  cursor: string;
}

export async function publishEvent<Payload extends object>(
  trx: Transaction<any> | Kysely<any>,
  event: DomainEvent<Payload>,
): Promise<PublishedRef> {
  checkEventPayload(event.topic, event.payload);
  if (!event.key) throw new Error(`An event of topic "${event.topic}" needs the key of its entity`);
  // One statement: the row, and a notification that only says which topic to look at (the payload
  // stays in the table; one transaction's notifications of a topic fold into one; far below 8000 bytes).
  const result = await sql<{ id: string; position: string; txid: string }>`
    WITH event AS (
      INSERT INTO events.outbox (topic, company_id, entity_key, payload, source)
      VALUES (${event.topic}, ${event.companyId}, ${event.key}, ${JSON.stringify(event.payload)}::jsonb, ${event.source})
      RETURNING id, position, txid, topic
    )
    SELECT id, position::text AS position, txid::text AS txid, pg_notify(${EVENTS_CHANNEL}, topic) FROM event`.execute(trx);
  const row = result.rows[0]!;
  return { id: row.id, position: row.position, cursor: encodeCursor({ txid: row.txid, position: row.position }) };
}
