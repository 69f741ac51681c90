/**
 * An upload longer than the servers' total bound on receiving a request
 * (HTTP_REQUEST_TIMEOUT_MS, Node's 300 s `requestTimeout` before) goes
 * through so long as its bytes keep coming; one that stalls past
 * HTTP_UPLOAD_IDLE_TIMEOUT_MS is cut, and an ordinary request is still
 * bounded in total. Through the real gateway's /files/ relay to documents,
 * whose own bound on a silent service (GATEWAY_FORWARD_TIMEOUT_MS) is set
 * shorter than the upload idle bound: a stalled client is the upload bound's
 * to answer (408), not the relay's (504).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { sha256 } from './documents-platform.js';

const REQUEST_TIMEOUT_MS = 2000;
const IDLE_TIMEOUT_MS = 1500;
const FORWARD_TIMEOUT_MS = 700;

let platform: TestPlatform;
let gateway: string;
let token: string;
beforeAll(async () => {
  platform = await startTestPlatform({
    subgraphs: ['academy', 'erp', 'documents'],
    env: {
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      GATEWAY_FORWARD_TIMEOUT_MS: String(FORWARD_TIMEOUT_MS),
    },
  });
  platform.config.subgraphUrls.academy = platform.subgraphs.academy!.url;
  gateway = new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')).origin;
  token = await platform.tokenFor('maya.manager');
}, 120_000);
afterAll(() => platform?.stop());

const onGateway = (publicUrl: string) => `${gateway}${new URL(publicUrl).pathname}${new URL(publicUrl).search}`;

async function ticketFor(filename: string, size: number): Promise<{ uploadId: string; uploadUrl: string }> {
  const requested = await platform.request({
    token,
    query: `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`,
    variables: { input: { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename, size } },
  });
  expect(requested.body.errors).toBeUndefined();
  return requested.body.data.requestDocumentUpload;
}

type Outcome = { status: number; text: string } | { error: string };

/** Sends `body` in `pieces` with `pauseMs` between them, then waits (at most `waitMs` more) for the answer. */
function trickle(url: string, method: string, headers: Record<string, string>, body: Buffer, pieces: number, pauseMs: number, waitMs = 15_000): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(url, { method, headers: { ...headers, 'content-length': String(body.length) } });
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      request.destroy();
    };
    request.once('response', async (response) => {
      let text = '';
      try {
        for await (const chunk of response) text += chunk;
        settle({ status: response.statusCode ?? 0, text });
      } catch (error) {
        settle({ error: `${(error as NodeJS.ErrnoException).code ?? (error as Error).message} while reading a ${response.statusCode}` });
      }
    });
    request.once('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    const size = Math.ceil(body.length / pieces);
    void (async () => {
      for (let offset = 0; offset < body.length && !settled; offset += size) {
        if (offset > 0) await new Promise((next) => setTimeout(next, pauseMs));
        if (!request.destroyed) request.write(body.subarray(offset, offset + size));
      }
      if (!request.destroyed) request.end();
      setTimeout(() => settle({ error: 'no answer' }), waitMs).unref();
    })();
  });
}

const uploadState = async (id: string) =>
  (await platform.query('maya.manager', `{ documentUpload(id: "${id}") { status receivedBytes } }`)).data?.documentUpload as { status: string } | undefined;

describe('time bounds on receiving a request', () => {
  it('lets an upload that keeps sending take longer than the total bound', { timeout: 60_000 }, async () => {
    const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, (_, index) => (index * 31) % 251));
    const ticket = await ticketFor('slow-link.bin', bytes.length);
    const started = Date.now();
    // 16 pieces 300 ms apart: ~4.5 s in all, never idle for IDLE_TIMEOUT_MS.
    const outcome = await trickle(onGateway(ticket.uploadUrl), 'PUT', {}, bytes, 16, 300);
    expect(outcome).toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS * 2);
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { checksum size } }` });
    expect(completed.body.errors).toBeUndefined();
    expect(completed.body.data.completeDocumentUpload).toEqual({ checksum: sha256(bytes), size: bytes.length });
  });

  it('cuts an upload whose client stops sending, and stores nothing', { timeout: 60_000 }, async () => {
    const bytes = Buffer.alloc(32 * 1024, 9);
    const ticket = await ticketFor('stalled.bin', bytes.length);
    // Half the body, then silence far longer than the idle bound (the rest would follow after 10 s).
    const started = Date.now();
    const outcome = await trickle(onGateway(ticket.uploadUrl), 'PUT', {}, bytes, 2, 10_000);
    // The upload's bound answers, whichever hop notices first: not the relay's 504 after its shorter silence.
    expect(outcome).toMatchObject({ status: 408 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS);
    expect(Date.now() - started).toBeLessThan(IDLE_TIMEOUT_MS + 2500);
    // The ticket is released at once: usable again.
    await expect.poll(async () => (await uploadState(ticket.uploadId))?.status, { timeout: 2000 }).toBe('pending');
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { id } }` });
    expect(completed.body.errors?.length).toBeGreaterThan(0);
  });

  it('still bounds an ordinary request that trickles in, on the gateway and on a subgraph', { timeout: 60_000 }, async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(200) }));
    for (const url of [`${gateway}/graphql`, platform.subgraphs.documents!.url]) {
      const started = Date.now();
      // Never idle (a piece every 300 ms) but ~6 s in all: over the total bound.
      const outcome = await trickle(url, 'POST', { 'content-type': 'application/json' }, body, 20, 300);
      if ('status' in outcome) expect(outcome.status).toBe(408);
      else expect(outcome.error).not.toBe('no answer');
      expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 2500);
    }
  });
});
