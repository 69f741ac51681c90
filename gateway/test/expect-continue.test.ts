/**
 * `Expect: 100-continue` over raw sockets (RFC 9110 §10.1.1): a request the
 * route refuses from its method, target and headers (no token, a
 * Content-Length over the limit, a bad signature, an unknown path) gets
 * that final status instead of 100 Continue, so the client never sends its
 * body; one the route accepts gets 100 Continue, then its answer. On the
 * gateway (its own routes and its relay of /files/ to documents) and on the
 * documents service itself.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';

let platform: TestPlatform;
let gateway: URL;
let documents: URL;
let token: string;

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'documents'] });
  gateway = new URL(platform.gateway!.url.replace('localhost', '127.0.0.1'));
  documents = new URL(platform.subgraphs.documents!.url);
  token = await platform.tokenFor('maya.manager');
});
afterAll(() => platform?.stop());

interface Exchange {
  /** Every status line's code, in order: [100, 200] when the body was asked for. */
  statuses: number[];
  /** The final answer's body. */
  body: string;
  /** Whether the body was sent (only after 100 Continue). */
  bodySent: boolean;
}

/** Sends the headers with Expect: 100-continue, and the body only if 100 Continue comes. */
function exchange(origin: URL, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(origin.port), origin.hostname);
    const result: Exchange = { statuses: [], body: '', bodySent: false };
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no final answer within 15 s (${JSON.stringify(result)})`));
    }, 15_000);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.on('error', reject);
    const lines = Object.entries({ host: origin.host, expect: '100-continue', 'content-length': String(body.length), ...headers }).map(([name, value]) => `${name}: ${value}`);
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = received.subarray(0, end).toString('latin1');
        const status = Number(head.slice(9, 12));
        if (status === 100) {
          result.statuses.push(100);
          received = received.subarray(end + 4);
          result.bodySent = true;
          socket.write(body);
          continue;
        }
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (received.length < end + 4 + length) return;
        result.statuses.push(status);
        result.body = received.subarray(end + 4, end + 4 + length).toString('utf8');
        return done();
      }
    });
  });
}

async function uploadUrl(size: number): Promise<URL> {
  const requested = await platform.request({
    token,
    query: `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadUrl } }`,
    variables: { input: { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename: 'expect.bin', size } },
  });
  expect(requested.body.errors).toBeUndefined();
  return new URL(requested.body.data.requestDocumentUpload.uploadUrl);
}

const pathOf = (url: URL) => `${url.pathname}${url.search}`;
const forged = (url: URL) => pathOf(url).replace(/sig=[^&]+/, 'sig=AAAA');
const query = Buffer.from(JSON.stringify({ query: '{ __typename }' }));
const json = { 'content-type': 'application/json' };

describe('Expect: 100-continue on the gateway', () => {
  it('answers 401 instead of 100 to a GraphQL request without a valid token', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const answer = await exchange(gateway, 'POST', '/graphql', { ...json, ...(authorization && { authorization }) }, query);
      expect(answer).toMatchObject({ statuses: [401], bodySent: false });
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 413 instead of 100 to a Content-Length over the limit', async () => {
    const answer = await exchange(gateway, 'POST', '/graphql', { ...json, authorization: `Bearer ${token}`, 'content-length': '50000000' }, query);
    expect(answer).toMatchObject({ statuses: [413], bodySent: false });
  });

  it('answers 404 instead of 100 on an unknown path', async () => {
    expect(await exchange(gateway, 'POST', '/no/such/path', json, query)).toMatchObject({ statuses: [404], bodySent: false });
  });

  it('relays documents refusing an upload (a forged signature, a size over the declared one) instead of 100', async () => {
    const url = await uploadUrl(8);
    expect(await exchange(gateway, 'PUT', forged(url), {}, Buffer.alloc(8))).toMatchObject({ statuses: [403], bodySent: false });
    expect(await exchange(gateway, 'PUT', pathOf(url), {}, Buffer.alloc(9))).toMatchObject({ statuses: [413], bodySent: false });
  });

  it('answers a bodiless GET that expects 100 as any other, through the relay too', async () => {
    const url = await uploadUrl(8);
    const download = `/files/download/${'0'.repeat(8)}${url.search}`;
    for (const path of ['/health/live', download]) {
      const answer = await exchange(gateway, 'GET', path, { 'content-length': '0' }, Buffer.alloc(0));
      expect(answer.statuses.at(-1), path).toBeLessThan(500);
    }
  });

  it('asks for the body with 100 Continue when the route takes it, then answers', async () => {
    const answer = await exchange(gateway, 'POST', '/graphql', { ...json, authorization: `Bearer ${token}` }, query);
    expect(answer).toMatchObject({ statuses: [100, 200], bodySent: true });
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
    const url = await uploadUrl(8);
    expect(await exchange(gateway, 'PUT', pathOf(url), {}, Buffer.alloc(8, 1))).toMatchObject({ statuses: [100, 200], bodySent: true });
  });
});

describe('Expect: 100-continue on the documents service', () => {
  it('refuses a forged upload URL and an unknown path instead of 100, and takes a good upload after 100', async () => {
    const url = await uploadUrl(8);
    expect(await exchange(documents, 'PUT', forged(url), {}, Buffer.alloc(8))).toMatchObject({ statuses: [403], bodySent: false });
    expect(await exchange(documents, 'PUT', '/no/such/path', {}, Buffer.alloc(8))).toMatchObject({ statuses: [404], bodySent: false });
    expect(await exchange(documents, 'PUT', pathOf(url), {}, Buffer.alloc(8, 2))).toMatchObject({ statuses: [100, 200], bodySent: true });
  });
});
