/**
 * The bound on an ordinary request's arrival, on a plain loopback server: a
 * request that trickles in past it is answered 408, one that arrives in time
 * is served, and ordinary requests cost no timer each (they are watched by
 * one sweep per server) nor stay held once they are in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { boundRequestTime } from '../request-time-bounds.js';
import { readBody } from '../read-body.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const BOUND_MS = 400;
let server: http.Server | undefined;
let seen: WeakRef<http.IncomingMessage>[] = [];

async function start(): Promise<string> {
  server = http.createServer(async (request, response) => {
    seen.push(new WeakRef(request));
    try {
      const body = await readBody(request, 1024 * 1024);
      response.end(`got ${body.length}`);
    } catch {
      // Cut: the bound answered already.
    }
  });
  boundRequestTime(server, { requestTimeoutMs: BOUND_MS, uploadIdleTimeoutMs: 0 });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  seen = [];
});

/** POSTs `pieces` of a body `pauseMs` apart; the status, or the error ending it. */
function trickle(url: string, pieces: number, pauseMs: number): { outcome: Promise<number | string>; request: http.ClientRequest } {
  const request = http.request(url, { method: 'POST', headers: { 'content-length': String(pieces) } });
  const outcome = new Promise<number | string>((resolve) => {
    request.once('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  void (async () => {
    for (let piece = 0; piece < pieces && !request.destroyed; piece++) {
      if (piece > 0) await new Promise((next) => setTimeout(next, pauseMs));
      request.write('x');
    }
    if (!request.destroyed) request.end();
  })();
  return { outcome, request };
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('the bound on an ordinary request', () => {
  it('answers 408 to a request still arriving past it, and serves one that arrives in time', async () => {
    const url = await start();
    const started = Date.now();
    // ~3 s to arrive in all: a 408 says it was cut before it was in.
    const late = trickle(url, 30, 100);
    const inTime = trickle(url, 2, 100);
    expect(await inTime.outcome).toBe(200);
    expect(await late.outcome).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BOUND_MS);
  });

  it('sets no timer per request while bodies arrive', async () => {
    const url = await start();
    const before = timers();
    const slow = Array.from({ length: 20 }, () => trickle(url, 2, 150));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The clients' own pauses are timers too: one each, in this process.
    expect(timers() - before).toBeLessThanOrEqual(slow.length + 2);
    for (const { outcome } of slow) expect(await outcome).toBe(200);
  });

  it('holds no request once it is in', async () => {
    const url = await start();
    for (let index = 0; index < 20; index++) expect(await trickle(url, 1, 0).outcome).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    collectGarbage();
    // The last one or two may still be looked at by the next request's arrival or the sweep.
    expect(seen.filter((reference) => reference.deref() !== undefined).length).toBeLessThanOrEqual(2);
  });
});
