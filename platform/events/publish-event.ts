/**
 * Publishing a domain event: a row in `events.outbox`, written with the
 * caller's transaction, and a NOTIFY that wakes the readers once that
 * transaction has committed. A rolled-back change publishes nothing and
 * wakes no one.
 *
 * The topic must be declared (platform/events/topics/) and the payload must
 * match its schema: a bad event fails here, in the producer's transaction,
 * with an error naming every offending field.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { namedStatement } from '../database/named-statements.js';
import { encodeCursor } from './event-cursor.js';
import { checkEventPayload } from './topic-registry.js';
import './topics/index.js';
import { relayWakeup } from './wakeup-relay.js';

export const EVENTS_CHANNEL = 'bheem_events';
const PUBLISH_STATEMENT = namedStatement('bheem_events_publish');

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

export async function publishEvent<Payload extends object>(trx: Transaction<any> | Kysely<any>, event: DomainEvent<Payload>): Promise<PublishedRef> {
  checkEventPayload(event.topic, event.payload);
  if (!event.key) throw new Error(`An event of topic "${event.topic}" needs the key of its entity`);
  // A named statement on the pool's connections: planned once per session, not on every publish.
  const result = await sql<{ id: string; position: string; txid: string; database: string; port: number }>`${sql.raw(PUBLISH_STATEMENT)}
    INSERT INTO events.outbox (topic, company_id, entity_key, payload, source)
    VALUES (${event.topic}, ${event.companyId}, ${event.key}, ${JSON.stringify(event.payload)}::jsonb, ${event.source})
    RETURNING id, position::text AS position, txid::text AS txid, current_database() AS database, inet_server_port() AS port`.execute(trx);
  const row = result.rows[0]!;
  // The wake-up only names the topic (the payload stays in the table: far below NOTIFY's 8000 bytes).
  // It is sent after the commit by the relay (wakeup-relay.ts: a NOTIFY here would serialise commits),
  // and in the transaction only when this process has no pool of its own to the database.
  if (!relayWakeup(EVENTS_CHANNEL, row.database, row.port, row.txid, event.topic, !trx.isTransaction)) {
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${event.topic})`.execute(trx);
  }
  return { id: row.id, position: row.position, cursor: encodeCursor({ txid: row.txid, position: row.position }) };
}

/**
 * Many events in one INSERT (in the given order), for producers that write
 * in batches: one round trip instead of one per event. Same checks and
 * wake-ups as publishEvent (one wake-up per topic).
 */
export async function publishEvents(trx: Transaction<any> | Kysely<any>, events: readonly DomainEvent<object>[]): Promise<PublishedRef[]> {
  if (events.length === 0) return [];
  for (const event of events) {
    checkEventPayload(event.topic, event.payload);
    if (!event.key) throw new Error(`An event of topic "${event.topic}" needs the key of its entity`);
  }
  const values = events.map((event) => sql`(${event.topic}, ${event.companyId}::uuid, ${event.key}, ${JSON.stringify(event.payload)}::jsonb, ${event.source})`);
  const result = await sql<{ id: string; position: string; txid: string; database: string; port: number }>`
    INSERT INTO events.outbox (topic, company_id, entity_key, payload, source)
    VALUES ${sql.join(values)}
    RETURNING id, position::text AS position, txid::text AS txid, current_database() AS database, inet_server_port() AS port`.execute(trx);
  const rows = [...result.rows].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  const first = rows[0]!;
  for (const topic of new Set(events.map((event) => event.topic))) {
    if (!relayWakeup(EVENTS_CHANNEL, first.database, first.port, first.txid, topic, !trx.isTransaction)) await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${topic})`.execute(trx);
  }
  return rows.map((row) => ({ id: row.id, position: row.position, cursor: encodeCursor({ txid: row.txid, position: row.position }) }));
}
