/**
 * A loopback stand-in for Nextcloud's OCS Share API, for the calls the
 * documents service makes: POST and DELETE under
 * /ocs/v2.php/apps/files_sharing/api/v1/shares, answered in the OCS JSON
 * envelope (ocs.meta.status / statuscode / message, ocs.data) as Nextcloud's
 * v2 endpoint does (HTTP status mirrors statuscode; 200 on success). It
 * checks basic auth and the OCS-APIRequest header, and that the shared path
 * exists in the account's files: the directory `rclone serve webdav` serves.
 * GET /s/<token>/download serves a share without a password, like Nextcloud.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface DoubleShare {
  id: string;
  token: string;
  path: string;
  shareType: number;
  permissions: number;
  expireDate: string | null;
  password: string | null;
}

export interface NextcloudOcsDouble {
  url: string;
  shares: Map<string, DoubleShare>;
  /** Every OCS request, with what the double saw. */
  requests: { method: string; path: string; authorized: boolean; ocsHeader: boolean }[];
  stop: () => Promise<void>;
}

const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';

function ocs(response: http.ServerResponse, statuscode: number, message: string, data: unknown): void {
  const body = JSON.stringify({ ocs: { meta: { status: statuscode === 200 ? 'ok' : 'failure', statuscode, message, totalitems: '', itemsperpage: '' }, data } });
  response.writeHead(statuscode === 997 ? 401 : statuscode, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
}

async function formOf(request: http.IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of request) text += chunk;
  if ((request.headers['content-type'] ?? '').includes('application/json')) return new URLSearchParams(Object.entries(JSON.parse(text || '{}')).map(([k, v]) => [k, String(v)]));
  return new URLSearchParams(text);
}

export async function startNextcloudOcsDouble(options: { username: string; appPassword: string; filesDirectory: string }): Promise<NextcloudOcsDouble> {
  const shares = new Map<string, DoubleShare>();
  const requests: NextcloudOcsDouble['requests'] = [];
  let nextId = 17;
  const expected = `Basic ${Buffer.from(`${options.username}:${options.appPassword}`).toString('base64')}`;
  let origin = '';

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://double');
    const download = url.pathname.match(/^\/s\/([A-Za-z0-9]+)\/download$/);
    if (download && request.method === 'GET') {
      const share = [...shares.values()].find((candidate) => candidate.token === download[1]);
      if (!share || share.password) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void createReadStream(path.join(options.filesDirectory, share.path)).pipe(response);
    }
    if (!url.pathname.startsWith(SHARES)) return void response.writeHead(404).end();
    const authorized = request.headers.authorization === expected;
    const ocsHeader = request.headers['ocs-apirequest'] === 'true';
    requests.push({ method: request.method ?? '', path: url.pathname, authorized, ocsHeader });
    // Nextcloud refuses OCS calls without the header as a CSRF attempt.
    if (!ocsHeader) return void response.writeHead(412, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'CSRF check failed' }));
    if (!authorized) return ocs(response, 997, 'Current user is not logged in', []);
    if (url.searchParams.get('format') !== 'json' && !(request.headers.accept ?? '').includes('json')) return ocs(response, 400, 'This double only speaks JSON', []);

    if (request.method === 'POST' && url.pathname === SHARES) {
      const form = await formOf(request);
      const sharePath = form.get('path') ?? '';
      const shareType = Number(form.get('shareType'));
      if (shareType !== 3) return ocs(response, 400, 'Unknown share type', []);
      const file = path.join(options.filesDirectory, sharePath);
      if (!sharePath.startsWith('/') || !file.startsWith(options.filesDirectory) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        return ocs(response, 404, 'Wrong path, file/folder does not exist', []);
      }
      const expireDate = form.get('expireDate');
      if (expireDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(expireDate)) return ocs(response, 400, 'Invalid date. Format must be YYYY-MM-DD', []);
      const password = form.get('password');
      if (password !== null && password.length < 10) return ocs(response, 400, 'Password needs to be at least 10 characters long.', []);
      const share: DoubleShare = {
        id: String(nextId++),
        token: randomBytes(8).toString('hex'),
        path: sharePath,
        shareType,
        permissions: Number(form.get('permissions') ?? 1),
        expireDate,
        password,
      };
      shares.set(share.id, share);
      return ocs(response, 200, 'OK', {
        id: share.id,
        share_type: 3,
        uid_owner: options.username,
        permissions: share.permissions,
        path: share.path,
        item_type: 'file',
        token: share.token,
        url: `${origin}/s/${share.token}`,
        expiration: expireDate ? `${expireDate} 00:00:00` : null,
        password: password ? '***' : null,
      });
    }
    const one = url.pathname.match(/^\/ocs\/v2\.php\/apps\/files_sharing\/api\/v1\/shares\/([^/]+)$/);
    if (request.method === 'DELETE' && one) {
      if (!shares.delete(one[1]!)) return ocs(response, 404, 'Wrong share ID, share does not exist', []);
      return ocs(response, 200, 'OK', []);
    }
    return ocs(response, 404, 'Not found', []);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    shares,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
