/**
 * Where a callgrind dump's instructions went, by area (GC, JSON, graphql-jit,
 * pg, Kysely, our modules...) and by function, as self cost: each function's
 * own instructions, not those of what it calls. Functions V8 compiled have
 * no symbol; callgrind names them by address, and they are named here from
 * the perf map the process wrote (`--perf-basic-prof`, /tmp/perf-<pid>.map).
 *
 *   npx tsx bench/support/callgrind-areas.ts <dump> [--per <requests>] [--top 30] [--baseline <dump> --baseline-per <n>]
 *     [--inclusive <regular expression>]
 * `--inclusive`: the functions whose names match, with what they called (see inclusiveCosts), in place of the areas.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface JitSymbol {
  start: number;
  end: number;
  name: string;
}

/** Reads callgrind's compressed names: `(id) name` defines an id, `(id)` alone names it again. */
function compressedNames(): (spec: string) => string {
  const names = new Map<string, string>();
  return (spec) => {
    const match = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!match) return spec;
    if (match[2] !== undefined) names.set(match[1]!, match[2]);
    return names.get(match[1]!) ?? spec;
  };
}

/** Self instructions by function name, from callgrind's format (names compressed as `(id) name` once, `(id)` after). */
export function selfCosts(text: string): Map<string, number> {
  const nameOf = compressedNames();
  const costs = new Map<string, number>();
  let current = '';
  let afterCalls = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      current = nameOf(line.slice(3));
      continue;
    }
    if (line.startsWith('cfn=')) {
      nameOf(line.slice(4)); // defines the id for later
      continue;
    }
    if (line.startsWith('calls=')) {
      afterCalls = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // A cost line: a position (number, +n, -n, *) then the cost.
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42) {
      if (afterCalls) {
        afterCalls = false; // the inclusive cost of the call just named: not this function's own
        continue;
      }
      const parts = line.split(' ');
      const cost = Number(parts[1] ?? 0);
      if (cost) costs.set(current, (costs.get(current) ?? 0) + cost);
    }
  }
  return costs;
}

/**
 * Inclusive instructions by function name: its own and those of the calls it made (callgrind's `calls=` lines'
 * costs). A function that calls itself, directly or not, counts its callees' work more than once: read it for the
 * entry points of a request's stages (the HTTP parser's callbacks, the identity check, the compiled query).
 */
export function inclusiveCosts(text: string): Map<string, number> {
  const nameOf = compressedNames();
  const costs = new Map<string, number>();
  let current = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      current = nameOf(line.slice(3));
      continue;
    }
    if (line.startsWith('cfn=')) {
      nameOf(line.slice(4));
      continue;
    }
    const first = line.charCodeAt(0);
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42) {
      const cost = Number(line.split(' ')[1] ?? 0);
      if (cost) costs.set(current, (costs.get(current) ?? 0) + cost);
    }
  }
  return costs;
}

function readPerfMap(file: string): JitSymbol[] {
  if (!existsSync(file)) return [];
  const symbols: JitSymbol[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (!match) continue;
    const start = Number.parseInt(match[1]!, 16);
    symbols.push({ start, end: start + Number.parseInt(match[2]!, 16), name: match[3]! });
  }
  // Code can be moved or replaced: the last entry for an address wins, so keep the order and search backwards.
  return symbols;
}

function nameJit(name: string, symbols: JitSymbol[]): string {
  // A recursive call's cycle is named `<address>'<depth>` (the same code).
  const match = /^0x([0-9a-f]+)(?:'\d+)?$/.exec(name);
  if (!match) return name;
  const address = Number.parseInt(match[1]!, 16);
  for (let index = symbols.length - 1; index >= 0; index--) {
    const symbol = symbols[index]!;
    if (address >= symbol.start && address < symbol.end) return symbol.name;
  }
  return 'JIT code, unnamed';
}

const AREAS: [string, RegExp][] = [
  [
    'GC',
    /Heap|Scaveng|MarkCompact|Sweep|Marking|Evacuat|Mark(ing)?Visitor|RecordWrite|MemoryAllocator|MemoryChunk|Page::|SemiSpace|NewSpace|PagedSpace|LocalHeap|GCTracer|Safepoint|IncrementalMarking|RememberedSet|SlotSet|TypedSlot|ObjectVisitor|Minor|EphemeronTable|WeakObjects/,
  ],
  // V8 12+ builds JSON.parse's objects in JSDataObjectBuilder (Node 20's V8 in JsonParser itself).
  ['JSON', /Json|JSON|JSDataObjectBuilder/],
  ['crypto (OpenSSL)', /sha256|sha512|EVP_|HMAC|OPENSSL|CRYPTO_|ossl_|BN_|ecp_|hmac/i],
  ['graphql-jit', /graphql-jit/],
  ['graphql-js', /node_modules\/graphql\//],
  ['pg', /node_modules\/pg(-[a-z]+)?\//],
  ['Kysely', /node_modules\/kysely\//],
  ['DataLoader', /node_modules\/dataloader\//],
  ['Apollo', /node_modules\/@apollo\//],
  ['prom-client', /node_modules\/prom-client\//],
  ['pino', /node_modules\/pino/],
  ['async hooks (AsyncLocalStorage)', /async_hooks|PromiseHook|promiseInitHook|async_context|AsyncLocalStorage|emitInit|emitBefore|emitAfter|executionAsyncResource/],
  // WebAssembly is only the gateway's control-byte scan (gateway/control-bytes.ts): named by newer Node's perf map, unnamed by Node 20's.
  ['our modules', /bheem-start|\/(platform|subgraphs|gateway)\/[\w/-]+\.(js|ts)|^JS:wasm-function/],
  ['other node_modules', /node_modules\//],
  // graphql-jit's compiled queries: V8 names them with no file (`new Function`).
  ['graphql-jit (compiled queries)', /^JS:\S+ :\d+:\d+$/],
  ['Node.js (JS)', /node:|internal\//],
  ['V8 compiler', /compiler::|maglev|Maglev|Turbofan|TurboFan|Compiler|Parser|Scanner|Bytecode|Zone|Preparse|AstNode|Ast[A-Z]|Sparkplug|baseline::|interpreter::/],
  ['V8 builtins and runtime', /Builtins_|Runtime_|v8::internal::|v8::|Builtin/],
  ['libuv', /uv_|uv__/],
  ['node (C++)', /node::/],
  ['libc/memory', /memcpy|memmove|memset|malloc|free|calloc|realloc|strlen|memcmp|__libc|_int_|pthread|operator new|operator delete|tcache/],
  ['JIT code, unnamed', /^JIT code, unnamed$/],
];

/**
 * A C++ symbol's own qualified name with its template arguments: its return type, parameters and
 * qualifiers left out. V8 13's signatures spell `Tagged<HeapObject>` in most parameter lists, which
 * would put JSON's or the runtime's functions taking one into the GC area (Node 20's V8 did so far
 * less); a template argument still tells (`IteratePointers<ConcurrentMarkingVisitor>` is the GC's).
 */
export function ownName(name: string): string {
  if (name.startsWith('JS:') || !name.includes('(')) return name;
  let parens = 0;
  let angles = 0;
  let word = '';
  const words: string[] = [];
  for (const character of name.replace(/\s*\[clone [^\]]*\]/g, '')) {
    if (character === '(') parens++;
    else if (character === ')') parens = Math.max(0, parens - 1);
    else if (parens > 0) continue;
    else if (character === ' ' && angles === 0) {
      if (word) words.push(word);
      word = '';
    } else {
      if (character === '<') angles++;
      else if (character === '>') angles = Math.max(0, angles - 1);
      word += character;
    }
  }
  if (word) words.push(word);
  return words.filter((each) => !/^(const|volatile|&&?)$/.test(each)).at(-1) ?? name;
}

export function areaOf(name: string): string {
  const own = ownName(name);
  for (const [area, pattern] of AREAS) if (pattern.test(own)) return area;
  return 'other';
}

interface Summary {
  total: number;
  areas: Map<string, number>;
  functions: Map<string, number>;
}

/** `perfMap`: where V8 wrote the process's map, by default `/tmp/perf-<the dump's pid>.map`. */
export function summarize(dump: string, perfMap?: string, inclusive = false): Summary {
  const text = readFileSync(dump, 'utf8');
  // The dump's own `pid:` line first: a dump asked for by callgrind_control is named `<out>.<part>`, not `<out>.<pid>`.
  const pid = /^pid: (\d+)/m.exec(text)?.[1] ?? /\.out\.(\d+)/.exec(path.basename(dump))?.[1];
  const mapFile = perfMap ?? (pid ? `/tmp/perf-${pid}.map` : undefined);
  const symbols = mapFile ? readPerfMap(mapFile) : [];
  const functions = new Map<string, number>();
  for (const [name, cost] of (inclusive ? inclusiveCosts : selfCosts)(text)) {
    const named = nameJit(name, symbols);
    functions.set(named, (functions.get(named) ?? 0) + cost);
  }
  const areas = new Map<string, number>();
  let total = 0;
  for (const [name, cost] of functions) {
    const area = areaOf(name);
    areas.set(area, (areas.get(area) ?? 0) + cost);
    total += cost;
  }
  return { total, areas, functions };
}

const shorten = (name: string) =>
  name
    .replace(/file:\/\/\S*?node_modules\//, '')
    .replace(/file:\/\/\S*?bheem-start\/[0-9a-f]+\//, '')
    .slice(0, 140);

function main(argv: string[]): void {
  const option = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const dump = argv[0];
  if (!dump) throw new Error('usage: callgrind-areas.ts <dump> [--per <requests>] [--top <n>] [--baseline <dump> --baseline-per <n>]');
  const per = Number(option('--per') ?? 1);
  const top = Number(option('--top') ?? 30);
  const inclusive = option('--inclusive');
  if (inclusive !== undefined) {
    const pattern = new RegExp(inclusive);
    const { functions } = summarize(dump, undefined, true);
    const chosen = [...functions]
      .filter(([name]) => pattern.test(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
    for (const [name, cost] of chosen) console.log(`${(cost / per / 1000).toFixed(1).padStart(9)} k  ${shorten(name)}`);
    return;
  }
  const summary = summarize(dump);
  const baselineFile = option('--baseline');
  const baseline = baselineFile ? summarize(baselineFile) : undefined;
  const basePer = Number(option('--baseline-per') ?? per);
  const k = (value: number, divisor: number) => (value / divisor / 1000).toFixed(0).padStart(8);
  const row = (label: string, value: number, before?: number) =>
    `${k(value, per)} k ${((100 * value) / summary.total).toFixed(1).padStart(5)} %${before === undefined || !baseline ? '' : `   before ${k(before, basePer)} k`}  ${label}`;
  console.log(`instructions per request: ${k(summary.total, per)} k${baseline ? ` (before ${k(baseline.total, basePer)} k)` : ''}`);
  console.log('\nby area (self):');
  for (const [area, cost] of [...summary.areas].sort((a, b) => b[1] - a[1])) console.log(row(area, cost, baseline?.areas.get(area) ?? 0));
  console.log(`\ntop ${top} functions (self):`);
  for (const [name, cost] of [...summary.functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(row(`${shorten(name)}  [${areaOf(name)}]`, cost, baseline?.functions.get(name) ?? 0));
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
