/**
 * The gateway's HTTP/1.1 client to subgraphs (subgraph-http-client.ts) against
 * servers that write their answers byte by byte as the test says: framed by
 * Content-Length, chunked (split anywhere, with extensions and trailers), up
 * to the close, after 1xx answers; sockets kept alive and reused, dropped
 * when the server closes them or sends unasked bytes; the time bounds, the
 * size bound, cancellation before and during an exchange, the bound on
 * connections, and close.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancellation } from '../cancellation.js';
import { SubgraphHttpClient, type SubgraphHttpOptions } from '../subgraph-http-client.js';

interface Answer {
  status: number;
  body: string;
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A TCP server whose every request (read up to its body's end) is answered by `answer`'s writes on the socket. */
async function rawServer(answer: (socket: net.Socket, request: string, index: number) => void | Promise<void>) {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        const request = buffered.slice(0, headEnd + 4 + length);
        buffered = buffered.slice(request.length);
        requests.push(request);
        void answer(socket, request, requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/graphql?x=1`), requests, connections: () => connections, sockets };
}

function client(url: URL, options: Partial<SubgraphHttpOptions> = {}): SubgraphHttpClient {
  const made = new SubgraphHttpClient({ url, connections: 4, keepAliveTimeoutMs: 30_000, connectTimeoutMs: 5_000, answerTimeoutMs: 10_000, maxResponseBytes: 0, ...options });
  closers.push(() => made.close());
  return made;
}

function send(to: SubgraphHttpClient, body = '{"query":"{ a }"}', signal?: Cancellation, lines = 'content-type: application/json\r\n'): Promise<Answer> {
  return new Promise((resolve, reject) =>
    to.request(lines, Buffer.from(body), signal, {
      onComplete: (status, chunks, length) => resolve({ status, body: Buffer.concat(chunks, length).toString('utf8') }),
      onError: reject,
    }),
  );
}

const OK_HEAD = (length: number) => `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: ${length}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n`;

/** Writes `text` one byte a write, each on a later turn, so the client reads it in as many pieces. */
async function dribble(socket: net.Socket, text: string): Promise<void> {
  for (const byte of Buffer.from(text, 'latin1')) {
    socket.write(Buffer.of(byte));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('SubgraphHttpClient', () => {
  it('sends one POST with its headers and length, and reads an answer framed by Content-Length on a kept socket', async () => {
    const body = '{"a":"é"}';
    const server = await rawServer((socket) => void socket.write(`${OK_HEAD(Buffer.byteLength(body))}${body}`));
    const to = client(server.url);
    const first = await send(to, '{"query":"{ a }"}', undefined, 'content-type: application/json\r\nx-request-id: r1\r\n');
    const second = await send(to);
    expect(first).toEqual({ status: 200, body: '{"a":"é"}' });
    expect(second).toEqual(first);
    expect(server.connections()).toBe(1);
    expect(server.requests[0]).toBe(
      `POST /graphql?x=1 HTTP/1.1\r\nhost: ${server.url.host}\r\nconnection: keep-alive\r\ncontent-type: application/json\r\nx-request-id: r1\r\ncontent-length: 17\r\n\r\n{"query":"{ a }"}`,
    );
  });

  it('reads a chunked answer split at every byte, with extensions and trailers, after a 1xx answer', async () => {
    const answer =
      'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"a"\r\nA\r\n:"bcdefgh"\r\n1\r\n}\r\n0\r\nx-trailer: 1\r\n\r\n';
    const server = await rawServer((socket) => dribble(socket, answer));
    const to = client(server.url);
    expect(await send(to)).toEqual({ status: 200, body: '{"a":"bcdefgh"}' });
    // The socket stays in use: the next answer, whole in one write, on it.
    expect(await send(to)).toEqual({ status: 200, body: '{"a":"bcdefgh"}' });
    expect(server.connections()).toBe(1);
  });

  it('reads an answer without length up to the close, and a 204 without body', async () => {
    const server = await rawServer((socket, _request, index) => {
      if (index === 0) socket.end('HTTP/1.1 500 Internal\r\ncontent-type: text/plain\r\n\r\nno length here');
      else socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const to = client(server.url);
    expect(await send(to)).toEqual({ status: 500, body: 'no length here' });
    expect(await send(to)).toEqual({ status: 204, body: '' });
    expect(server.connections()).toBe(2);
  });

  it('opens a new socket after the server closes one (Connection: close, its close while idle, unasked bytes)', async () => {
    const server = await rawServer((socket, _request, index) => {
      if (index === 0) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
      else if (index === 1) {
        socket.write(`${OK_HEAD(2)}{}`);
        setTimeout(() => socket.destroy(), 20);
      } else if (index === 2) {
        socket.write(`${OK_HEAD(2)}{}`);
        setTimeout(() => socket.write('HTTP/1.1 200 OK\r\n'), 20);
      } else socket.write(`${OK_HEAD(2)}{}`);
    });
    const to = client(server.url);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
    for (let index = 0; index < 4; index++) {
      expect(await send(to)).toEqual({ status: 200, body: '{}' });
      await pause();
    }
    expect(server.connections()).toBe(4);
  });

  it('fails an exchange whose socket closes before its answer with UND_ERR_SOCKET, a refused connection with ECONNREFUSED', async () => {
    const server = await rawServer((socket) => void socket.end('HTTP/1.1 200 OK\r\nContent-Len'));
    await expect(send(client(server.url))).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    const spare = await rawServer(() => {});
    const url = new URL(spare.url);
    for (const close of closers.splice(-1)) await close();
    await expect(send(client(url))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('bounds the wait for the head and the silence within the body', async () => {
    const silent = await rawServer(() => {});
    await expect(send(client(silent.url, { answerTimeoutMs: 100 }))).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    const stalled = await rawServer((socket) => void socket.write(`${OK_HEAD(10)}{"a"`));
    await expect(send(client(stalled.url, { answerTimeoutMs: 100 }))).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('refuses answers past maxResponseBytes, by their length or by their bytes', async () => {
    const server = await rawServer((socket, _request, index) => {
      if (index === 0) socket.write(`${OK_HEAD(11)}{"a":"long"}`);
      else socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{"a":"\r\n5\r\nlong"\r\n1\r\n}\r\n0\r\n\r\n');
    });
    const to = client(server.url, { maxResponseBytes: 10 });
    await expect(send(to)).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
    await expect(send(to)).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
  });

  it('never sends a request cancelled while queued, and destroys the socket of one cancelled under way', async () => {
    const server = await rawServer(() => {});
    const to = client(server.url, { connections: 1 });
    const first = new Cancellation();
    const queued = new Cancellation();
    const underWay = send(to, '{"n":1}', first);
    const waiting = send(to, '{"n":2}', queued);
    const reason = new Error('gone');
    queued.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.abort(reason);
    await expect(underWay).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toContain('{"n":1}');
    expect(server.sockets.size).toBe(0);
    const already = new Cancellation();
    already.abort(reason);
    await expect(send(to, '{}', already)).rejects.toBe(reason);
  });

  it('uses at most `connections` sockets, queueing the rest in order, and closes once every exchange is done', async () => {
    const order: string[] = [];
    const server = await rawServer((socket, request) => {
      order.push(request.slice(request.indexOf('\r\n\r\n') + 4));
      setTimeout(() => socket.write(`${OK_HEAD(2)}{}`), 30);
    });
    const to = client(server.url, { connections: 2 });
    const answers = Array.from({ length: 6 }, (_, index) => send(to, `{"n":${index}}`));
    const closed = to.close();
    expect((await Promise.all(answers)).every((answer) => answer.status === 200)).toBe(true);
    await closed;
    expect(server.connections()).toBe(2);
    expect(order.slice(2)).toEqual(['{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
    await expect(send(to)).rejects.toMatchObject({ code: 'UND_ERR_CLOSED' });
  });

  it("reads a Node server's answers as Node writes them", async () => {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/graphql?x=1') response.end('{"data":{}}');
        else response.writeHead(200, { 'content-length': 2 }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const to = client(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?x=1`));
    for (let index = 0; index < 3; index++) expect(await send(to)).toEqual({ status: 200, body: '{"data":{}}' });
  });

  it("keeps an idle socket for less than the server's keep-alive less the margin, however the timeouts divide", () => {
    // The socket must be gone before the server closes it: a request sent on it then would meet the close.
    for (const keepAliveTimeoutMs of [1_000, 4_000, 30_000]) {
      for (const hintMs of [2_500, 3_000, 5_000, 65_000]) {
        const to = client(new URL('http://127.0.0.1:9/graphql'), { keepAliveTimeoutMs });
        const keptMs = Math.min(keepAliveTimeoutMs, hintMs - 2_000);
        // 0: not kept at all.
        expect(to.idleSweepsWithin(keptMs) * to.intervalMs).toBeLessThanOrEqual(keptMs);
        if (keptMs >= to.intervalMs) expect(to.idleSweepsWithin(keptMs)).toBeGreaterThan(0);
      }
    }
  });
});
