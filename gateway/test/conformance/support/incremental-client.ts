/**
 * A client of incremental answers by hand, reading each body as it streams:
 * multipart/mixed (as Apollo Client and urql ask for it) and Server-Sent
 * Events (graphql-sse's distinct connections mode: POST of JSON, or GET with
 * URL parameters). `signal` lets a test leave mid-stream. And graphql-ws's
 * client, collecting each operation's payloads.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const MULTIPART = 'multipart/mixed;deferSpec=20220824, application/json';

export interface SseOptions {
  /** Default /graphql/stream. */
  path?: string;
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
}

/** The JSON payloads of a multipart/mixed body (boundary "-"), in order. */
export function multipartPayloads(body: string): unknown[] {
  return body
    .split('\r\n---')
    .filter((part) => part.includes('\r\n\r\n'))
    .map((part) => JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4)));
}

/** The events of a text/event-stream body, in order (`data` parsed when there is some). */
export function sseEvents(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      return { event: /^event: (.*)$/m.exec(block)![1]!, data: data ? JSON.parse(data) : null };
    });
}

/** Reads `response`'s body as it comes, split by `split`. */
function streamed<T>(response: Response, split: (text: string) => T[]) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    response,
    /** Reads until `count` items have arrived (or the body ends); returns all so far. */
    async until(count: number): Promise<T[]> {
      while (split(text).length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return split(text);
    },
    /** Reads to the end of the body. */
    async rest(): Promise<{ items: T[]; text: string }> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { items: split(text), text };
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

/** `url`: the gateway's /graphql. */
export function incrementalClient(url: string, token: string) {
  return {
    async multipart(query: string, variables?: Record<string, unknown>, signal?: AbortSignal) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: MULTIPART }, body: JSON.stringify({ query, variables }), signal });
      return streamed(response, multipartPayloads);
    },
    async sse(query: string, options: SseOptions = {}) {
      const target = url.replace(/\/graphql$/, options.path ?? '/graphql/stream');
      const headers = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
      const response =
        options.method === 'GET'
          ? await fetch(`${target}?${new URLSearchParams({ query })}`, { headers, signal: options.signal })
          : await fetch(target, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query }), signal: options.signal });
      return streamed(response, sseEvents);
    },
  };
}

/** graphql-ws's client of the gateway (`url`: its /graphql); `run` collects one operation's payloads until `complete`, or rejects with its errors. */
export function graphqlWsCollector(url: string, token: string) {
  const client = createClient({ url: url.replace('http:', 'ws:'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
  return {
    run: (query: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const received: unknown[] = [];
        client.subscribe({ query }, { next: (payload) => void received.push(payload), error: reject, complete: () => resolve(received) });
      }),
    dispose: () => client.dispose(),
  };
}
