/**
 * The plain HTTP ways in (files, webhooks, feeds, health), at the protocol's
 * edges, through the real gateway and the real services behind it: a
 * refusal sent before a large body was read reaches the client as the
 * service's 4xx, not as a 502 of the gateway; a known path asked with a
 * method it does not serve answers 405 with Allow, a CONNECT included.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../platform/demo/demo-ids.js';
import { exchange } from '../../test/support/raw-http.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';

let platform: TestPlatform;
let gateway: string;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'documents'], env: { GATEWAY_RATE_LIMIT_STORE: 'off' } });
  gateway = new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')).origin;
});
afterAll(() => platform?.stop());

/** The public URL's path and query on the gateway (what PUBLIC_URL names in production). */
const onGateway = (publicUrl: string) => `${gateway}${new URL(publicUrl).pathname}${new URL(publicUrl).search}`;

async function uploadTicket(size: number): Promise<{ uploadId: string; uploadUrl: string }> {
  const { data, errors } = await platform.query('maya.manager', `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`, {
    input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename: 'edge.bin', size },
  });
  expect(errors).toBeUndefined();
  return data.requestDocumentUpload;
}

const answerOf = async (response: Response) => ({ status: response.status, body: await response.text() });

describe('a refusal before the body was read', () => {
  // Larger than the sockets' buffers: the service answers and closes while the gateway is still sending.
  const LARGE = 16 * 1024 * 1024;

  it('reaches the client as the service gave it, for a signed PUT with a bad signature or a wrong size', async () => {
    const ticket = await uploadTicket(LARGE);
    const forged = onGateway(ticket.uploadUrl).replace(/sig=[^&]+/, 'sig=forged');
    expect(await answerOf(await fetch(forged, { method: 'PUT', body: Buffer.alloc(LARGE) }))).toEqual({
      status: 403,
      body: JSON.stringify({ error: 'The URL signature is not valid' }),
    });
    const small = await uploadTicket(10);
    expect(await answerOf(await fetch(onGateway(small.uploadUrl), { method: 'PUT', body: Buffer.alloc(LARGE) }))).toEqual({
      status: 413,
      body: JSON.stringify({ error: `Content-Length is ${LARGE}, the upload declared 10 bytes` }),
    });
    // The ticket is still good, and the gateway still serves.
    const put = await fetch(onGateway(small.uploadUrl), { method: 'PUT', body: Buffer.alloc(10) });
    expect(put.status).toBe(200);
  });

  it('reaches the client as the service gave it, for a tus PATCH with a token for nothing', async () => {
    const patch = await fetch(`${gateway}/files/tus/00000000-0000-4000-8000-000000000000`, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-token': 'not-a-token', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: Buffer.alloc(LARGE),
    });
    expect(patch.status).toBe(401);
    expect(await patch.json()).toHaveProperty('error');
  });
});

describe('a body past its limit', () => {
  /** A body without Content-Length (chunked): its size shows only as it comes. */
  const chunked = (bytes: number) =>
    new ReadableStream({
      start(controller) {
        for (let sent = 0; sent < bytes; sent += 65_536) controller.enqueue(new Uint8Array(65_536));
        controller.close();
      },
    });

  it('answers 413 with a message, chunked as with a Content-Length, on the service and through the gateway', async () => {
    const erp = new URL(platform.subgraphs.erp!.url).origin;
    for (const origin of [erp, gateway]) {
      const response = await fetch(`${origin}/events/ingest`, { method: 'POST', body: chunked(4 * 1024 * 1024), duplex: 'half' } as RequestInit).catch(
        (error: Error & { cause?: { code?: string } }) => ({ status: error.cause?.code ?? error.message, json: async () => null }),
      );
      expect([origin, response.status, await response.json()]).toEqual([origin, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds 262144 bytes' } }]);
    }
    const token = await platform.tokenFor('maya.manager');
    const graphql = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: chunked(4 * 1024 * 1024),
      duplex: 'half',
    } as RequestInit).catch((error: Error & { cause?: { code?: string } }) => ({ status: error.cause?.code ?? error.message, json: async () => null }));
    expect([graphql.status, (await graphql.json())?.errors?.[0]?.extensions?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect((await fetch(`${gateway}/health/live`)).status).toBe(200);
  });
});

describe('a method a path is not served with', () => {
  it('answers 405 with Allow on the services and the gateway, 404 for a path nobody serves', async () => {
    const documents = new URL(platform.subgraphs.documents!.url).origin;
    const erp = new URL(platform.subgraphs.erp!.url).origin;
    const cases: [string, string, string][] = [
      [`${documents}/files/download/x`, 'DELETE', 'GET, HEAD'],
      [`${documents}/files/share/x`, 'PUT', 'GET, HEAD, POST'],
      [`${documents}/files/uploads/x`, 'GET', 'PUT'],
      [`${documents}/files/tus/x`, 'GET', 'DELETE, HEAD, OPTIONS, PATCH, POST'],
      [`${documents}/health/live`, 'OPTIONS', 'GET, HEAD'],
      [`${erp}/events/ingest`, 'GET', 'POST'],
      [`${gateway}/health/ready`, 'POST', 'GET, HEAD'],
      [`${gateway}/events/ingest`, 'PUT', 'POST'],
      [`${gateway}/files/share/x`, 'DELETE', 'GET, HEAD, POST, PUT'],
    ];
    for (const [url, method, allow] of cases) {
      const response = await fetch(url, { method });
      const body = (await response.json()) as { error: string };
      expect([url, method, response.status, response.headers.get('allow')]).toEqual([url, method, 405, allow]);
      expect(body.error).toBe(`${method} is not served at ${new URL(url).pathname}: use ${allow}`);
    }
    const nowhere = await fetch(`${gateway}/nowhere`, { method: 'DELETE' });
    expect([nowhere.status, nowhere.headers.get('allow')]).toEqual([404, null]);
  });
});

describe('a CONNECT', () => {
  it('is answered as any method its path is not served with: 405 naming what the path allows, or 404', async () => {
    const documents = Number(new URL(platform.subgraphs.documents!.url).port);
    const erp = Number(new URL(platform.subgraphs.erp!.url).port);
    const gatewayPort = Number(new URL(gateway).port);
    const cases: [number, string][] = [
      ...['/graphql', '/graphql/stream', '/health/ready', '/files/tus', '/files/tus/x', '/files/share/x', '/events/ingest', '/webhooks/livekit', '/nowhere'].map(
        (path): [number, string] => [gatewayPort, path],
      ),
      // (A service's /graphql asks for the gateway's signature before it looks at the method.)
      ...['/files/tus', '/files/uploads/x', '/metrics', '/nowhere'].map((path): [number, string] => [documents, path]),
      [erp, '/events/ingest'],
    ];
    // Signed in, JSON: what the gateway's /graphql (and Apollo's CSRF guard) ask for before they look at the method.
    const headers: [string, string][] = [
      ['authorization', `Bearer ${await platform.tokenFor('admin')}`],
      ['content-type', 'application/json'],
    ];
    const told: unknown[] = [];
    const expected: unknown[] = [];
    for (const [port, path] of cases) {
      // TRACE, served nowhere, goes through the ordinary routing: what any unserved method is told.
      const other = await exchange(port, { method: 'TRACE', target: path, headers });
      const connect = await exchange(port, { method: 'CONNECT', target: path, headers });
      if ('dropped' in other || 'dropped' in connect) throw new Error(`${port} ${path}: ${JSON.stringify({ other, connect })}`);
      told.push([port, path, connect.status, connect.headers.allow, JSON.parse(connect.body).error]);
      const error = other.status === 405 ? `CONNECT is not served at ${path}: use ${other.headers.allow}` : `No route for CONNECT ${path}`;
      expected.push([port, path, other.status, other.headers.allow, error]);
    }
    expect(told).toEqual(expected);
    // A proxy's CONNECT names a host, nothing served here.
    const tunnel = await exchange(gatewayPort, { method: 'CONNECT', target: 'example.com:443' });
    expect(tunnel).toMatchObject({ status: 404, body: expect.stringContaining('No route for CONNECT example.com:443') });
    expect('headers' in tunnel && tunnel.headers.allow).toBeUndefined();
  });
});

describe('a signed URL', () => {
  /** Sent as written: fetch would resolve the dot segments before sending. */
  const rawRequest = (url: string, method: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(url);
      const path = url.slice(target.origin.length);
      const request = http.request({ host: target.hostname, port: target.port, method, path, headers: method === 'PUT' ? { 'content-length': 0 } : {} }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      request.on('error', reject);
      request.end();
    });

  it('opens only the route it was signed for, whatever dot segments lead from another', async () => {
    const documents = new URL(platform.subgraphs.documents!.url).origin;
    const ticket = await uploadTicket(3);
    const upload = new URL(ticket.uploadUrl);
    const { data } = await platform.query('maya.manager', `{ documents { downloadUrl } }`);
    const download = new URL(data.documents[0].downloadUrl);
    const refused = { status: 403, body: JSON.stringify({ error: 'The URL signature is not valid' }) };
    for (const origin of [documents, gateway]) {
      // The upload's signature, for GET on the download route; the download's, for PUT on the upload route.
      expect(await rawRequest(`${origin}/files/download/..${upload.pathname.slice('/files'.length)}${upload.search}`, 'GET')).toEqual(refused);
      expect(await rawRequest(`${origin}/files/download/%2e%2e${upload.pathname.slice('/files'.length)}${upload.search}`, 'GET')).toEqual(refused);
      expect(await rawRequest(`${origin}/files/uploads/..${download.pathname.slice('/files'.length)}${download.search}`, 'PUT')).toEqual(refused);
    }
  });
});
