/**
 * The initial payload of @defer delivered in parts is shaped without sharing
 * the merged data's objects (shape-response.ts, `reuse` off for it): the
 * deferred parts' fetches merge their fields into those same objects, and the
 * transport may serialise the initial payload only after they have (Apollo
 * Server's response hooks are asynchronous). So it must stay as it was
 * answered, whatever the deferred parts merge afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IncrementalDelivery, SubsequentPayload } from '../execution/incremental.js';
import { startLocalFederation, type LocalFederation } from './support/local-federation.js';

let federation: LocalFederation;
beforeAll(async () => {
  federation = await startLocalFederation();
});

describe('@defer in parts', () => {
  it('leaves the initial payload as answered once the deferred parts have merged into the same objects', async () => {
    const incremental: IncrementalDelivery = {};
    // The primary part's objects are exactly what catalog answered (__typename, id, name): in shape, so shareable.
    const initial = await federation.ours('{ products { __typename id name ... @defer(label: "r") { reviews { id } } } }', undefined, { incremental });
    const answered = JSON.stringify(initial);
    expect(initial.data).toEqual({
      products: federation.products.map(({ id, name }) => ({ __typename: 'Product', id, name })),
    });
    const parts: SubsequentPayload[] = [];
    for await (const part of incremental.rest!) parts.push(part);
    expect(parts.at(-1)!.hasNext).toBe(false);
    expect(JSON.stringify(parts)).toContain('"p1-r1"');
    expect(JSON.stringify(initial)).toBe(answered);
  });
});
