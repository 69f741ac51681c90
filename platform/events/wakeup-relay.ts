/**
 * Wake-ups sent after the commit, outside the publishing transaction.
 *
 * A NOTIFY inside a transaction makes its commit take a cluster-wide lock
 * that is held through the commit's WAL flush: every transaction that
 * notifies commits alone, one disk flush each, and one-event transactions
 * top out at a few hundred per second. So publishEvent does not notify in
 * the caller's transaction: it hands (transaction id, topic) to this relay,
 * which asks PostgreSQL which of those transactions have committed
 * (`pg_xact_status`) and sends one NOTIFY per topic for them, from a
 * connection of its own, in the same statement (a transaction without an
 * id: nothing to flush). Rolled-back transactions wake no one. If the relay
 * cannot send (or the process dies first), readers still find the events on
 * their next poll.
 *
 * A round waits MIN_INTERVAL_MS after the event only while no transaction
 * of this process commits: a COMMIT run through Kysely here (seen with
 * observeQueries) may be the publisher's, so the round comes as soon as the
 * rate allows (MIN_INTERVAL_MS after the last round began). A sparse event
 * is then woken about a round trip after its commit instead of 10 ms after
 * its INSERT; a busy process still runs one round per MIN_INTERVAL_MS.
 */
import type pg from 'pg';
import { findPool } from '../database/connection.js';
import { observeQueries } from '../database/query-observer.js';

/** A round of status checks and wake-ups at most this often, per database and process (readers then read bigger batches: README.md)... */
const MIN_INTERVAL_MS = 10;
/** ...and less often while the only transactions left are long ones. */
const MAX_INTERVAL_MS = 200;

class WakeupRelay {
  /** Topics by publishing transaction, until it ends. */
  private readonly waiting = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  private running = false;
  private interval = MIN_INTERVAL_MS;
  private lastRoundAt = 0;
  /** A commit was seen during a round: the next one comes at the minimal interval. */
  private commitDuringRound = false;

  constructor(
    private readonly channel: string,
    private readonly database: string,
    private readonly port: number,
  ) {}

  add(txid: string, topic: string): void {
    let topics = this.waiting.get(txid);
    if (!topics) this.waiting.set(txid, (topics = new Set()));
    topics.add(topic);
    this.interval = MIN_INTERVAL_MS;
    // A round put off for a long transaction comes sooner for this new one.
    if (this.timer && this.timerDueAt > Date.now() + MIN_INTERVAL_MS) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.arm();
  }

  /** A transaction of this process committed: perhaps one of those waiting, so a round as soon as the rate allows. */
  committed(): void {
    if (this.waiting.size === 0) return;
    this.interval = MIN_INTERVAL_MS;
    if (this.running) {
      this.commitDuringRound = true;
      return;
    }
    const delay = Math.max(0, this.lastRoundAt + MIN_INTERVAL_MS - Date.now());
    if (this.timer && this.timerDueAt <= Date.now() + delay) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.arm(delay);
  }

  private arm(delay = this.interval): void {
    if (this.timer || this.running || this.waiting.size === 0) return;
    this.timerDueAt = Date.now() + delay;
    this.timer = setTimeout(() => void this.round(), delay);
    this.timer.unref(); // a pending wake-up never keeps a process alive
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    this.lastRoundAt = Date.now();
    this.commitDuringRound = false;
    const pool: pg.Pool | undefined = findPool(this.database, this.port);
    if (!pool) {
      this.waiting.clear();
      return;
    }
    const txids = [...this.waiting.keys()];
    const pairs = txids.flatMap((txid) => [...this.waiting.get(txid)!].map((topic) => [txid, topic] as const));
    this.running = true;
    try {
      // One statement: which transactions ended, and a notification per topic of those that committed.
      const { rows } = await pool.query<{ txid: string; status: string | null }>(
        `WITH status AS (
           SELECT txid, pg_xact_status(txid::xid8) AS status FROM unnest($2::text[]) AS txid
         ), woken AS (
           SELECT pg_notify($1, topic) FROM (
             SELECT DISTINCT p.topic FROM unnest($3::text[], $4::text[]) AS p(txid, topic)
             JOIN status s ON s.txid = p.txid WHERE s.status = 'committed' OR s.status IS NULL -- NULL: too old to know
           ) committed
         )
         SELECT txid, status FROM status, (SELECT count(*) FROM woken) AS sent`,
        [this.channel, txids, pairs.map(([txid]) => txid), pairs.map(([, topic]) => topic)],
      );
      let ended = 0;
      for (const row of rows) {
        if (row.status === 'in progress') continue;
        this.waiting.delete(row.txid);
        ended += 1;
      }
      this.interval = ended > 0 || this.commitDuringRound ? MIN_INTERVAL_MS : Math.min(this.interval * 2, MAX_INTERVAL_MS);
    } catch {
      // The database is away: readers find the events on their next poll.
      this.waiting.clear();
    } finally {
      this.running = false;
      this.arm();
    }
  }
}

const relays = new Map<string, WakeupRelay>();
let watchingCommits = false;

/** Every relay hears of this process's commits (Kysely logs a transaction's `commit` once it has completed). */
function watchCommits(): void {
  if (watchingCommits) return;
  watchingCommits = true;
  observeQueries((statement) => {
    if (statement === 'commit') for (const relay of relays.values()) relay.committed();
  });
}

/**
 * Arranges the wake-up for an event; false when this process has no pool to that database (notify in the transaction then).
 * `committed`: the statement committed on its own (no transaction around it), so the round need not wait.
 */
export function relayWakeup(channel: string, database: string, port: number, txid: string, topic: string, committed = false): boolean {
  if (!findPool(database, port)) return false;
  const key = `${database}:${port}`;
  let relay = relays.get(key);
  if (!relay) relays.set(key, (relay = new WakeupRelay(channel, database, port)));
  watchCommits();
  relay.add(txid, topic);
  if (committed) relay.committed();
  return true;
}
