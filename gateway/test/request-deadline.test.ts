/**
 * The request's deadline without an AbortController (pipeline/request-deadline.ts,
 * cancellation.ts): it still fires at its time, when the caller leaves, never
 * after the answer is out, and what follows it (@defer's parts, a streamed
 * query) is cancelled with it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancellation, type CancelSignal } from '../cancellation.js';
import { requestDeadline } from '../pipeline/request-deadline.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose handler gets each request's deadline; returns its URL. */
async function serve(timeoutMs: number, handle: (signal: CancelSignal, response: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((_request, response) => handle(requestDeadline(response, timeoutMs), response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const aborted = (signal: CancelSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a request deadline', () => {
  it('fires at GATEWAY_REQUEST_TIMEOUT_MS with GATEWAY_TIMEOUT', async () => {
    let reason: Promise<unknown> | undefined;
    let signal: CancelSignal | undefined;
    const url = await serve(50, (given, response) => {
      signal = given;
      reason = aborted(given);
      void reason.then(() => response.end('late'));
    });
    // A timer 1 ms shorter, set before the deadline's: it expires first and runs first, however late both run on a
    // loaded machine. The deadline has not fired by then: not early, and no elapsed time is read.
    let abortedBefore: boolean | undefined;
    servers[0]!.prependListener('request', () => setTimeout(() => (abortedBefore = signal!.aborted), 49));
    expect(await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text()).toBe('late');
    expect(await reason).toMatchObject({ code: 'GATEWAY_TIMEOUT' });
    expect(abortedBefore, 'not fired when the 49 ms timer set before it ran').toBe(false);
  });

  it('fires with CLIENT_CLOSED_REQUEST when the caller leaves before the answer', async () => {
    let reason: Promise<unknown> | undefined;
    const url = await serve(60_000, (signal) => {
      reason = aborted(signal);
    });
    const leaving = new AbortController();
    const request = fetch(url, { signal: leaving.signal }).catch(() => undefined);
    while (!reason) await sleep(5);
    leaving.abort();
    await request;
    expect(await reason).toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
  });

  it('never fires once the answer is out, neither at its time nor when the connection closes', async () => {
    let signal: CancelSignal | undefined;
    const url = await serve(40, (given, response) => {
      signal = given;
      response.end('done');
    });
    expect(await (await fetch(url)).text()).toBe('done');
    await sleep(80);
    for (const server of servers) server.closeAllConnections();
    await sleep(10);
    expect(signal!.aborted).toBe(false);
  });
});

describe('a cancellation that follows another', () => {
  it('is aborted with its parent, with the same reason, and its listeners run once', () => {
    const parent = new Cancellation();
    const child = new Cancellation(parent);
    let calls = 0;
    child.addEventListener('abort', () => calls++);
    parent.abort('gone');
    parent.abort('again');
    expect(child).toMatchObject({ aborted: true, reason: 'gone' });
    expect(calls).toBe(1);
  });

  it('can be aborted alone, and then no longer listens to its parent', () => {
    const listening = new Set<() => void>();
    const parent: CancelSignal = {
      aborted: false,
      reason: undefined,
      addEventListener: (_type, listener) => listening.add(listener),
      removeEventListener: (_type, listener) => listening.delete(listener),
    };
    const child = new Cancellation(parent);
    expect(listening.size).toBe(1);
    child.abort('stopped');
    expect(child.reason).toBe('stopped');
    expect(listening.size).toBe(0);
  });

  it('follows an AbortSignal too, aborted already or later', () => {
    const parent = new AbortController();
    const child = new Cancellation(parent.signal);
    parent.abort('gone');
    expect(child).toMatchObject({ aborted: true, reason: 'gone' });
    expect(new Cancellation(parent.signal)).toMatchObject({ aborted: true, reason: 'gone' });
  });

  it('calls no listener that was removed, and every other one even when one throws', async () => {
    const cancellation = new Cancellation();
    const called: string[] = [];
    const removed = () => called.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    cancellation.addEventListener('abort', () => called.push('kept'));
    cancellation.removeEventListener('abort', removed);
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    cancellation.abort('x');
    expect(called).toEqual(['kept']);
    expect(await uncaught).toMatchObject({ message: 'listener failed' });
  });
});
