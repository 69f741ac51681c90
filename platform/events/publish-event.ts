/**
 * Publishing a domain event: a row in `events.outbox`, written with the
 * caller's transaction, and a NOTIFY that PostgreSQL delivers only on commit.
 * A rolled-back change therefore publishes nothing.
 */
import { sql, type Kysely, type Transaction } from 'kysely';

export const EVENTS_CHANNEL = 'bheem_events';

export interface DomainEvent<Payload = Record<string, unknown>> {
  topic: string;
  companyId: string;
  /** The entity the event is about, e.g. a task id. */
  key: string;
  payload: Payload;
  /** The publishing subgraph. */
  source: string;
}

export async function publishEvent(trx: Transaction<any> | Kysely<any>, event: DomainEvent): Promise<{ id: string; position: string }> {
  const result = await sql<{ id: string; position: string }>`
    INSERT INTO events.outbox (topic, company_id, entity_key, payload, source)
    VALUES (${event.topic}, ${event.companyId}, ${event.key}, ${JSON.stringify(event.payload)}::jsonb, ${event.source})
    RETURNING id, position`.execute(trx);
  const row = result.rows[0]!;
  // The payload stays in the table; the notification only says "look" (and where).
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${row.position})`.execute(trx);
  return row;
}
