/** An event as consumers and live subscribers receive it: a committed outbox row. */
import { encodeCursor } from './event-cursor.js';

export interface PublishedEvent<Payload = unknown> {
  /** The event id: the dedupe key of every consumer. */
  id: string;
  topic: string;
  companyId: string;
  /** The entity the event is about, e.g. a task id. */
  key: string;
  payload: Payload;
  /** The publishing subgraph, or the outside sender. */
  source: string;
  createdAt: Date;
  /** The outbox row's position (bigserial): unique, but not the order of delivery. */
  position: string;
  /** Where this event is in the stream: resume with `after: cursor` (see event-cursor.ts). */
  cursor: string;
}

/** The outbox columns every read selects. */
export interface OutboxRow {
  position: string;
  txid: string;
  id: string;
  topic: string;
  company_id: string;
  entity_key: string;
  payload: unknown;
  source: string;
  created_at: Date;
}

export function toPublishedEvent(row: OutboxRow): PublishedEvent {
  return {
    id: row.id,
    topic: row.topic,
    companyId: row.company_id,
    key: row.entity_key,
    payload: row.payload,
    source: row.source,
    createdAt: row.created_at,
    position: row.position,
    cursor: encodeCursor({ txid: row.txid, position: row.position }),
  };
}
