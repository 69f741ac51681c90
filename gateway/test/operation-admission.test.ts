/**
 * Operations of several subgraph fetches are admitted a bounded number at a
 * time, in arrival order; operations of one fetch are never held
 * (gateway/execution/operation-admission.ts).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fetchCount, type CompiledNode } from '../execution/compiled-plan.js';
import { OperationAdmission } from '../execution/operation-admission.js';
import { startLocalFederation } from './support/local-federation.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('OperationAdmission', () => {
  it('runs at most `limit` operations at once and starts the others in arrival order', async () => {
    const reported: number[] = [];
    const admission = new OperationAdmission(2, (waiting) => reported.push(waiting));
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const finished = gates.map((gate, index) =>
      admission.admit(async () => {
        started.push(index);
        most = Math.max(most, ++running);
        await gate.promise;
        running--;
        return index;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(admission.waiting).toBe(3);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(finished)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(admission.active).toBe(0);
    // The metric's feed: three queued one by one, then let go one by one.
    expect(reported).toEqual([1, 2, 3, 2, 1, 0]);
  });

  it('passes the slot on when an operation fails', async () => {
    const admission = new OperationAdmission(1);
    const failing = admission.admit(async () => {
      throw new Error('subgraph down');
    });
    const next = admission.admit(async () => 'answered');
    await expect(failing).rejects.toThrow('subgraph down');
    expect(await next).toBe('answered');
    expect(admission.active).toBe(0);
  });

  it('lets everything in with a limit of 0, and refuses a negative one', async () => {
    const admission = new OperationAdmission(0);
    const gate = deferred();
    let running = 0;
    const all = Array.from({ length: 50 }, () =>
      admission.admit(async () => {
        running++;
        await gate.promise;
      }),
    );
    await tick();
    expect(running).toBe(50);
    gate.resolve();
    await Promise.all(all);
    expect(() => new OperationAdmission(-1)).toThrow(RangeError);
  });

  it('counts the fetches of a plan', () => {
    const fetch = { kind: 'Fetch', serviceName: 'catalog', operation: '{ a }', operationName: undefined, variableUsages: [], isMutation: false } satisfies CompiledNode;
    expect(fetchCount(fetch)).toBe(1);
    expect(
      fetchCount({
        kind: 'Sequence',
        nodes: [
          fetch,
          {
            kind: 'Parallel',
            nodes: [
              { kind: 'Flatten', path: ['items', '@'], node: fetch },
              { kind: 'Flatten', path: ['items', '@'], node: fetch },
            ],
          },
        ],
      }),
    ).toBe(3);
  });
});

describe('admission in the gateway executor', () => {
  const twoSubgraphs = '{ product(id: "p1") { name reviews { stars } } }';
  const oneSubgraph = '{ product(id: "p2") { name price } }';

  it('holds an operation of several fetches while the slots are taken, and never one of a single fetch', async () => {
    const admission = new OperationAdmission(1);
    const federation = await startLocalFederation({ admission });
    const occupant = deferred();
    const occupied = admission.admit(() => occupant.promise);

    const single = await federation.ours(oneSubgraph);
    expect(single.data).toEqual({ product: { name: 'Desk', price: 99 } });

    let answered = false;
    const waiting = federation.ours(twoSubgraphs).then((result) => {
      answered = true;
      return result;
    });
    for (let turn = 0; turn < 5; turn++) await tick();
    expect(answered).toBe(false);
    expect(admission.waiting).toBe(1);

    occupant.resolve();
    await occupied;
    expect((await waiting).data).toEqual({ product: { name: 'Lamp', reviews: [{ stars: 4 }, { stars: 3 }] } });
  });

  it('runs admitted operations level after level instead of interleaving them', async () => {
    const bounded = await startLocalFederation({ admission: new OperationAdmission(1) });
    await Promise.all([1, 2, 3].map(() => bounded.ours(twoSubgraphs)));
    expect(bounded.calls).toEqual(['catalog', 'reviews', 'catalog', 'reviews', 'catalog', 'reviews']);

    const unbounded = await startLocalFederation();
    await Promise.all([1, 2, 3].map(() => unbounded.ours(twoSubgraphs)));
    expect(unbounded.calls).toEqual(['catalog', 'catalog', 'catalog', 'reviews', 'reviews', 'reviews']);
  });
});
