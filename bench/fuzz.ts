/**
 * The hostile-input suite (test/hostile-inputs.test.ts) with many more values
 * per argument than `npm test` gives it: a new seed each run unless
 * BENCH_FUZZ_SEED names one (printed, so a finding can be replayed),
 * BENCH_FUZZ_RUNS values per argument (default 25), BENCH_FUZZ_VALID_RUNS operations
 * per root field with every argument valid (default 20). It runs under vitest,
 * whose global setup makes the test databases; prints the counts and every
 * failure.
 *
 *   npm run bench -- --only fuzz
 *   BENCH_FUZZ_SEED=42 BENCH_FUZZ_RUNS=100 npm run bench -- --only fuzz
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../platform/paths.js';

export async function runFuzzBench(print: (line: string) => void = console.log): Promise<{ ok: boolean }> {
  const seed = process.env.BENCH_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
  const runs = process.env.BENCH_FUZZ_RUNS ?? '25';
  const validRuns = process.env.BENCH_FUZZ_VALID_RUNS ?? '20';
  print(`fuzz: seed ${seed}, ${runs} hostile values per argument, ${validRuns} valid operations per field (BENCH_FUZZ_SEED, BENCH_FUZZ_RUNS, BENCH_FUZZ_VALID_RUNS)`);
  const child = spawn('npx', ['vitest', 'run', 'test/hostile-inputs.test.ts', '--reporter', 'verbose'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOSTILE_FUZZ_SEED: seed, HOSTILE_FUZZ_RUNS: runs, HOSTILE_FUZZ_VALID_RUNS: validRuns },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  for (const line of output.split('\n')) {
    if (/hostile inputs:|^\{"target"|Tests? /.test(line.trim())) print(`fuzz: ${line.trim()}`);
  }
  if (code !== 0) throw new Error(`the hostile-input suite failed (seed ${seed}): see the failures above`);
  return { ok: true };
}

if (import.meta.url === `file://${process.argv[1]}`) await runFuzzBench();
