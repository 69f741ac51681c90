/** An account's sync log and the losing sides of its conflicts (Kysely only); the latest rows are kept, older ones dropped. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CaldavConflictsTable, CaldavSyncRunsTable, CalendarDatabase } from '../database.js';

export type SyncRunRow = Selectable<CaldavSyncRunsTable>;
export type ConflictRow = Selectable<CaldavConflictsTable>;

/** Rows kept per account: enough to see a pattern, not a growing table. */
const KEEP_RUNS = 100;
const KEEP_CONFLICTS = 200;

/** An object of the server's calendar a sync read but left out, and why. */
export interface SkippedObject {
  href: string;
  reason: string;
}

export interface NewSyncRun {
  startedAt: Date;
  succeeded: boolean;
  pushed: number;
  pulled: number;
  conflicts: number;
  fullResync: boolean;
  error: string | null;
  skipped: readonly SkippedObject[];
}

export interface NewConflict {
  eventId: string;
  href: string;
  kept: 'CALENDAR' | 'REMOTE';
  reason: string;
  losingICalendar: string;
}

export class CaldavLogRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async recordRun(accountId: string, run: NewSyncRun): Promise<void> {
    await this.db
      .insertInto('calendar.caldav_sync_runs')
      .values({
        account_id: accountId,
        started_at: run.startedAt,
        succeeded: run.succeeded,
        pushed: run.pushed,
        pulled: run.pulled,
        conflicts: run.conflicts,
        full_resync: run.fullResync,
        error: run.error?.slice(0, 2000) ?? null,
        skipped: JSON.stringify(run.skipped),
      })
      .execute();
    await this.trim('calendar.caldav_sync_runs', 'started_at', accountId, KEEP_RUNS);
  }

  async recordConflict(accountId: string, conflict: NewConflict): Promise<void> {
    await this.db
      .insertInto('calendar.caldav_conflicts')
      .values({ account_id: accountId, event_id: conflict.eventId, href: conflict.href, kept: conflict.kept, reason: conflict.reason, losing_icalendar: conflict.losingICalendar })
      .execute();
    await this.trim('calendar.caldav_conflicts', 'occurred_at', accountId, KEEP_CONFLICTS);
  }

  runsOf(accountId: string, limit: number): Promise<SyncRunRow[]> {
    return this.db
      .selectFrom('calendar.caldav_sync_runs')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('started_at', 'desc')
      .orderBy('finished_at', 'desc')
      .limit(limit)
      .execute();
  }

  conflictsOf(accountId: string, limit: number): Promise<ConflictRow[]> {
    return this.db.selectFrom('calendar.caldav_conflicts').selectAll().where('account_id', '=', accountId).orderBy('occurred_at', 'desc').limit(limit).execute();
  }

  private async trim(table: 'calendar.caldav_sync_runs' | 'calendar.caldav_conflicts', column: 'started_at' | 'occurred_at', accountId: string, keep: number): Promise<void> {
    await sql`DELETE FROM ${sql.table(table)} WHERE account_id = ${accountId} AND id NOT IN (
      SELECT id FROM ${sql.table(table)} WHERE account_id = ${accountId} ORDER BY ${sql.ref(column)} DESC LIMIT ${keep})`.execute(this.db);
  }
}
