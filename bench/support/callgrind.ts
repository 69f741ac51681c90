/**
 * Instruction counts of a running Node.js service under valgrind's callgrind,
 * for a window the bench chooses: the service starts with instrumentation
 * off (start-up and warm-up at a few times native speed), then
 * `callgrind_control` turns it on, zeroes the counters, and dumps them after
 * a known number of requests. Counted instructions do not depend on the
 * machine's load, which CPU time does; they count every thread of the
 * process (V8's compiler and GC helpers included), not the kernel's work.
 *
 * The service runs with `--perf-basic-prof`, so that the functions V8
 * compiled (which callgrind names by address only) can be named afterwards
 * from `/tmp/perf-<pid>.map` (bench/support/callgrind-areas.ts).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** valgrind's arguments in front of node's (`node`: the binary, by default the bench's own): the dumps go to `<dir>/<label>.out.<pid>[.n]`. */
export function callgrindArgs(dir: string, label: string, node = process.execPath): string[] {
  return ['--tool=callgrind', '--instr-atstart=no', vgdbPrefix(dir), `--callgrind-out-file=${path.join(dir, `${label}.out.%p`)}`, node, '--perf-basic-prof'];
}

// Valgrind names its control pipes after $USER and $HOST (a service's HOST is the address it listens on): kept in
// `dir`, and callgrind_control is given the service's HOST to find them.
const vgdbPrefix = (dir: string) => `--vgdb-prefix=${path.join(dir, 'vgdb-pipe')}`;

/** `host`: the service's $HOST. */
export async function callgrindControl(dir: string, pid: number, host: string, ...args: string[]): Promise<void> {
  const { stdout, stderr } = await run('callgrind_control', [vgdbPrefix(dir), ...args, String(pid)], { timeout: 600_000, env: { ...process.env, HOST: host } });
  // It exits 0 whatever happened, and says "OK." even for pipes it could not open.
  if (!stdout.includes('OK.') || /error|failed/i.test(stdout + stderr)) throw new Error(`callgrind_control ${args.join(' ')} ${pid}: ${stdout}${stderr}`);
}

/** Runs `work` with the counters zeroed before and dumped after; the instructions counted meanwhile and the dump's file. */
export async function countInstructions(dir: string, pid: number, host: string, work: () => Promise<void>): Promise<{ instructions: number; file: string }> {
  const before = new Set(readdirSync(dir));
  await callgrindControl(dir, pid, host, '--instr=on');
  await callgrindControl(dir, pid, host, '--zero');
  await work();
  await callgrindControl(dir, pid, host, '--dump');
  await callgrindControl(dir, pid, host, '--instr=off');
  // The command is taken when the process next runs valgrind's scheduler; the dump is written after that, and its totals last.
  for (let waited = 0; waited < 600_000; waited += 500) {
    const file = readdirSync(dir).find((name) => !before.has(name) && name.includes(`.out.${pid}.`));
    const totals = file && /^totals:\s*(\d+)/m.exec(readFileSync(path.join(dir, file), 'utf8'));
    if (totals) return { instructions: Number(totals[1]), file: path.join(dir, file!) };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`callgrind wrote no dump for ${pid} in ${dir}`);
}
