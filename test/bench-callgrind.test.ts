/**
 * The bench's reading of callgrind dumps (bench/support/callgrind-areas.ts):
 * self costs from callgrind's compressed format, functions V8 compiled named
 * from a perf map, areas. Made-up dumps, no valgrind run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { areaOf, selfCosts, summarize } from '../bench/support/callgrind-areas.js';

// fn/cfn names are given once with their id, then by id alone; the line after `calls=` is the callee's inclusive cost.
const DUMP = `# callgrind format
version: 1
pid: 4242
events: Ir
fl=(1) node
fn=(1) v8::internal::Scavenger::ScavengeObject
10 500
cfn=(2) Builtins_LoadIC
calls=3 0
10 9000
fn=(2)
20 70
+2 30
fn=(3) 0x0000000000001010
5 40
fn=(4) 0x0000000000009000
5 2
totals: 642
`;

describe('selfCosts', () => {
  it("counts each function's own lines, not the inclusive cost of its calls", () => {
    expect(Object.fromEntries(selfCosts(DUMP))).toEqual({
      'v8::internal::Scavenger::ScavengeObject': 500,
      Builtins_LoadIC: 100,
      '0x0000000000001010': 40,
      '0x0000000000009000': 2,
    });
  });
});

describe('summarize', () => {
  it('names compiled JavaScript from the perf map, and sorts it into areas', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callgrind-areas-'));
    const dump = path.join(dir, 'meet.out.4242.1');
    writeFileSync(dump, DUMP);
    const perfMap = path.join(dir, 'perf-4242.map');
    writeFileSync(perfMap, '1000 100 JS:*parseDataRowMessage /app/node_modules/pg-protocol/dist/parser.js:228:29\n');
    const summary = summarize(dump, perfMap);
    expect(summary.total).toBe(642);
    expect(summary.functions.get('JS:*parseDataRowMessage /app/node_modules/pg-protocol/dist/parser.js:228:29')).toBe(40);
    expect(summary.functions.get('JIT code, unnamed')).toBe(2);
    expect(Object.fromEntries(summary.areas)).toEqual({ GC: 500, 'V8 builtins and runtime': 100, pg: 40, 'JIT code, unnamed': 2 });
  });
});

describe('areaOf', () => {
  it.each([
    ['JS:*Course__fieldliveClassesMapHandler :122:46', 'graphql-jit (compiled queries)'],
    ['JS:*utcIso /app/node_modules/.cache/bheem-start/0a1b/platform/graphql/utc-iso.js:5:16', 'our modules'],
    ['JS:*promiseInitHook node:internal/async_hooks:320:25', 'async hooks (AsyncLocalStorage)'],
    ['v8::internal::JsonStringifier::SerializeString', 'JSON'],
    ['sha256_block_data_order_avx2', 'crypto (OpenSSL)'],
    // V8 13's signatures (Node 22 and later): by the function's own name, not a `Tagged<HeapObject>` among its parameters.
    [
      'v8::internal::JsonStringifier::Result v8::internal::JsonStringifier::Serialize_<false>(v8::internal::Handle<v8::internal::Union<v8::internal::Smi, v8::internal::HeapObject>>, bool, v8::internal::Handle<v8::internal::Object>)',
      'JSON',
    ],
    [
      'v8::internal::Handle<v8::internal::String> v8::internal::Factory::InternalizeSubString<v8::internal::SeqOneByteString, v8::internal::Handle>(v8::internal::Tagged<v8::internal::HeapObject>)',
      'V8 builtins and runtime',
    ],
    ['v8::internal::HeapObject::SizeFromMap(v8::internal::Tagged<v8::internal::Map>) const', 'GC'],
    [
      'void v8::internal::BodyDescriptorBase::IteratePointers<v8::internal::ConcurrentMarkingVisitor>(v8::internal::Tagged<v8::internal::HeapObject>, int, int, v8::internal::ConcurrentMarkingVisitor*)',
      'GC',
    ],
    ['v8::internal::MarkingWorklists::Local::Push(v8::internal::Tagged<v8::internal::HeapObject>) [clone .isra.0]', 'GC'],
    [
      'v8::internal::Handle<v8::internal::JSObject> v8::internal::JSDataObjectBuilder::BuildFromIterator<v8::internal::JsonParser<unsigned char>::NamedPropertyIterator>(v8::internal::JsonParser<unsigned char>::NamedPropertyIterator&, v8::internal::MaybeHandle<v8::internal::FixedArrayBase>)',
      'JSON',
    ],
    ['JS:wasm-function[0]-0-turbofan', 'our modules'],
  ])('%s is %s', (name, area) => expect(areaOf(name)).toBe(area));

  it("names a recursive call's cycle (`<address>'2`) from the perf map as the same code", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callgrind-areas-'));
    const dump = path.join(dir, 'gateway.out.4243.1');
    writeFileSync(dump, "# callgrind format\nversion: 1\npid: 4243\nevents: Ir\nfl=(1) node\nfn=(1) 0x0000000000001010\n5 40\nfn=(2) 0x0000000000001010'2\n5 60\ntotals: 100\n");
    const perfMap = path.join(dir, 'perf-4243.map');
    writeFileSync(perfMap, '1000 100 JS:*object /app/node_modules/.cache/bheem-start/0a1b/gateway/walked-answer-bytes.js:84:9\n');
    const summary = summarize(dump, perfMap);
    expect(Object.fromEntries(summary.areas)).toEqual({ 'our modules': 100 });
  });
});
