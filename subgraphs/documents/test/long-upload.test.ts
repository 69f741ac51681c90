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

// The client's pauses, these bounds' timers and the servers share this process's event loop: on a loaded machine
// a pause of 300 ms can last a second or more, and documents can take a second to answer a finished upload.
// The silences allowed are many pauses long; what the tests check is which bound answers, and before what.
const REQUEST_TIMEOUT_MS = 2000;
const IDLE_TIMEOUT_MS = 10_000;
const FORWARD_TIMEOUT_MS = 5_000;

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
});
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

/** The answer or the error, and how many pieces of the body had been sent by then. */
type Outcome = ({ status: number; text: string } | { error: string }) & { sent: number };

/** Sends `body` in `pieces` with `pauseMs` between them, then waits (at most `waitMs` more) for the answer. */
function trickle(url: string, method: string, headers: Record<string, string>, body: Buffer, pieces: number, pauseMs: number, waitMs = 15_000): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(url, { method, headers: { ...headers, 'content-length': String(body.length) } });
    let settled = false;
    let sent = 0;
    const settle = (outcome: { status: number; text: string } | { error: string }) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, sent });
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
        // Unreferenced: a pause longer than the test (a client gone silent) must not hold the process.
        if (offset > 0) await new Promise((next) => setTimeout(next, pauseMs).unref());
        if (!request.destroyed && !settled) {
          request.write(body.subarray(offset, offset + size));
          sent++;
        }
      }
      if (!request.destroyed) request.end();
      setTimeout(() => settle({ error: 'no answer' }), waitMs).unref();
    })();
  });
}

const uploadState = async (id: string) =>
  (await platform.query('maya.manager', `{ documentUpload(id: "${id}") { status receivedBytes } }`)).data?.documentUpload as { status: string } | undefined;

describe('time bounds on receiving a request', () => {
  it('lets an upload that keeps sending take longer than the total bound', async () => {
    const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, (_, index) => (index * 31) % 251));
    const ticket = await ticketFor('slow-link.bin', bytes.length);
    const started = Date.now();
    // 16 pieces 300 ms apart: ~4.5 s in all (longer on a loaded machine), never idle for IDLE_TIMEOUT_MS.
    const outcome = await trickle(onGateway(ticket.uploadUrl), 'PUT', {}, bytes, 16, 300);
    expect(outcome).toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS * 2);
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { checksum size } }` });
    expect(completed.body.errors).toBeUndefined();
    expect(completed.body.data.completeDocumentUpload).toEqual({ checksum: sha256(bytes), size: bytes.length });
  });

  it('cuts an upload whose client stops sending, and stores nothing', async () => {
    const bytes = Buffer.alloc(32 * 1024, 9);
    const ticket = await ticketFor('stalled.bin', bytes.length);
    // Half the body, then silence longer than the test: only a bound can answer, and while the client is silent.
    const started = Date.now();
    const outcome = await trickle(onGateway(ticket.uploadUrl), 'PUT', {}, bytes, 2, 600_000, 600_000);
    // The upload's bound answers, whichever hop notices first: not the relay's 504 after its shorter silence.
    expect(outcome).toMatchObject({ status: 408, sent: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS);
    // The ticket is released: usable again.
    await expect.poll(async () => (await uploadState(ticket.uploadId))?.status).toBe('pending');
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { id } }` });
    expect(completed.body.errors?.length).toBeGreaterThan(0);
  });

  it('still bounds an ordinary request that trickles in, on the gateway and on a subgraph', async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(200) }));
    for (const url of [`${gateway}/graphql`, platform.subgraphs.documents!.url]) {
      // Never idle (a piece every 300 ms) but ~6 s in all: over the total bound.
      const outcome = await trickle(url, 'POST', { 'content-type': 'application/json' }, body, 20, 300);
      if ('status' in outcome) expect(outcome.status).toBe(408);
      else expect(outcome.error).not.toBe('no answer');
      // Cut by the bound, not answered once the body was whole: before its last piece went (those wait in the same
      // event loop as the bound's sweeps, so a loaded machine delays both).
      expect(outcome.sent).toBeLessThan(20);
    }
  });
});
