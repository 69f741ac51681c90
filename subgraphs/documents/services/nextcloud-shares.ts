/**
 * Nextcloud's OCS Share API, for public links Nextcloud itself serves
 * (https://docs.nextcloud.com/server/latest/developer_manual/client_apis/OCS/ocs-share-api.html):
 * POST <base>/ocs/v2.php/apps/files_sharing/api/v1/shares with shareType 3
 * (public link), read-only, with an expiry date and an optional password;
 * DELETE .../shares/<id> revokes. Every call sends OCS-APIRequest: true and
 * asks for JSON; answers come in the OCS envelope `{ ocs: { meta, data } }`.
 */
import { badInput, unavailable } from '../../../platform/errors.js';
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';

const SHARES_PATH = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const PUBLIC_LINK = 3;
const READ_ONLY = 1;
const TIMEOUT_MS = 15_000;

export interface NextcloudAccount {
  url: string;
  username: string;
  appPassword: string;
}

export interface NextcloudShare {
  id: string;
  url: string;
  token: string;
  /** As Nextcloud reports it ("YYYY-MM-DD HH:MM:SS", the server's time zone), or null. */
  expiration: string | null;
}

interface OcsEnvelope {
  ocs?: { meta?: { status?: string; statuscode?: number; message?: string | null }; data?: any };
}

/** Nextcloud expires links by date (expireDate, YYYY-MM-DD): the date of `expiresAt`, in UTC. */
export function expireDateOf(expiresAt: Date): string {
  return expiresAt.toISOString().slice(0, 10);
}

export class NextcloudShares {
  constructor(
    private readonly account: NextcloudAccount,
    /** The account's URL is an admin's: calls obey the outbound policy. */
    private readonly egress: EgressPolicy,
  ) {}

  private async call(method: 'POST' | 'DELETE', path: string, form?: URLSearchParams): Promise<{ status: number; envelope: OcsEnvelope }> {
    const auth = Buffer.from(`${this.account.username}:${this.account.appPassword}`).toString('base64');
    let response: Response;
    try {
      response = await this.egress.fetch(`${this.account.url}${path}?format=json`, {
        method,
        headers: {
          authorization: `Basic ${auth}`,
          'ocs-apirequest': 'true',
          accept: 'application/json',
          ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        body: form?.toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(`Nextcloud cannot be reached: ${(error as Error).message}`, { backend: 'nextcloud' });
    }
    const text = await response.text();
    let envelope: OcsEnvelope = {};
    try {
      envelope = JSON.parse(text) as OcsEnvelope;
    } catch {
      // Not OCS at all (a proxy's error page): judged by the HTTP status below.
    }
    return { status: response.status, envelope };
  }

  private failure(action: string, status: number, envelope: OcsEnvelope): Error {
    const meta = envelope.ocs?.meta;
    const reason = meta?.message || `HTTP ${status}${meta?.statuscode ? `, OCS ${meta.statuscode}` : ''}`;
    // A password Nextcloud's policy refuses, or an expiry it does not allow, is the caller's to fix.
    if (status === 400 || meta?.statuscode === 400) return badInput(`Nextcloud refused to ${action}: ${reason}`);
    if (status === 401 || meta?.statuscode === 997)
      return unavailable(`Nextcloud refused the company's account (${this.account.username}): check its app password`, { backend: 'nextcloud' });
    return unavailable(`Nextcloud could not ${action}: ${reason}`, { backend: 'nextcloud' });
  }

  private static ok(status: number, envelope: OcsEnvelope): boolean {
    const meta = envelope.ocs?.meta;
    // v2.php answers statuscode 200 on success (v1.php says 100).
    return status >= 200 && status < 300 && meta?.status === 'ok' && (meta.statuscode === 200 || meta.statuscode === 100);
  }

  /** A read-only public link to the file at `path` (in the account's files). */
  async create(path: string, expiresAt: Date, password: string | null): Promise<NextcloudShare> {
    const form = new URLSearchParams({ path, shareType: String(PUBLIC_LINK), permissions: String(READ_ONLY), expireDate: expireDateOf(expiresAt) });
    if (password != null) form.set('password', password);
    const { status, envelope } = await this.call('POST', SHARES_PATH, form);
    if (!NextcloudShares.ok(status, envelope)) throw this.failure('create the share', status, envelope);
    const data = envelope.ocs!.data ?? {};
    if ((typeof data.id !== 'string' && typeof data.id !== 'number') || typeof data.url !== 'string') {
      throw unavailable('Nextcloud answered the share without an id or URL', { backend: 'nextcloud' });
    }
    return { id: String(data.id), url: data.url, token: String(data.token ?? ''), expiration: typeof data.expiration === 'string' ? data.expiration : null };
  }

  /** Deletes the share; one Nextcloud no longer has is already gone. */
  async delete(id: string): Promise<void> {
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) throw new Error(`Refusing Nextcloud share id ${JSON.stringify(id)}`);
    const { status, envelope } = await this.call('DELETE', `${SHARES_PATH}/${id}`);
    if (NextcloudShares.ok(status, envelope) || status === 404 || envelope.ocs?.meta?.statuscode === 404) return;
    throw this.failure('delete the share', status, envelope);
  }
}
