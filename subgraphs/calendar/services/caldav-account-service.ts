/** Connecting a user's CalDAV calendar and syncing it on request: each user manages only their own accounts. */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, forbidden, notFound } from '../../../platform/errors.js';
import { outboundFailure } from '../../../platform/http/egress-policy.js';
import { CalDAVClient, UnusableCalendarError } from '../caldav/caldav-client.js';
import type { CredentialCipher } from '../../../platform/crypto/credential-cipher.js';
import type { CaldavAccountRow, CaldavRepository, SyncStatusRow } from '../repositories/caldav-repository.js';
import { CalDAVSyncService } from './caldav-sync-service.js';

export interface SyncStatusView {
  state: 'IDLE' | 'RUNNING' | 'FAILED';
  total: number;
  done: number;
  lastStartedAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface CalDAVAccountView {
  id: string;
  serverUrl: string;
  username: string;
  calendarUrl: string;
  status: SyncStatusView;
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
  ) {}

  private requireUser(): string {
    if (!this.viewer.moodleUserId) throw forbidden('Only users with a calendar of their own can connect a CalDAV account');
    return this.viewer.moodleUserId;
  }

  private async view(accounts: CaldavAccountRow[]): Promise<CalDAVAccountView[]> {
    const statuses = new Map((await this.caldav.statusOf(accounts.map((a) => a.id))).map((row) => [row.account_id, row]));
    return accounts.map((account) => ({
      id: account.id, serverUrl: account.server_url, username: account.username, calendarUrl: account.calendar_url, status: statusView(statuses.get(account.id)),
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
      ...owner, owner_subject: this.viewer.userId, owner_roles: [...this.viewer.roles], server_url: serverUrl, username, calendar_url: calendarUrl, password_encrypted: this.cipher.encrypt(appPassword, CalDAVSyncService.ownerOf(owner)),
    });
    return (await this.view([account]))[0]!;
  }

  async list(): Promise<CalDAVAccountView[]> {
    if (!this.viewer.moodleUserId) return [];
    return this.view(await this.caldav.accountsOf(this.viewer.companyId, this.viewer.moodleUserId));
  }

  /** Runs the sync now; a failure is answered as the FAILED status it left. */
  async syncNow(accountId: string): Promise<SyncStatusView> {
    const userId = this.requireUser();
    const found = /^[0-9a-f-]{36}$/i.test(accountId) ? await this.caldav.findAccount(this.viewer.companyId, accountId) : undefined;
    if (!found || found.user_id !== userId) throw notFound('CalDAVAccount', accountId);
    // The sync acts with the rights the owner has now.
    const account = (await this.caldav.refreshOwner(found.id, { subject: this.viewer.userId, roles: this.viewer.roles })) ?? found;
    try {
      await this.sync.sync(account);
    } catch {
      // recorded in the status row
    }
    return statusView((await this.caldav.statusOf([account.id]))[0]);
  }
}
