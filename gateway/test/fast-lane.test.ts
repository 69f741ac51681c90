/**
 * The fast lane past Apollo Server (gateway/fast-lane.ts): once Apollo Server
 * has let an operation text through, the same text is answered without its
 * pipeline, and a client sees no difference: same status, media type, cache
 * header and body, errors included. New texts, bad variables and other
 * media types still meet Apollo's checks.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPlatform, type GatewayPlatform, type PostResult } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let auth: Record<string, string>;

beforeAll(async () => {
  platform = await startGatewayPlatform({ subgraphs: ['academy', 'meet'] });
  auth = { authorization: `Bearer ${await platform.tokenFor('admin')}` };
});
afterAll(() => platform?.stop());

async function fastLaneCount(): Promise<number> {
  const text = await (await fetch(platform.gateway.url.replace('/graphql', '/metrics'))).text();
  return Number(/^bheem_gateway_fast_lane_requests_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** What a client sees; stack traces (outside production) differ by where the answer was computed. */
const seen = (result: PostResult) => {
  const errors = result.body.errors?.map(({ extensions, ...error }) => {
    const { stacktrace: _stacktrace, ...rest } = (extensions ?? {}) as Record<string, unknown>;
    return { ...error, extensions: rest };
  });
  return { status: result.status, type: result.headers['content-type'], cache: result.headers['cache-control'], body: { ...result.body, errors } };
};

/** The answer's head and its bytes as they came over the wire. */
function rawPost(body: unknown, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      platform.gateway.url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Like rawPost, the client reading nothing for `pauseMs` once the head has come. */
function slowPost(body: unknown, headers: Record<string, string>, pauseMs: number): Promise<Buffer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      platform.gateway.url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.pause();
        setTimeout(() => {
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks)));
          response.resume();
        }, pauseMs);
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('the fast lane', () => {
  it('answers a known operation as Apollo Server did, data and errors alike', async () => {
    const query = 'query Page($id: ID!) { course(id: $id) { id fullname liveClasses { id title status } } }';
    for (const id of ['101', 'no-such-course']) {
      const body = { query, variables: { id }, operationName: 'Page' };
      const before = await fastLaneCount();
      const first = await platform.post(body, auth);
      const second = await platform.post(body, auth);
      expect(seen(second)).toEqual(seen(first));
      expect(await fastLaneCount()).toBeGreaterThan(before);
    }
    const answer = await platform.post({ query, variables: { id: '101' }, operationName: 'Page' }, auth);
    expect(answer.body.data?.course).toMatchObject({ id: '101', fullname: 'Physics 101: Mechanics' });

    const join = { query: 'mutation Join($id: ID!) { joinLiveClass(id: $id) { roomName } }', variables: { id: '999999' } };
    const first = await platform.post(join, auth);
    const second = await platform.post(join, auth);
    expect(second.body.errors?.length).toBeGreaterThan(0);
    expect(seen(second)).toEqual(seen(first));
  });

  it('keeps apart the operations of one document: each name runs its own, fast lane or not', async () => {
    const query = 'query Names { courses { id } } query One($id: ID!) { course(id: $id) { id fullname } }';
    const one = { query, variables: { id: '101' }, operationName: 'One' };
    const names = { query, operationName: 'Names' };
    await platform.post(one, auth);
    const before = await fastLaneCount();
    expect((await platform.post(one, auth)).body.data).toEqual({ course: { id: '101', fullname: 'Physics 101: Mechanics' } });
    expect(await fastLaneCount()).toBe(before + 1);
    // The same text under the other name: Apollo Server's first, then the fast lane's, each its own operation.
    for (const lane of [before + 1, before + 2]) {
      const answer = await platform.post(names, auth);
      expect(answer.body.data?.courses).toEqual(expect.arrayContaining([{ id: '101' }]));
      expect(await fastLaneCount()).toBe(lane);
    }
    // Without a name the document has two operations: refused, never run as either.
    const unnamed = await platform.post({ query, variables: { id: '101' } }, auth);
    expect(unnamed.body.data).toBeUndefined();
    expect(unnamed.body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });

  it('answers the graphql-response media type when asked for it', async () => {
    const body = { query: '{ courses { id } }' };
    const headers = { ...auth, accept: 'application/graphql-response+json' };
    const first = await platform.post(body, headers);
    const second = await platform.post(body, headers);
    expect(seen(second)).toEqual(seen(first));
    expect(second.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  });

  it('leaves variables that do not coerce to Apollo Server, which refuses them', async () => {
    const query = 'query One($id: ID!) { course(id: $id) { id } }';
    await platform.post({ query, variables: { id: '101' } }, auth);
    const before = await fastLaneCount();
    const refused = await platform.post({ query, variables: { id: { not: 'an id' } } }, auth);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.message).toMatch(/\$id/);
    expect(await fastLaneCount()).toBe(before);
  });

  it('sends the length of its answer in bytes, not chunked, small, large and not ASCII alike', async () => {
    // Large: past the answer's chunks (answer-chunks.ts, 16 kB characters each), several of them, with characters past ASCII
    // and past Latin-1 in them: each failed join's error names the id it was given.
    const id = 'salle-été-☕-'.repeat(3000);
    const joins = Array.from({ length: 8 }, (_, i) => `j${i}: joinLiveClass(id: $id) { roomName }`).join(' ');
    const operations = [
      { query: 'query Small($id: ID!) { course(id: $id) { id fullname } }', variables: { id: '101' } },
      { query: `query Many { ${Array.from({ length: 15 }, (_, i) => `c${i}: courses { id shortname fullname summary }`).join(' ')} }` },
      { query: `mutation Joins($id: ID!) { ${joins} }`, variables: { id } },
    ];
    for (const operation of operations) {
      await platform.post(operation, auth);
      const before = await fastLaneCount();
      const { headers, bytes } = await rawPost(operation, auth);
      expect(await fastLaneCount()).toBe(before + 1);
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(headers['content-length']).toBe(String(bytes.length));
      expect(JSON.parse(bytes.toString('utf8'))).toBeTypeOf('object');
      if (operation.variables?.id === id) {
        expect(bytes.length).toBeGreaterThan(64_000);
        // Every character as UTF-8, whichever encoding each chunk was written in.
        expect(bytes.toString('utf8')).toContain(JSON.stringify(id).slice(1, -1));
        expect(Buffer.from(bytes.toString('utf8')).equals(bytes)).toBe(true);
      }
    }
  });

  it('keeps each large answer its own while others are written, a slow reader among them', async () => {
    // The fast lane writes large answers from buffers it reuses (answer-buffers.ts): one still being sent must not be
    // written over by the next answer.
    const operation = (tag: string) => ({
      query: `mutation Joins($id: ID!) { ${Array.from({ length: 8 }, (_, i) => `j${i}: joinLiveClass(id: $id) { roomName }`).join(' ')} }`,
      variables: { id: `${tag}-été-☕-`.repeat(3000) },
    });
    // Every error names the id it was given: its own, whole, and no other's.
    const expectOwnAnswer = (bytes: Buffer, tag: string) => {
      const answer = JSON.parse(bytes.toString('utf8')) as { errors?: { message: string }[] };
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const error of answer.errors!) expect(error.message).toContain(operation(tag).variables.id);
      const pieces = bytes.toString('utf8').split('-été-☕-');
      expect(pieces.slice(0, -1).every((piece) => piece.endsWith(tag))).toBe(true);
    };
    await platform.post(operation('warm'), auth);
    const slow = slowPost(operation('slow'), auth, 300);
    const others = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((tag) => rawPost(operation(tag), auth)));
    for (const [index, { headers, bytes }] of others.entries()) {
      const tag = ['a', 'b', 'c', 'd', 'e', 'f'][index]!;
      expect(headers['content-length']).toBe(String(bytes.length));
      expect(bytes.length).toBeGreaterThan(64_000);
      expectOwnAnswer(bytes, tag);
    }
    expectOwnAnswer(await slow, 'slow');
  });
});
