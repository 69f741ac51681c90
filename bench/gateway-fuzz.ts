/**
 * The gateway's random differential check
 * (gateway/test/conformance/random-operations.test.ts) with many more
 * operations than `npm test` sends: a new seed each run unless
 * GATEWAY_FUZZ_SEED names one (printed, so that a finding can be replayed),
 * GATEWAY_FUZZ_RUNS operations per conformance suite (default 200). Prints
 * every failure, shrunk, and the suites where Apollo's field order is not
 * the spec's.
 *
 *   npm run bench -- --only gateway-fuzz
 *   GATEWAY_FUZZ_SEED=42 GATEWAY_FUZZ_RUNS=1000 npm run bench -- --only gateway-fuzz
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../platform/paths.js';

export async function runGatewayFuzzBench(print: (line: string) => void = console.log): Promise<{ ok: boolean }> {
  const seed = process.env.GATEWAY_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
  const runs = process.env.GATEWAY_FUZZ_RUNS ?? '200';
  print(`gateway-fuzz: seed ${seed}, ${runs} random operations per conformance suite (GATEWAY_FUZZ_SEED, GATEWAY_FUZZ_RUNS)`);
  const child = spawn('npx', ['vitest', 'run', 'gateway/test/conformance/random-operations.test.ts', '--reporter', 'verbose'], {
    cwd: REPO_ROOT,
    env: { ...process.env, GATEWAY_FUZZ_SEED: seed, GATEWAY_FUZZ_RUNS: runs },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  for (const line of output.split('\n')) {
    if (/seed \d+, operation|ours:|apollo:|query:|variables:|field order is not|Tests? /.test(line)) print(`gateway-fuzz: ${line.trim()}`);
  }
  if (code !== 0) throw new Error(`the random differential check failed (seed ${seed}): see the failures above`);
  return { ok: true };
}

if (import.meta.url === `file://${process.argv[1]}`) await runGatewayFuzzBench();
