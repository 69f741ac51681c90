/**
 * Reading V8 CPU profiles (`node --cpu-prof`) for the benches: busy self time
 * (idle left out) by function and by area (graphql-js, undici, JSON, garbage
 * collection, pg, Kysely, Apollo, Node's own layers, our modules), optionally
 * only inside time windows (the load runs of bench/profile.ts: a profile's
 * timestamps are CLOCK_MONOTONIC microseconds, as process.hrtime's), and
 * tables that set two profiles (a baseline and today's) side by side.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time window in CLOCK_MONOTONIC microseconds (`process.hrtime.bigint() / 1000n`). */
export interface Window {
  start: number;
  end: number;
}

export interface ProfileSummary {
  /** Busy self time counted (µs). */
  busyMicros: number;
  /** Samples counted. */
  samples: number;
  /** Per function (`name file`, no line: the same function matches across checkouts and forms): µs, its area, and where. */
  byFunction: Map<string, { micros: number; area: string; where: string }>;
  byArea: Map<string, number>;
}

export const readProfile = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

/** The main thread's profile in a `--cpu-prof-dir`: the largest file (under tsx the other is its loader thread's). */
export function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

const PG = new Set(['pg', 'pg-protocol', 'pg-types', 'pg-pool', 'pg-int8', 'pg-connection-string', 'postgres-date', 'postgres-array', 'postgres-interval', 'postgres-bytea']);
/** Native bindings that write to a socket (stream_base_commons calls them). */
const SOCKET_WRITES = /^(writev|writeBuffer|write(Utf8|Latin1|Ascii|Ucs2)String|createWriteWrap|shutdown)$/;
/** Native string and buffer coding. */
const TEXT_CODING = /^(decode|encode|encodeInto|decodeUTF8|(utf8|latin1|ascii|ucs2|hex|base64)(Slice|Write)|byteLengthUtf8|compare|copy|fill|indexOfString)$/;
const STREAMS = /^node:(net|stream|internal\/(stream_base_commons|streams\/|net|child_process|js_stream_socket))/;

/** Our code's place in a checkout or its compiled build: `gateway/execution/plan.ts` → `gateway/execution/plan`. */
const OURS = /\/((?:gateway|platform|scripts|bench|subgraphs)\/[^?#]*?)\.(?:[cm]?[jt]s)$/;

/** Where a package's file is (`pg/lib/result.js`), none for our code: our compiled copy lives in node_modules/.cache/bheem-start/<hash>/ (scripts/lib/compiled-cache.mjs). */
function packageFile(url: string): string | undefined {
  if (url.includes('/node_modules/.cache/bheem-start/')) return undefined;
  const modules = url.lastIndexOf('node_modules/');
  return modules >= 0 ? url.slice(modules + 'node_modules/'.length) : undefined;
}

/** The area a frame's self time belongs to. */
export function areaOf({ functionName, url }: Pick<CallFrame, 'functionName' | 'url'>): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 (program: compiler, runtime)';
  if (url === '') {
    if (/^(JSON\.)?(parse|stringify)$/.test(functionName)) return 'JSON';
    if (SOCKET_WRITES.test(functionName)) return 'node: net, streams';
    if (TEXT_CODING.test(functionName)) return 'native: text coding (Buffer, TextDecoder)';
    if (functionName === 'runMicrotasks') return 'native: promise jobs (runMicrotasks)';
    return 'native: other builtins';
  }
  const inPackage = packageFile(url);
  if (inPackage !== undefined) {
    const parts = inPackage.split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    if (name === 'graphql') return 'graphql-js';
    if (name === 'undici') return 'undici';
    if (name === 'kysely') return 'kysely';
    if (PG.has(name)) return 'pg';
    if (name.startsWith('@apollo/')) return 'Apollo (@apollo/*)';
    return `package: ${name}`;
  }
  if (url.startsWith('node:internal/deps/undici')) return 'undici';
  if (url.startsWith('node:')) {
    if (/^node:(_http_|http|internal\/http)/.test(url)) return 'node: http';
    if (STREAMS.test(url)) return 'node: net, streams';
    if (/^node:(internal\/)?async_hooks|^node:internal\/async_local_storage/.test(url)) return 'node: async_hooks';
    if (/^node:internal\/(modules|process\/pre_execution)/.test(url)) return 'node: module loading';
    if (/^node:(internal\/)?crypto/.test(url)) return 'node: crypto';
    if (/^node:(buffer|internal\/buffer|internal\/encoding|string_decoder)/.test(url)) return 'node: buffer, text coding';
    if (/^node:(timers|internal\/timers|internal\/process\/task_queues)/.test(url)) return 'node: timers, next ticks';
    if (/^node:(events|internal\/event_target)/.test(url)) return 'node: events';
    return 'node: other';
  }
  const ours = OURS.exec(url);
  if (ours) {
    const [top, second] = ours[1]!.split('/');
    return top === 'subgraphs' ? `ours: subgraphs/${second}` : `ours: ${top}`;
  }
  return 'other';
}

/** Where a frame is, short: a package's path, or our file relative to its checkout or build. */
function whereOf({ url, lineNumber }: CallFrame): string {
  if (url === '') return '';
  const file = packageFile(url) ?? OURS.exec(url)?.[1] ?? url.replace(/^file:\/\//, '');
  return `${file}:${lineNumber + 1}`;
}

/**
 * Busy self time of `profile`: inside `windows` when given (else after `skipSeconds` from its start).
 * A profile that overlaps no window at all is an error (the clocks or the files do not match).
 */
export function summarizeProfile(profile: CpuProfile, options: { windows?: Window[]; skipSeconds?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const { windows } = options;
  if (windows && !windows.some((window) => window.start < profile.endTime && window.end > profile.startTime)) {
    throw new Error(`the profile (${profile.startTime}-${profile.endTime} µs) overlaps none of the load windows`);
  }
  const skipUntil = profile.startTime + (options.skipSeconds ?? 0) * 1e6;
  const counted = (time: number) => (windows ? windows.some((window) => time >= window.start && time < window.end) : time >= skipUntil);
  const selfMicros = new Map<number, number>();
  let time = profile.startTime;
  let samples = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)' || !counted(time)) return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
    samples++;
  });
  const byFunction: ProfileSummary['byFunction'] = new Map();
  const byArea = new Map<string, number>();
  let busyMicros = 0;
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame;
    const where = whereOf(frame);
    const area = areaOf(frame);
    const key = `${frame.functionName || '(anonymous)'} ${where.replace(/\.[cm]?[jt]s:\d+$/, '')}`.trim();
    const entry = byFunction.get(key) ?? { micros: 0, area, where };
    entry.micros += micros;
    byFunction.set(key, entry);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
    busyMicros += micros;
  }
  return { busyMicros, samples, byFunction, byArea };
}

/** One profile's side in a table: its summary, a heading, and the requests it served (for µs per request). */
export interface Column {
  heading: string;
  summary: ProfileSummary;
  requests?: number;
}

/** Width of a row's label. */
const LABEL = 72;

const share = (micros: number, summary: ProfileSummary) => (summary.busyMicros > 0 ? (100 * micros) / summary.busyMicros : 0);

/**
 * Areas then functions, each column a profile: share of its busy time, and µs per request when
 * `requests` is known; with two columns, the last over the first per request (or per share).
 */
export function formatSummaries(columns: Column[], options: { topFunctions?: number; topAreas?: number } = {}): string[] {
  const lines: string[] = [];
  const perRequest = columns.every((column) => (column.requests ?? 0) > 0);
  const cell = (micros: number, column: Column) =>
    `${share(micros, column.summary).toFixed(1).padStart(5)} %${perRequest ? ` ${(micros / column.requests!).toFixed(0).padStart(6)} µs` : ''}`;
  const width = perRequest ? 17 : 7;
  const compare = columns.length === 2;
  const ratio = (values: number[]) => {
    if (!compare) return '';
    const [before, after] = perRequest
      ? [values[0]! / columns[0]!.requests!, values[1]! / columns[1]!.requests!]
      : [share(values[0]!, columns[0]!.summary), share(values[1]!, columns[1]!.summary)];
    return `  ${before > 0 ? (after / before).toFixed(2).padStart(5) : '    -'}`;
  };
  const header = (title: string) =>
    `${title.padEnd(LABEL + 2)}${columns.map((column) => column.heading.slice(0, width).padStart(width + 2)).join('')}${compare ? `  ${perRequest ? 'after/before per req' : 'share after/before'}` : ''}`;

  lines.push(
    `  busy (not idle) ms in the load runs: ${columns.map((column) => `${column.heading} ${(column.summary.busyMicros / 1000).toFixed(0)} ms (${column.summary.samples} samples${perRequest ? `, ${column.requests} requests, ${(column.summary.busyMicros / 1000 / column.requests!).toFixed(2)} ms/request` : ''})`).join('; ')}`,
  );
  const table = (title: string, keys: string[], value: (column: Column, key: string) => number, label: (key: string) => string) => {
    lines.push(header(title));
    for (const key of keys) {
      const values = columns.map((column) => value(column, key));
      lines.push(`  ${label(key).slice(0, LABEL).padEnd(LABEL)}${columns.map((column, index) => `  ${cell(values[index]!, column)}`).join('')}${ratio(values)}`);
    }
  };
  const ranked = (maps: Map<string, number>[], top: number) => {
    const best = new Map<string, number>();
    for (const [index, map] of maps.entries()) for (const [key, micros] of map) best.set(key, Math.max(best.get(key) ?? 0, share(micros, columns[index]!.summary)));
    return [...best]
      .sort((a, b) => b[1] - a[1])
      .map(([key]) => key)
      .slice(0, top);
  };
  const areas = ranked(
    columns.map((column) => column.summary.byArea),
    options.topAreas ?? 20,
  );
  table(
    '  by area (self time)',
    areas,
    (column, key) => column.summary.byArea.get(key) ?? 0,
    (key) => key,
  );
  const functions = ranked(
    columns.map((column) => new Map([...column.summary.byFunction].map(([key, entry]) => [key, entry.micros]))),
    options.topFunctions ?? 25,
  );
  table(
    '  by function (self time)',
    functions,
    (column, key) => column.summary.byFunction.get(key)?.micros ?? 0,
    (key) => {
      const entry = columns.map((column) => column.summary.byFunction.get(key)).find(Boolean)!;
      const name = key.slice(0, key.length - entry.where.replace(/\.[cm]?[jt]s:\d+$/, '').length).trim() || key;
      return `${name} ${entry.where || `[${entry.area}]`}`;
    },
  );
  return lines;
}
