/**
 * A user's CalDAV accounts: connecting one, choosing which of its calendars to
 * sync, syncing on request, reading its sync log and the losing sides of its
 * conflicts, and disconnecting it. Each user manages only their own accounts.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, forbidden, notFound, unavailable } from '../../../platform/errors.js';
import { outboundFailure } from '../../../platform/http/egress-policy.js';
import { CalDAVClient, UnusableCalendarError } from '../caldav/caldav-client.js';
import type { CredentialCipher } from '../../../platform/crypto/credential-cipher.js';
import type { CalDAVAccountModel, CalendarSyncConflictModel } from '../models.js';
import type { CaldavLogRepository } from '../repositories/caldav-log-repository.js';
import type { CaldavAccountRow, CaldavRepository, SyncStatusRow } from '../repositories/caldav-repository.js';
import { CalDAVSyncService, SyncsBusyError } from './caldav-sync-service.js';

export type CalDAVAccountView = CalDAVAccountModel;
export type SyncStatusView = CalDAVAccountModel['status'];

export interface SyncRunView {
  startedAt: Date;
  finishedAt: Date;
  succeeded: boolean;
  pushed: number;
  pulled: number;
  conflicts: number;
  fullResync: boolean;
  error: string | null;
  skipped: { href: string; reason: string }[];
}

function statusView(row: SyncStatusRow | undefined): SyncStatusView {
  return {
    state: (row?.state ?? 'IDLE') as SyncStatusView['state'],
    total: row?.total ?? 0,
    done: row?.done ?? 0,
    lastStartedAt: row?.last_started_at ?? null,
    lastSuccessAt: row?.last_success_at ?? null,
    lastError: row?.last_error ?? null,
    lastErrorAt: row?.last_error_at ?? null,
  };
}

const clampLimit = (limit: number) => Math.min(Math.max(Math.trunc(limit) || 1, 1), 100);

/** An http(s) URL without credentials in it: they belong in the Authorization header only. */
function requireServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw badInput(`"${input}" is not a URL`, 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('The CalDAV URL must be http or https', 'url');
  if (url.username || url.password) throw badInput('Do not put credentials in the URL: give username and appPassword', 'url');
  return url.toString();
}

export class CalDAVAccountService {
  constructor(
    private readonly viewer: Viewer,
    private readonly caldav: CaldavRepository,
    private readonly sync: CalDAVSyncService,
    private readonly cipher: CredentialCipher,
    private readonly log: CaldavLogRepository,
  ) {}

  /** One of the caller's own accounts, else NOT_FOUND (another user's account is not told apart from none). */
  private async own(accountId: string): Promise<CaldavAccountRow> {
    const userId = this.requireUser();
    const found = /^[0-9a-f-]{36}$/i.test(accountId) ? await this.caldav.findAccount(this.viewer.companyId, accountId) : undefined;
    if (!found || found.user_id !== userId) throw notFound('CalDAVAccount', accountId);
    return found;
  }

  private client(account: CaldavAccountRow): CalDAVClient {
    return new CalDAVClient(account.calendar_url, { username: account.username, password: this.password(account) }, this.sync.egress);
  }

  private password(account: CaldavAccountRow): string {
    return this.cipher.decrypt(account.password_encrypted, CalDAVSyncService.ownerOf(account));
  }

  /** The calendars of the account's home on its server, the synced one marked. */
  async calendars(accountId: string): Promise<{ url: string; displayName: string | null; holdsEvents: boolean; selected: boolean }[]> {
    const account = await this.own(accountId);
    let calendars;
    try {
      calendars = await CalDAVClient.listCalendars(account.server_url, { username: account.username, password: this.password(account) }, this.sync.egress);
    } catch (error) {
      throw outboundFailure(error, 'CalDAV server', 'accountId');
    }
    return calendars.map((calendar) => ({ ...calendar, selected: calendar.url === account.calendar_url }));
  }

  /** Syncs another of the account's calendars from now on (one that holds events); the previous one keeps what it has. */
  async selectCalendar(accountId: string, calendarUrl: string): Promise<CalDAVAccountView> {
    const account = await this.own(accountId);
    const wanted = (await this.calendars(accountId)).find((calendar) => calendar.url === calendarUrl || calendar.url === `${calendarUrl}/`);
    if (!wanted) throw badInput(`${calendarUrl} is not one of this account's calendars (see CalDAVAccount.calendars)`, 'calendarUrl');
    if (!wanted.holdsEvents) throw badInput(`${wanted.url} cannot hold events (VEVENT)`, 'calendarUrl');
    if (wanted.url === account.calendar_url) return (await this.view([account]))[0]!;
    const others = await this.caldav.accountsOf(this.viewer.companyId, account.user_id);
    if (others.some((other) => other.calendar_url === wanted.url)) throw badInput(`${wanted.url} is already connected as another account`, 'calendarUrl');
    const updated = await this.caldav.selectCalendar(account.id, wanted.url);
    return (await this.view([updated ?? account]))[0]!;
  }

  /**
   * Disconnects an account. With `removePushedEvents`, the objects we put on the
   * server for events made here are deleted there first (events that came from
   * the server stay); otherwise everything is left where it is. Either way our
   * events stay, and the password, sync state, log and conflicts are dropped.
   */
  async disconnect(accountId: string, removePushedEvents: boolean): Promise<boolean> {
    const account = await this.own(accountId);
    if (removePushedEvents) {
      const client = this.client(account);
      const pushed = await this.caldav.pushedResources(account.id);
      try {
        for (const resource of pushed) {
          const deleted = await client.delete(resource.href, null);
          if (!deleted.ok && deleted.status !== 404) throw new Error(`DELETE ${resource.href} answered ${deleted.status}`);
        }
      } catch (error) {
        // Nothing is dropped: the user may try again, or disconnect leaving the objects there.
        throw outboundFailure(error, 'CalDAV server', 'removePushedEvents');
      }
    }
    await this.caldav.deleteAccount(account.id);
    return true;
  }

  async syncLog(accountId: string, limit: number): Promise<SyncRunView[]> {
    const rows = await this.log.runsOf((await this.own(accountId)).id, clampLimit(limit));
    return rows.map((row) => ({
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      succeeded: row.succeeded,
      pushed: row.pushed,
      pulled: row.pulled,
      conflicts: row.conflicts,
      fullResync: row.full_resync,
      error: row.error,
      skipped: row.skipped,
    }));
  }

  async conflicts(accountId: string, limit: number): Promise<CalendarSyncConflictModel[]> {
    const rows = await this.log.conflictsOf((await this.own(accountId)).id, clampLimit(limit));
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      href: row.href,
      occurredAt: row.occurred_at,
      kept: row.kept as CalendarSyncConflictModel['kept'],
      reason: row.reason,
      losingICalendar: row.losing_icalendar,
    }));
  }

  private requireUser(): string {
    if (!this.viewer.moodleUserId) throw forbidden('Only users with a calendar of their own can connect a CalDAV account');
    return this.viewer.moodleUserId;
  }

  private async view(accounts: CaldavAccountRow[]): Promise<CalDAVAccountView[]> {
    const statuses = new Map((await this.caldav.statusOf(accounts.map((a) => a.id))).map((row) => [row.account_id, row]));
    return accounts.map((account) => ({
      id: account.id,
      serverUrl: account.server_url,
      username: account.username,
      calendarUrl: account.calendar_url,
      status: statusView(statuses.get(account.id)),
    }));
  }

  async connect(url: string, username: string, appPassword: string): Promise<CalDAVAccountView> {
    const userId = this.requireUser();
    const serverUrl = requireServerUrl(url);
    if (!username.trim() || !appPassword) throw badInput('username and appPassword are required', 'username');
    let calendarUrl: string;
    try {
      calendarUrl = await CalDAVClient.discover(serverUrl, { username, password: appPassword }, this.sync.egress);
    } catch (error) {
      if (error instanceof UnusableCalendarError) throw badInput(error.message, 'url');
      // One answer whatever went wrong: closed port, another service, refused login (no scanning through this).
      throw outboundFailure(error, 'CalDAV server', 'url');
    }
    const owner = { company_id: this.viewer.companyId, user_id: userId };
    const account = await this.caldav.upsertAccount({
      ...owner,
      owner_subject: this.viewer.userId,
      owner_roles: [...this.viewer.roles],
      server_url: serverUrl,
      username,
      calendar_url: calendarUrl,
      password_encrypted: this.cipher.encrypt(appPassword, CalDAVSyncService.ownerOf(owner)),
    });
    return (await this.view([account]))[0]!;
  }

  async list(): Promise<CalDAVAccountView[]> {
    if (!this.viewer.moodleUserId) return [];
    return this.view(await this.caldav.accountsOf(this.viewer.companyId, this.viewer.moodleUserId));
  }

  /** Runs the sync now; a failure is answered as the FAILED status it left. */
  async syncNow(accountId: string): Promise<SyncStatusView> {
    const found = await this.own(accountId);
    // The sync acts with the rights the owner has now.
    const account = (await this.caldav.refreshOwner(found.id, { subject: this.viewer.userId, roles: this.viewer.roles })) ?? found;
    try {
      // A sync the user asks for waits a while for a turn (the page waits on it), then is refused: others can take minutes.
      await this.sync.syncAsked(account);
    } catch (error) {
      if (error instanceof SyncsBusyError) throw unavailable(error.message);
      // else recorded in the status row
    }
    return statusView((await this.caldav.statusOf([account.id]))[0]);
  }
}
