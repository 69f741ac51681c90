/**
 * The client's field beside a @requires of the same field with other
 * arguments (client-argument-aliases.ts), inside @defer: each part answers
 * the client's arguments under the client's response names, paths and error
 * paths included, over multipart/mixed and in one JSON answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTo } from '../support/gateway-platform.js';
import { incrementalClient } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { startTestGateway, stopTestGateway, type TestGateway } from './support/test-gateway.js';
import { requiresClientArgumentsSuite } from './suites/requires-client-arguments.js';

let servers: SubgraphServer[] = [];
let gateway: TestGateway;
let url: string;
let token: string;

beforeAll(async () => {
  servers = await Promise.all(requiresClientArgumentsSuite.subgraphs.map((definition) => startSubgraphServer(definition)));
  gateway = await startTestGateway(servers, { name: 'client-arguments-deferred' });
  ({ url, token } = gateway);
});
afterAll(() => stopTestGateway(gateway, servers));

const multipart = async (query: string) => (await (await incrementalClient(url, token).multipart(query)).rest()).items;
/** A payload's errors as paths (messages are the gateway's words). */
const errorPaths = (payload: unknown) =>
  JSON.parse(JSON.stringify(payload), (key, value) => (key === 'errors' ? value.map((error: { path: unknown }) => ({ path: error.path })) : value));

describe('a client field beside a @requires of it, under @defer', () => {
  it('both deferred in one part: the client field with its own arguments, its error under its own name', async () => {
    const query = '{ playlists { id ... @defer(label: "late") { headliner tracks(first: 1) { id lyrics } } } }';
    const late = (index: number) => ({ headliner: ['Ella', 'Dizzy'][index], tracks: [index === 0 ? { id: 't1', lyrics: null } : { id: 't5', lyrics: 'la t5' }] });
    expect(errorPaths(await multipart(query))).toEqual([
      { data: { playlists: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
      {
        hasNext: false,
        incremental: [
          { data: late(0), path: ['playlists', 0], label: 'late', errors: [{ path: ['playlists', 0, 'tracks', 0, 'lyrics'] }] },
          { data: late(1), path: ['playlists', 1], label: 'late' },
        ],
      },
    ]);
    const single = await postTo(url, { query });
    expect(errorPaths(single.body)).toEqual({
      data: {
        playlists: [
          { id: 'p1', ...late(0) },
          { id: 'p2', ...late(1) },
        ],
      },
      errors: [{ path: ['playlists', 0, 'tracks', 0, 'lyrics'] }],
    });
  });

  it('a part deferred inside the client field: its path names the client field', async () => {
    const query = '{ playlists { headliner tracks(first: 1) { id ... @defer { artist } } } }';
    expect(await multipart(query)).toEqual([
      {
        data: {
          playlists: [
            { headliner: 'Ella', tracks: [{ id: 't1' }] },
            { headliner: 'Dizzy', tracks: [{ id: 't5' }] },
          ],
        },
        hasNext: true,
      },
      {
        hasNext: false,
        incremental: [
          { data: { artist: 'Nina' }, path: ['playlists', 0, 'tracks', 0] },
          { data: { artist: 'Chet' }, path: ['playlists', 1, 'tracks', 0] },
        ],
      },
    ]);
  });
});
