/**
 * The bench's reading of CPU profiles (bench/support/cpu-profile.ts) and of
 * its checkouts' forms (bench/gateway/interleave.ts): pure functions on
 * made-up input, no process started, nothing compiled.
 */
import { describe, expect, it } from 'vitest';
import { checkoutLabel, interleaveOptions } from '../bench/gateway/interleave.js';
import { areaOf, formatSummaries, summarizeProfile, type CpuProfile } from '../bench/support/cpu-profile.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 9 });

describe('areaOf', () => {
  it.each([
    ['(garbage collector)', '', 'GC'],
    ['stringify', '', 'JSON'],
    ['parse', '', 'JSON'],
    ['writev', '', 'node: net, streams'],
    ['runMicrotasks', '', 'native: promise jobs (runMicrotasks)'],
    ['latin1Slice', '', 'native: text coding (Buffer, TextDecoder)'],
    ['structuredClone', '', 'native: other builtins'],
    ['hash', 'node:internal/crypto/hash', 'node: crypto'],
    ['processTicksAndRejections', 'node:internal/process/task_queues', 'node: timers, next ticks'],
    ['executeFields', 'file:///w/node_modules/graphql/execution/execute.js', 'graphql-js'],
    ['request', 'file:///w/node_modules/undici/lib/api/api-request.js', 'undici'],
    ['fetch', 'node:internal/deps/undici/undici', 'undici'],
    ['parseRow', 'file:///w/node_modules/pg/lib/result.js', 'pg'],
    ['parseDate', 'file:///w/node_modules/postgres-date/index.js', 'pg'],
    ['compileQuery', 'file:///w/node_modules/kysely/dist/esm/query-compiler/default-query-compiler.js', 'kysely'],
    ['executeHTTPGraphQLRequest', 'file:///w/node_modules/@apollo/server/dist/esm/ApolloServer.js', 'Apollo (@apollo/*)'],
    ['load', 'file:///w/node_modules/dataloader/index.js', 'package: dataloader'],
    ['writeHead', 'node:_http_server', 'node: http'],
    ['onStreamRead', 'node:internal/stream_base_commons', 'node: net, streams'],
    ['run', 'file:///w/.data/bench-cache/compiled/0123/gateway/execution/plan-executor.js', 'ours: gateway'],
    ['eventsOfCourse', 'file:///work/wt/x/subgraphs/calendar/services/events.ts', 'ours: subgraphs/calendar'],
    ['preparedQuery', 'file:///w/.data/bench-cache/compiled/0123/platform/database/prepared-query.js', 'ours: platform'],
    ['resolve', 'file:///w/node_modules/.cache/bheem-start/0123/subgraphs/meet/resolvers/query.js', 'ours: subgraphs/meet'],
  ])('%s at %s is %s', (name, url, area) => {
    expect(areaOf(frame(name, url))).toBe(area);
  });
});

// Three functions; samples at 1 ms steps from t = 1000 µs: a, a, idle, b, GC, b.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('a', 'file:///w/gateway/a.ts') },
    { id: 3, callFrame: frame('b', 'file:///w/node_modules/graphql/b.js') },
    { id: 4, callFrame: frame('(idle)') },
    { id: 5, callFrame: frame('(garbage collector)') },
  ],
  startTime: 1000,
  endTime: 7000,
  samples: [2, 2, 4, 3, 5, 3],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe('summarizeProfile', () => {
  it('counts busy self time, idle left out', () => {
    const summary = summarizeProfile(profile);
    expect(summary.busyMicros).toBe(5000);
    expect(Object.fromEntries(summary.byArea)).toEqual({ 'ours: gateway': 2000, 'graphql-js': 2000, GC: 1000 });
  });

  it('counts only samples inside the windows', () => {
    // Sample times: 2000, 3000, 4000 (idle), 5000, 6000, 7000.
    const summary = summarizeProfile(profile, { windows: [{ start: 4500, end: 6500 }] });
    expect(summary.busyMicros).toBe(2000);
    expect(Object.fromEntries(summary.byArea)).toEqual({ 'graphql-js': 1000, GC: 1000 });
  });

  it('refuses windows the profile does not overlap', () => {
    expect(() => summarizeProfile(profile, { windows: [{ start: 10_000, end: 20_000 }] })).toThrow(/overlaps none/);
  });

  it('sets two profiles side by side, per request', () => {
    const before = { heading: 'before', summary: summarizeProfile(profile), requests: 10 };
    const after = { heading: 'after', summary: summarizeProfile(profile, { windows: [{ start: 4500, end: 6500 }] }), requests: 10 };
    const graphqlRow = formatSummaries([before, after]).find((line) => line.trimStart().startsWith('graphql-js'))!;
    // 2000 µs / 10 requests before, 1000 / 10 after: 0.50.
    expect(graphqlRow).toMatch(/200 µs .* 100 µs +0\.50$/);
  });
});

describe('interleaveOptions', () => {
  it('reads a form per checkout, dist by default', () => {
    const { checkouts } = interleaveOptions([], { BENCH_AB_ROOTS: '/a@tsx,/b,/c@dist' });
    expect(checkouts).toEqual([
      { root: '/a', form: 'tsx' },
      { root: '/b', form: 'dist' },
      { root: '/c', form: 'dist' },
    ]);
    expect(interleaveOptions(['--form', 'tsx'], { BENCH_AB_ROOTS: '/a,/b@dist' }).checkouts.map((checkout) => checkout.form)).toEqual(['tsx', 'dist']);
    expect(() => interleaveOptions([], { BENCH_AB_ROOTS: '/a@ts,/b' })).toThrow(/not one of/);
  });

  it('reads a Node.js release per checkout, beside its form or alone', () => {
    const { checkouts } = interleaveOptions([], { BENCH_AB_ROOTS: '/a,/a@node24.22.3,/b@tsx@node26.12.1,/c@node22.21.1@dist' });
    expect(checkouts).toEqual([
      { root: '/a', form: 'dist' },
      { root: '/a', form: 'dist', node: '24.22.3' },
      { root: '/b', form: 'tsx', node: '26.12.1' },
      { root: '/c', form: 'dist', node: '22.21.1' },
    ]);
    expect(checkouts.map(checkoutLabel)).toEqual(['0:a/dist', '1:a/dist/node24.22.3', '2:b/tsx/node26.12.1', '3:c/dist/node22.21.1']);
    // A major alone is not a release: what it installs would depend on the day.
    expect(() => interleaveOptions([], { BENCH_AB_ROOTS: '/a,/a@node24' })).toThrow(/neither an exact Node.js version/);
  });
});
