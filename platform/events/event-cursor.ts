/**
 * A position in the event stream: the (txid, position) pair of an outbox
 * row. Consumers read in this order, and only below the oldest transaction
 * still running, so that a row can never appear behind a cursor that has
 * passed it (README.md, "Ordering"). As a string: `<txid>:<position>`.
 */

export interface Cursor {
  /** xid8 of the writing transaction, as a decimal string. */
  txid: string;
  /** The outbox row's bigserial position, as a decimal string. */
  position: string;
}

/** Before every event. */
export const START_CURSOR: Cursor = { txid: '0', position: '0' };

const CURSOR_PATTERN = /^(\d{1,20}):(\d{1,19})$/;

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.txid}:${cursor.position}`;
}

export function decodeCursor(value: string): Cursor {
  const match = CURSOR_PATTERN.exec(value);
  if (!match) throw new Error(`Invalid event cursor "${value}": expected "<txid>:<position>"`);
  return { txid: match[1]!, position: match[2]! };
}

export function compareCursors(a: Cursor, b: Cursor): number {
  const byTxid = BigInt(a.txid) - BigInt(b.txid);
  if (byTxid !== 0n) return byTxid < 0n ? -1 : 1;
  const byPosition = BigInt(a.position) - BigInt(b.position);
  return byPosition === 0n ? 0 : byPosition < 0n ? -1 : 1;
}

export function maxCursor(a: Cursor, b: Cursor): Cursor {
  return compareCursors(a, b) >= 0 ? a : b;
}

/** Everything written by transactions below `horizon` (visibility-horizon.ts) is before this cursor. */
export function horizonCursor(horizon: string): Cursor {
  return { txid: horizon, position: '0' };
}
