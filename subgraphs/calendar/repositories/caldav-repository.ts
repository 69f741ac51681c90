/** CalDAV accounts, their sync status and the remote objects that hold our events. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CaldavAccountsTable, CaldavSyncStatusTable, CalendarDatabase } from '../database.js';
import type { ParticipationStatusName } from '../models.js';

export type CaldavAccountRow = Selectable<CaldavAccountsTable>;
export type SyncStatusRow = Selectable<CaldavSyncStatusTable>;

/** An occurrence kept out of a participant's copy: what it asked when deleted (caldav/answered-content.ts), and their answer to it before. */
export interface KeptOutOccurrence {
  answered: string;
  /** Their own answer to that occurrence before the delete declined it; null: it followed their answer to the series. */
  answerBefore: ParticipationStatusName | null;
}

export interface CaldavResource {
  eventId: string;
  href: string;
  etag: string | null;
  syncedVersion: Date;
}

/** A server object a sync could not read, at the ETag it could not: left alone until that ETag changes. */
export interface UnreadableObject {
  href: string;
  etag: string;
  /** Why it cannot be read (readable-object.ts). */
  reason: string;
  /** The event's updated_at a push left it at (what could be written of it is there); null when noted by the pull. */
  eventVersion: Date | null;
  notedAt: Date;
}

export class CaldavRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async upsertAccount(values: Omit<CaldavAccountRow, 'id' | 'created_at' | 'updated_at' | 'sync_token'>): Promise<CaldavAccountRow> {
    const account = await this.db
      .insertInto('calendar.caldav_accounts')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['company_id', 'user_id', 'calendar_url']).doUpdateSet({
          server_url: values.server_url,
          username: values.username,
          password_encrypted: values.password_encrypted,
          sync_token: null,
          updated_at: new Date(),
          owner_subject: values.owner_subject,
          owner_roles: values.owner_roles,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('calendar.caldav_sync_status')
      .values({ account_id: account.id })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    return account;
  }

  findAccount(companyId: string, id: string): Promise<CaldavAccountRow | undefined> {
    return this.db.selectFrom('calendar.caldav_accounts').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  }

  accountsOf(companyId: string, userId: string): Promise<CaldavAccountRow[]> {
    return this.db.selectFrom('calendar.caldav_accounts').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).orderBy('created_at').execute();
  }

  /** The owner's identity as their latest API call showed it (roles can change between syncs). */
  async refreshOwner(accountId: string, owner: { subject: string; roles: readonly string[] }): Promise<CaldavAccountRow | undefined> {
    return this.db
      .updateTable('calendar.caldav_accounts')
      .set({ owner_subject: owner.subject, owner_roles: [...owner.roles] })
      .where('id', '=', accountId)
      .returningAll()
      .executeTakeFirst();
  }

  allAccounts(): Promise<CaldavAccountRow[]> {
    return this.db.selectFrom('calendar.caldav_accounts').selectAll().orderBy('updated_at').execute();
  }

  async setSyncToken(accountId: string, token: string | null): Promise<void> {
    await this.db.updateTable('calendar.caldav_accounts').set({ sync_token: token, updated_at: new Date() }).where('id', '=', accountId).execute();
  }

  statusOf(accountIds: readonly string[]): Promise<SyncStatusRow[]> {
    if (accountIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('calendar.caldav_sync_status')
      .selectAll()
      .where('account_id', 'in', [...accountIds])
      .execute();
  }

  /** Marks a sync as running, unless one already is (and started less than `staleAfterMs` ago). */
  async claimSync(accountId: string, staleAfterMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('calendar.caldav_sync_status')
      .set({ state: 'RUNNING', total: 0, done: 0, last_started_at: new Date() })
      .where('account_id', '=', accountId)
      .where((eb) => eb.or([eb('state', '!=', 'RUNNING'), eb('last_started_at', '<', new Date(Date.now() - staleAfterMs))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async updateProgress(accountId: string, progress: { total?: number; done?: number }): Promise<void> {
    await this.db.updateTable('calendar.caldav_sync_status').set(progress).where('account_id', '=', accountId).execute();
  }

  async finishSync(accountId: string, error: string | null): Promise<void> {
    await this.db
      .updateTable('calendar.caldav_sync_status')
      .set(error ? { state: 'FAILED', last_error: error.slice(0, 2000), last_error_at: new Date() } : { state: 'IDLE', last_success_at: new Date(), last_error: null })
      .where('account_id', '=', accountId)
      .execute();
  }

  async resources(accountId: string): Promise<CaldavResource[]> {
    const rows = await this.db.selectFrom('calendar.caldav_resources').selectAll().where('account_id', '=', accountId).execute();
    return rows.map((row) => ({ eventId: row.event_id, href: row.href, etag: row.etag, syncedVersion: row.synced_version }));
  }

  async saveResource(accountId: string, resource: CaldavResource): Promise<void> {
    await this.db
      .insertInto('calendar.caldav_resources')
      .values({ account_id: accountId, event_id: resource.eventId, href: resource.href, etag: resource.etag, synced_version: resource.syncedVersion })
      .onConflict((oc) => oc.columns(['account_id', 'event_id']).doUpdateSet({ href: resource.href, etag: resource.etag, synced_version: resource.syncedVersion }))
      .execute();
  }

  /** Many at once (a pulled batch), in the caller's transaction. */
  async saveResources(db: Kysely<CalendarDatabase>, accountId: string, resources: readonly CaldavResource[]): Promise<void> {
    if (resources.length === 0) return;
    await db
      .insertInto('calendar.caldav_resources')
      .values(
        resources.map((resource) => ({ account_id: accountId, event_id: resource.eventId, href: resource.href, etag: resource.etag, synced_version: resource.syncedVersion })),
      )
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'event_id'])
          .doUpdateSet((eb) => ({ href: eb.ref('excluded.href'), etag: eb.ref('excluded.etag'), synced_version: eb.ref('excluded.synced_version') })),
      )
      .execute();
  }

  async deleteResource(accountId: string, eventId: string): Promise<void> {
    await this.db.deleteFrom('calendar.caldav_resources').where('account_id', '=', accountId).where('event_id', '=', eventId).execute();
  }

  /** The account and everything kept for it (status, resources, log, conflicts). */
  async deleteAccount(accountId: string): Promise<void> {
    await this.db.deleteFrom('calendar.caldav_accounts').where('id', '=', accountId).execute();
  }

  /**
   * Syncs another calendar of the account from now on: the objects held in the
   * previous one are forgotten (left there), so the next sync pushes everything anew.
   */
  async selectCalendar(accountId: string, calendarUrl: string): Promise<CaldavAccountRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('calendar.caldav_resources').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('calendar.caldav_unreadable').where('account_id', '=', accountId).execute();
      return trx
        .updateTable('calendar.caldav_accounts')
        .set({ calendar_url: calendarUrl, sync_token: null, updated_at: new Date() })
        .where('id', '=', accountId)
        .returningAll()
        .executeTakeFirst();
    });
  }

  async unreadable(accountId: string): Promise<UnreadableObject[]> {
    const rows = await this.db.selectFrom('calendar.caldav_unreadable').selectAll().where('account_id', '=', accountId).execute();
    return rows.map((row) => ({ href: row.href, etag: row.etag, reason: row.reason, eventVersion: row.event_version, notedAt: row.noted_at }));
  }

  async noteUnreadable(accountId: string, object: Omit<UnreadableObject, 'notedAt'>): Promise<UnreadableObject> {
    const values = { href: object.href, etag: object.etag, reason: object.reason, event_version: object.eventVersion };
    const row = await this.db
      .insertInto('calendar.caldav_unreadable')
      .values({ account_id: accountId, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'href']).doUpdateSet({ ...values, noted_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...object, notedAt: row.noted_at };
  }

  async forgetUnreadable(accountId: string, hrefs: readonly string[]): Promise<void> {
    if (hrefs.length === 0) return;
    await this.db
      .deleteFrom('calendar.caldav_unreadable')
      .where('account_id', '=', accountId)
      .where('href', 'in', [...hrefs])
      .execute();
  }

  /** The copies the account's owner deleted as a participant (their declines), by event: what each answered to. */
  async removedCopies(accountId: string): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('calendar.caldav_removed_copies').select(['event_id', 'answered']).where('account_id', '=', accountId).execute();
    return new Map(rows.map((row) => [row.event_id, row.answered]));
  }

  async noteRemovedCopy(accountId: string, eventId: string, answered: string): Promise<void> {
    await this.db
      .insertInto('calendar.caldav_removed_copies')
      .values({ account_id: accountId, event_id: eventId, answered })
      .onConflict((oc) => oc.columns(['account_id', 'event_id']).doUpdateSet({ answered, removed_at: new Date() }))
      .execute();
  }

  async forgetRemovedCopy(accountId: string, eventId: string): Promise<void> {
    await this.db.deleteFrom('calendar.caldav_removed_copies').where('account_id', '=', accountId).where('event_id', '=', eventId).execute();
  }

  /** The occurrences the account's owner deleted from their copies as a participant (their declines), by event and instant. */
  async removedOccurrences(accountId: string): Promise<Map<string, Map<number, KeptOutOccurrence>>> {
    const rows = await this.db
      .selectFrom('calendar.caldav_removed_occurrences')
      .select(['event_id', 'recurrence_id', 'answered', 'answer_before'])
      .where('account_id', '=', accountId)
      .execute();
    const byEvent = new Map<string, Map<number, KeptOutOccurrence>>();
    for (const row of rows) {
      const kept = { answered: row.answered, answerBefore: row.answer_before as ParticipationStatusName | null };
      byEvent.set(row.event_id, (byEvent.get(row.event_id) ?? new Map()).set(row.recurrence_id.getTime(), kept));
    }
    return byEvent;
  }

  /** Noted once: what the occurrence asked when first deleted stays what a later change is compared with. */
  async noteRemovedOccurrence(accountId: string, eventId: string, recurrenceId: Date, kept: KeptOutOccurrence): Promise<void> {
    await this.db
      .insertInto('calendar.caldav_removed_occurrences')
      .values({ account_id: accountId, event_id: eventId, recurrence_id: recurrenceId, answered: kept.answered, answer_before: kept.answerBefore })
      .onConflict((oc) => oc.columns(['account_id', 'event_id', 'recurrence_id']).doNothing())
      .execute();
  }

  async forgetRemovedOccurrence(accountId: string, eventId: string, recurrenceId: Date): Promise<void> {
    await this.db
      .deleteFrom('calendar.caldav_removed_occurrences')
      .where('account_id', '=', accountId)
      .where('event_id', '=', eventId)
      .where('recurrence_id', '=', recurrenceId)
      .execute();
  }

  /** The remote objects of an account that hold events made here (not ones that came from the server): what a disconnect may remove. */
  async pushedResources(accountId: string): Promise<{ eventId: string; href: string; etag: string | null }[]> {
    const rows = await this.db
      .selectFrom('calendar.caldav_resources as r')
      .innerJoin('calendar.calendar_events as e', 'e.id', 'r.event_id')
      .select(['r.event_id', 'r.href', 'r.etag'])
      .where('r.account_id', '=', accountId)
      .where((eb) => eb.or([eb('e.external_id', 'is', null), eb('e.external_id', '=', sql<string>`e.id::text || '@bheem'`)]))
      .execute();
    return rows.map((row) => ({ eventId: row.event_id, href: row.href, etag: row.etag }));
  }
}
