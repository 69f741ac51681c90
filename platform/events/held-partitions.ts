/**
 * The partitions one consumer connection holds, with a cursor each: leased
 * and given back as the group's members come and go (partition-leases.ts),
 * moved in memory as events are read, and written to the table now and then
 * (cursors moved past events of no interest) or with a batch's commit.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { loadCursors, saveCursors, touchConsumerGroup } from './consumer-groups.js';
import { compareCursors, maxCursor, type Cursor } from './event-cursor.js';
import { acquirePartitions, countMembers, releasePartition } from './partition-leases.js';

interface HeldPartition {
  /** Everything up to here is handled or of no interest (in memory). */
  cursor: Cursor;
  /** What the table says. */
  saved: Cursor;
  /** A failed event waits for its retry until then. */
  retryAt: number;
}

/** How often a process tells the table its group is alive (for pruning, prune-events.ts). */
const SEEN_INTERVAL_MS = 60_000;

export class HeldPartitions {
  private readonly held = new Map<number, HeldPartition>();
  private nextSeen = 0;

  constructor(
    private readonly group: string,
    private readonly key: number,
    private readonly partitionCount: number,
    private readonly log: Logger,
  ) {}

  numbers(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The leases went with the connection. */
  clear(): void {
    this.held.clear();
  }

  /** Partitions not waiting for a retry, with their cursors. */
  ready(now: number): Map<number, Cursor> {
    const ready = new Map<number, Cursor>();
    for (const [partition, state] of this.held) if (state.retryAt <= now) ready.set(partition, state.cursor);
    return ready;
  }

  /** The earliest retry still to come, or Infinity. */
  nextRetryAt(now: number): number {
    let next = Infinity;
    for (const state of this.held.values()) if (state.retryAt > now) next = Math.min(next, state.retryAt);
    return next;
  }

  /** A batch committed these cursors. */
  committed(cursors: Map<number, Cursor>): void {
    for (const [partition, cursor] of cursors) {
      const state = this.held.get(partition);
      if (state) state.cursor = state.saved = cursor;
    }
  }

  /** Everything up to `cursor` was seen (in memory only): partitions not waiting move there. */
  seen(partitions: Iterable<number>, cursor: Cursor, waiting: Map<number, number>): void {
    for (const partition of partitions) {
      const state = this.held.get(partition);
      if (state && !waiting.has(partition)) state.cursor = maxCursor(state.cursor, cursor);
    }
  }

  waitUntil(waiting: Map<number, number>): void {
    for (const [partition, retryAt] of waiting) {
      const state = this.held.get(partition);
      if (state) state.retryAt = retryAt;
    }
  }

  /** Holds the fair share of partitions, ceil(partitions / members); true when it took new ones. */
  async rebalance(db: Kysely<any>): Promise<boolean> {
    if (Date.now() >= this.nextSeen) {
      this.nextSeen = Date.now() + SEEN_INTERVAL_MS;
      await touchConsumerGroup(db, this.group);
    }
    const members = await countMembers(db, this.key);
    const fairShare = Math.ceil(this.partitionCount / Math.max(1, members));
    if (this.held.size > fairShare) {
      const extra = this.numbers().slice(fairShare);
      await this.flush(db, extra);
      for (const partition of extra) {
        await releasePartition(db, this.key, partition);
        this.held.delete(partition);
      }
      this.log.debug({ released: extra, members }, 'released partitions to other members');
      return false;
    }
    if (this.held.size === fairShare) return false;
    const acquired = await acquirePartitions(db, {
      key: this.key,
      partitions: this.partitionCount,
      held: this.numbers(),
      wanted: fairShare - this.held.size,
      offset: randomInt(this.partitionCount),
    });
    if (acquired.length === 0) return false;
    const cursors = await loadCursors(db, this.group, acquired);
    for (const [partition, cursor] of cursors) this.held.set(partition, { cursor, saved: cursor, retryAt: 0 });
    this.log.debug({ acquired, members }, 'leased partitions');
    return true;
  }

  /** Cursors moved past events of no interest are written now and then, not on every read. */
  async flush(db: Kysely<any>, partitions = this.numbers()): Promise<void> {
    const moved = new Map<number, Cursor>();
    for (const partition of partitions) {
      const state = this.held.get(partition);
      if (state && compareCursors(state.cursor, state.saved) > 0) moved.set(partition, state.cursor);
    }
    if (moved.size === 0) return;
    await saveCursors(db, this.group, moved);
    for (const [partition, cursor] of moved) this.held.get(partition)!.saved = cursor;
  }
}
