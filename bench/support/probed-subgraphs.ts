/**
 * Subgraphs as production runs them, for a bench that reads their CPU, GC
 * and profiles: each in its own process (`node <SUBGRAPH_NODE_FLAGS>
 * dist/scripts/start-subgraph.js <name>` of the checkout's compiled build,
 * or its sources under tsx), NODE_ENV=production, on an already migrated and
 * seeded database, with bench/support/subgraph-probe.mjs loaded beside the
 * subgraph to answer the bench over IPC. Started as the gateway benches start
 * theirs (bench/gateway/services.ts, startSubgraphs): output in log files
 * under a scratch directory, which errors name.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from '../../platform/config.js';
import type { CheckoutCode } from '../gateway/checkout-code.js';
import { createScratch, startSubgraphs } from '../gateway/services.js';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'subgraph-probe.mjs');

export interface ProbeCpu {
  userMs: number;
  systemMs: number;
  gc: { count: number; ms: number; majorMs: number };
}

export interface ProbedSubgraph {
  name: SubgraphName;
  url: string;
  child: ChildProcess;
  cpu: () => Promise<ProbeCpu>;
  settle: () => Promise<void>;
  /** A V8 CPU profile from 'start' to 'stop', written to `file` at 'stop'. */
  profile: (action: 'start' | 'stop', file: string) => Promise<void>;
  /** A sampling heap profile (collected objects kept) from 'start' to 'stop', written to `file`; the bytes it sampled. */
  heap: (action: 'start' | 'stop', file: string) => Promise<number>;
}

export interface ProbedSubgraphs {
  subgraphs: ProbedSubgraph[];
  stop: () => Promise<void>;
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: { probe?: boolean; type?: string }) => {
      if (answer?.probe !== true || answer.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer as T);
    };
    const onExit = (code: number | null) => reject(new Error(`subgraph process exited (${code}) before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ probe: true, ...message });
  });
}

export async function startProbedSubgraphs(code: CheckoutCode, names: readonly SubgraphName[], env: Record<string, string | undefined>): Promise<ProbedSubgraphs> {
  const flags = process.env.BENCH_SUB_SUBGRAPH_FLAGS?.split(' ').filter(Boolean) ?? [];
  const { urls, services } = await startSubgraphs(
    createScratch(),
    env.DATABASE_URL!,
    { ...env, NODE_ENV: 'production' },
    { code, label: '' },
    { names, ipc: true, nodeFlags: () => ['--import', PROBE, ...flags] },
  );
  const subgraphs = names.map((name, index): ProbedSubgraph => {
    const { child } = services[index]!;
    return {
      name,
      url: urls[name],
      child,
      cpu: () => ask<ProbeCpu>(child, { type: 'cpu' }, 'cpu'),
      settle: async () => void (await ask(child, { type: 'settle' }, 'settled')),
      profile: async (action, file) => void (await ask(child, { type: 'profile', action, file }, 'profiled')),
      heap: async (action, file) => (await ask<{ bytes: number }>(child, { type: 'heap', action, file }, 'heaped')).bytes,
    };
  });
  return { subgraphs, stop: async () => void (await Promise.all(services.map((service) => service.stop()))) };
}
