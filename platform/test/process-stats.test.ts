import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { processTree, reapedCpuSeconds, treesCpuSeconds } from '../process-stats.js';

// A child that has used some CPU, with a child of its own, both then idle until killed.
const BURN = 'const t = Date.now(); while (process.cpuUsage().user < 50_000 && Date.now() - t < 60_000); ';
const child = spawn(
  process.execPath,
  [
    '-e',
    `${BURN} require('node:child_process').spawn(process.execPath, ['-e', "${BURN} console.log('x'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'inherit', 'ignore'] }); setInterval(() => {}, 1000)`,
  ],
  {
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
afterAll(() => {
  for (const pid of processTree(child.pid!).reverse()) process.kill(pid);
});

describe('treesCpuSeconds', () => {
  it('sums each tree from one scan: a tree holds its subtrees', async () => {
    await once(child.stdout!, 'data'); // the grandchild has burnt its share
    const [, grandchild] = processTree(child.pid!);
    expect(grandchild).toBeDefined();
    const seconds = treesCpuSeconds({ test: process.pid, child: child.pid!, grandchild: grandchild! });
    expect(seconds.grandchild).toBeGreaterThanOrEqual(0.04);
    expect(seconds.child).toBeGreaterThanOrEqual(seconds.grandchild! + 0.04);
    expect(seconds.test).toBeGreaterThanOrEqual(seconds.child!);
  });
});

describe('reapedCpuSeconds', () => {
  it("reads from a shell's own stat what the children it waited for used (how npm start measures its web build)", () => {
    const stat = execFileSync('sh', ['-c', `"${process.execPath}" -e "${BURN}"; cat /proc/$$/stat`], { encoding: 'utf8' });
    expect(reapedCpuSeconds(stat)).toBeGreaterThanOrEqual(0.04);
    expect(reapedCpuSeconds('')).toBeUndefined();
  });
});
