/**
 * The subscriptions bench's probe in a subgraph's process
 * (bench/support/subgraph-probe.mjs): what it answers over IPC. A plain
 * Node.js child stands in for the subgraph: the probe knows nothing of it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../platform/paths.js';

const PROBE = path.join(REPO_ROOT, 'bench/support/subgraph-probe.mjs');

// Short-lived garbage on demand: `count` arrays of 16 small objects, none kept, then 'allocated'.
const CHILD = `
process.on('message', (message) => {
  if (message.type !== 'allocate') return;
  let kept = 0;
  for (let index = 0; index < message.count; index++) kept += Array.from({ length: 16 }, (_, k) => ({ k, index })).length;
  process.send({ type: 'allocated', kept });
});
setInterval(() => {}, 1000);
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

function start(): ChildProcess {
  child = fork('-e', [CHILD], { execArgv: ['--import', PROBE, '--max-semi-space-size=1'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return child;
}

function ask<T>(target: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (answer: { type?: string }) => {
      if (answer.type !== type) return;
      target.off('message', onMessage);
      resolve(answer as T);
    };
    target.on('message', onMessage);
    target.send(message);
  });
}

describe('subgraph probe', () => {
  it("counts what was allocated, objects the young generation's GC collected included, and the GC pauses meanwhile", async () => {
    const target = start();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'subgraph-probe-')), 'allocated.heapprofile');
    const before = await ask<{ gc: { count: number } }>(target, { probe: true, type: 'cpu' }, 'cpu');
    await ask(target, { probe: true, type: 'heap', action: 'start', file }, 'heaped');
    // 200,000 arrays of 16 objects: well over 100 MB, all dead at once, through a 1 MB semi-space (many scavenges).
    await ask(target, { type: 'allocate', count: 200_000 }, 'allocated');
    const { bytes } = await ask<{ bytes: number }>(target, { probe: true, type: 'heap', action: 'stop', file }, 'heaped');
    const after = await ask<{ gc: { count: number }; userMs: number }>(target, { probe: true, type: 'cpu' }, 'cpu');
    expect(bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(JSON.parse(readFileSync(file, 'utf8')).head).toBeDefined();
    expect(after.gc.count).toBeGreaterThan(before.gc.count);
    expect(after.userMs).toBeGreaterThan(0);
  });

  it('leaves messages that are not its own to the process', async () => {
    const target = start();
    const answer = await ask<{ kept: number }>(target, { type: 'allocate', count: 10 }, 'allocated');
    expect(answer.kept).toBe(160);
  });
});
