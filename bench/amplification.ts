/**
 * The amplification of issue #15 under load: test/amplification.test.ts with
 * more rounds (BENCH_AMPLIFICATION_ROUNDS, default 200). Prints how fast the
 * hundreds-of-aliases requests are refused and another company's month view
 * latency meanwhile and alone. It runs under vitest, whose global setup makes
 * the test databases.
 *
 *   npm run bench -- --only amplification
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../platform/paths.js';

export async function runAmplificationBench(print: (line: string) => void = console.log): Promise<{ ok: boolean }> {
  const rounds = process.env.BENCH_AMPLIFICATION_ROUNDS ?? '200';
  const child = spawn('npx', ['vitest', 'run', 'test/amplification.test.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, AMPLIFICATION_ROUNDS: rounds },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  for (const line of output.split('\n')) {
    const at = line.indexOf('amplification:');
    if (at >= 0) print(line.slice(at).trim());
  }
  if (code !== 0) throw new Error(`the amplification test failed:\n${output.slice(-3000)}`);
  return { ok: true };
}

if (import.meta.url === `file://${process.argv[1]}`) await runAmplificationBench();
