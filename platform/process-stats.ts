/**
 * CPU time (user + system) and resident memory of processes: this one, any
 * process by pid, and a process with all its descendants (a cluster's
 * workers, a CLI's forked children, `npm start`'s whole stack), from /proc
 * (Linux; elsewhere the readings are undefined or 0). The benchmarks read CPU
 * before and after a run: the difference is what those processes spent on
 * it, whatever the other processes on the machine did.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
let pageBytes: number | undefined;

function getconf(name: string, fallback: number): number {
  try {
    return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback;
  } catch {
    return fallback;
  }
}

function clockTicks(): number {
  ticksPerSecond ??= getconf('CLK_TCK', 100);
  return ticksPerSecond;
}

interface Stat {
  ppid: number;
  ticks: number;
  /** CPU time of its children that have exited and been waited for (clock ticks). */
  reapedTicks: number;
  /** Resident set size, in pages. */
  rssPages: number;
}

function parseStat(text: string): Stat {
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17, rss 24.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), reapedTicks: Number(fields[13]) + Number(fields[14]), rssPages: Number(fields[21]) };
}

function readStat(pid: number): Stat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited meanwhile
  }
}

/** From the text of a /proc/<pid>/stat: the seconds of CPU of that process's children that it has waited for; undefined when it is no such text. */
export function reapedCpuSeconds(statText: string): number | undefined {
  if (!statText.includes(')')) return undefined;
  const seconds = parseStat(statText.trim()).reapedTicks / clockTicks();
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** This process's CPU time so far (ms). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** A process's CPU time so far (ms); undefined when it is gone or /proc cannot be read. */
export function processCpuMs(pid: number): number | undefined {
  const stat = readStat(pid);
  return stat && (stat.ticks * 1000) / clockTicks();
}

/** Every process's stat, and the children of each, from one scan of /proc. */
function scanProcesses(): { stats: Map<number, Stat>; children: Map<number, number[]> } {
  const stats = new Map<number, Stat>();
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    stats.set(pid, stat);
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(pid);
    children.set(stat.ppid, siblings);
  }
  return { stats, children };
}

function descendantsOf(root: number, children: Map<number, number[]>): number[] {
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** `root` and every process descending from it. */
export function processTree(root: number): number[] {
  return descendantsOf(root, scanProcesses().children);
}

/**
 * Seconds of CPU (user + system) the tree under each root has used so far, from one scan of /proc;
 * `reaped`: with its processes that have already exited (a build, initdb, a database backend that ended).
 */
export function treesCpuSeconds(roots: Record<string, number>, options: { reaped?: boolean } = {}): Record<string, number> {
  const { stats, children } = scanProcesses();
  const ticksOf = (root: number) =>
    descendantsOf(root, children).reduce((sum, pid) => sum + (stats.get(pid)?.ticks ?? 0) + (options.reaped ? (stats.get(pid)?.reapedTicks ?? 0) : 0), 0);
  return Object.fromEntries(Object.entries(roots).map(([name, root]) => [name, ticksOf(root) / clockTicks()]));
}

/** Bytes of memory resident in the tree under `root` (shared pages counted in each process). */
export function treeRssBytes(root: number): number {
  pageBytes ??= getconf('PAGESIZE', 4096);
  let pages = 0;
  for (const pid of processTree(root)) pages += readStat(pid)?.rssPages ?? 0;
  return pages * pageBytes;
}

/** Proportional set size of one process (shared pages divided among their users), in bytes; 0 when unreadable. */
function pssBytes(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited meanwhile, or not Linux
  }
}

/** Memory of the tree under `root` with shared pages counted once (PSS): what the stack really holds. */
export function treePssBytes(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + pssBytes(pid), 0);
}
