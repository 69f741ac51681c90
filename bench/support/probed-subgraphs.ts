/**
 * Subgraphs as production runs them, for a bench that reads their CPU, GC
 * and profiles: each in its own process (`node <SUBGRAPH_NODE_FLAGS>
 * dist/scripts/start-subgraph.js <name>` of the checkout's compiled build,
 * or its sources under tsx), NODE_ENV=production, on an already migrated and
 * seeded database, with bench/support/subgraph-probe.mjs loaded beside the
 * subgraph to answer the bench over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from '../../platform/config.js';
import { freePort } from '../../platform/database/embedded-postgres.js';
import type { CheckoutCode } from '../gateway/checkout-code.js';

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

async function waitReady(name: string, child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`subgraph ${name} exited with code ${child.exitCode}`);
    const ready = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`subgraph ${name} was not ready within ${timeoutMs / 1000} s`);
}

export async function startProbedSubgraphs(code: CheckoutCode, names: readonly SubgraphName[], env: Record<string, string | undefined>): Promise<ProbedSubgraphs> {
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()] as const))) as Record<string, number>;
  const urls = Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]));
  const shared: Record<string, string | undefined> = {
    ...env,
    NODE_ENV: 'production',
    SKIP_MIGRATIONS: 'true',
    SEED_DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    ...Object.fromEntries(
      names.flatMap((name) => [
        [`${name.toUpperCase()}_PORT`, String(ports[name])],
        [`${name.toUpperCase()}_URL`, urls[name]],
      ]),
    ),
  };
  const children = names.map((name) =>
    spawn(process.execPath, ['--import', PROBE, ...(process.env.BENCH_SUB_SUBGRAPH_FLAGS?.split(' ').filter(Boolean) ?? []), ...code.subgraphEntry(name)], {
      cwd: code.root,
      env: shared,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const stop = async () => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
      ),
    );
  };
  try {
    await Promise.all(names.map((name, index) => waitReady(name, children[index]!, urls[name]!, 90_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  const subgraphs = names.map((name, index): ProbedSubgraph => {
    const child = children[index]!;
    return {
      name,
      url: urls[name]!,
      child,
      cpu: () => ask<ProbeCpu>(child, { type: 'cpu' }, 'cpu'),
      settle: async () => void (await ask(child, { type: 'settle' }, 'settled')),
      profile: async (action, file) => void (await ask(child, { type: 'profile', action, file }, 'profiled')),
      heap: async (action, file) => (await ask<{ bytes: number }>(child, { type: 'heap', action, file }, 'heaped')).bytes,
    };
  });
  return { subgraphs, stop };
}
