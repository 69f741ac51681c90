/**
 * Names the JIT's code in a callgrind dump of node: callgrind knows only
 * native symbols, and calls V8's generated code by its address
 * (`0x000000000a1b2c3d`). Node's `--perf-basic-prof` writes where each
 * function's code lies (/tmp/perf-<pid>.map); this rewrites every such
 * address as `JS <function> <file>:<line>` (its tier mark dropped, so that
 * the interpreted and optimized code of one function add up), then
 * callgrind_annotate reads it as usual:
 *
 *   node --import tsx bench/support/callgrind-names.ts <dump> /tmp/perf-<pid>.map > named.out
 *   callgrind_annotate --inclusive=yes named.out | head -80
 */
import { readFileSync } from 'node:fs';

const [dumpFile, mapFile] = process.argv.slice(2);
if (!dumpFile || !mapFile) {
  console.error('Usage: bench/support/callgrind-names.ts <callgrind dump> <perf map>');
  process.exit(2);
}

interface Range {
  start: bigint;
  end: bigint;
  name: string;
}

/** `JS:*foo file:///a/b/c.js:12:3` → `JS foo c.js:12`; builtins and stubs as they are. */
function shortName(raw: string): string {
  const match = /^(?:JS|LazyCompile|Function):[*~^+-]?(\S*) (?:file:\/\/)?(\S*?)(?::(\d+))?(?::\d+)?$/.exec(raw);
  if (!match) return raw;
  const [, name, file, line] = match;
  const base = file!.split('/').slice(-2).join('/');
  return `JS ${name || '(anonymous)'} ${base}${line ? `:${line}` : ''}`;
}

const ranges: Range[] = [];
for (const line of readFileSync(mapFile, 'utf8').split('\n')) {
  const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
  if (!match) continue;
  const start = BigInt(`0x${match[1]}`);
  ranges.push({ start, end: start + BigInt(`0x${match[2]}`), name: shortName(match[3]!) });
}
// Later entries win where code was replaced at the same address: sorted stably by start.
const order = ranges.map((range, index) => ({ range, index })).sort((a, b) => (a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : a.index - b.index));
const sorted = order.map(({ range }) => range);

function nameAt(address: bigint): string | undefined {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]!.start <= address) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  // The last one starting at or before the address that covers it (several may start at one address).
  for (let index = found; index >= 0 && index > found - 64; index--) {
    const range = sorted[index]!;
    if (range.start <= address && address < range.end) return range.name;
  }
  return undefined;
}

const output: string[] = [];
for (const line of readFileSync(dumpFile, 'utf8').split('\n')) {
  const match = /^(c?fn)=(\(\d+\) )?(0x[0-9a-f]+)$/.exec(line);
  const name = match && nameAt(BigInt(match[3]!));
  output.push(match && name ? `${match[1]}=${match[2] ?? ''}${name}` : line);
}
process.stdout.write(output.join('\n'));
