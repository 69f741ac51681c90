/**
 * Subscribing through the gateway as clients do: the graphql-ws client (and
 * graphql-sse's), with events collected for tests to wait on, by deferred
 * and timeout, never by sleeping.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient } from 'graphql-ws';
import http from 'node:http';
import WebSocket from 'ws';

export interface Subscription<T = any> {
  events: T[];
  /**
   * Resolves with the n-th event (1-based). Waits as long as events keep coming: rejects only when
   * none arrived for `stallMs`, so a loaded machine slows the test down without failing it.
   */
  event: (n: number, stallMs?: number) => Promise<T>;
  /** Resolves when the subscription ends: the close code (WebSocket) or the error, if any. */
  ended: Promise<{ code?: number; reason?: string; error?: unknown }>;
  dispose: () => void;
}

function collector<T>() {
  const events: T[] = [];
  const waiters: { n: number; resolve: (event: T) => void; progress: () => void }[] = [];
  let markEnded!: (outcome: { code?: number; reason?: string; error?: unknown }) => void;
  const ended = new Promise<{ code?: number; reason?: string; error?: unknown }>((resolve) => (markEnded = resolve));
  return {
    events,
    ended,
    markEnded,
    push(event: T) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.n === events.length) waiter.resolve(event);
        else waiter.progress();
      }
    },
    event(n: number, stallMs = 15_000): Promise<T> {
      if (events.length >= n) return Promise.resolve(events[n - 1]!);
      return new Promise<T>((resolve, reject) => {
        const stalled = () => reject(new Error(`Event ${n} did not arrive: no event for ${stallMs} ms (got ${events.length})`));
        let timer = setTimeout(stalled, stallMs);
        const waiter = {
          n,
          progress: () => {
            clearTimeout(timer);
            timer = setTimeout(stalled, stallMs);
          },
          resolve: (event: T) => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(event);
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

export const wsUrlOf = (httpUrl: string) => httpUrl.replace(/^http/, 'ws').replace('localhost', '127.0.0.1');

/** A graphql-ws client subscription through `url` (the gateway's ws:// /graphql). */
export function subscribeWs<T = any>(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const events = collector<T>();
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    on: { closed: (event) => events.markEnded({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => events.push(result as T),
      error: (error) => events.markEnded({ error, code: (error as CloseEvent)?.code, reason: (error as CloseEvent)?.reason }),
      complete: () => undefined,
    },
  );
  return { events: events.events, event: events.event, ended: events.ended, dispose: () => void client.dispose() };
}

/** A graphql-sse client subscription ("distinct connections" mode). */
export function subscribeSse<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const events = collector<T>();
  const client = createSseClient({ url, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    { next: (result) => events.push(result as T), error: (error) => events.markEnded({ error }), complete: () => events.markEnded({}) },
  );
  return { events: events.events, event: events.event, ended: events.ended, dispose: () => (unsubscribe(), client.dispose()) };
}

/**
 * A client that speaks graphql-transport-ws by hand and can stop reading its
 * socket, as a slow consumer on a bad network would.
 */
export function rawSubscriber(url: string, token: string, query: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  let messages = 0;
  let markClosed!: (close: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (markClosed = resolve));
  let markSubscribed!: () => void;
  const acknowledged = new Promise<void>((resolve) => (markSubscribed = resolve));
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      markSubscribed();
    }
    if (message.type === 'next') messages++;
  });
  socket.on('close', (code, reason) => markClosed({ code, reason: String(reason) }));
  const raw = () => (socket as unknown as { _socket: import('node:net').Socket })._socket;
  return {
    acknowledged,
    closed,
    messages: () => messages,
    pause: () => raw().pause(),
    resume: () => raw().resume(),
    close: () => socket.terminate(),
  };
}

/**
 * An SSE subscriber speaking the protocol by hand (POST, `text/event-stream`)
 * that can stop reading its connection, as a slow consumer would. `pings`
 * holds when each comment line (the gateway's keep-alive) arrived.
 */
export function rawSseSubscriber(url: string, token: string, query: string) {
  const events: { event: string; data: any }[] = [];
  const pings: number[] = [];
  let markOpen!: () => void;
  const open = new Promise<void>((resolve) => (markOpen = resolve));
  let markEnded!: (outcome: { complete: boolean }) => void;
  const ended = new Promise<{ complete: boolean }>((resolve) => (markEnded = resolve));
  let response: import('node:http').IncomingMessage | undefined;
  const request = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' } }, (res) => {
    response = res;
    markOpen();
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (block.startsWith(':')) pings.push(performance.now());
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ? JSON.parse(data) : null });
      }
    });
    res.on('end', () => markEnded({ complete: events.at(-1)?.event === 'complete' }));
    res.on('error', () => markEnded({ complete: false }));
  });
  request.on('error', () => markEnded({ complete: false }));
  request.end(JSON.stringify({ query }));
  return {
    open,
    ended,
    events,
    pings,
    nextEvents: () => events.filter((event) => event.event === 'next'),
    /** The client's end of the connection, once open. */
    localPort: () => response!.socket.localPort!,
    pause: () => response!.socket.pause(),
    resume: () => response!.socket.resume(),
    close: () => request.destroy(),
  };
}
