/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [skip seconds] [--baseline <before.cpuprofile>]`:
 * a V8 CPU profile's busy self time (idle left out) by area (graphql-js,
 * undici, JSON, GC, pg, Kysely, our modules...) and by function, beside a
 * baseline's when given, for comparing profiles before and after a change.
 * `skip seconds` leaves out the start (module loading) before the load began.
 * bench/profile.ts takes such profiles itself and counts only its load runs.
 */
import { formatSummaries, readProfile, summarizeProfile, type Column } from './support/cpu-profile.js';

const args = process.argv.slice(2);
const baselineIndex = args.indexOf('--baseline');
const baseline = baselineIndex >= 0 ? args.splice(baselineIndex, 2)[1] : undefined;
const [file, topArg, skipArg] = args;
if (!file) {
  console.error('Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [skip seconds] [--baseline <before.cpuprofile>]');
  process.exit(2);
}
const skipSeconds = Number(skipArg ?? 0);
const columns: Column[] = [
  ...(baseline ? [{ heading: 'before', summary: summarizeProfile(readProfile(baseline), { skipSeconds }) }] : []),
  { heading: baseline ? 'after' : file.split('/').at(-1)!, summary: summarizeProfile(readProfile(file), { skipSeconds }) },
];
for (const line of formatSummaries(columns, { topFunctions: Number(topArg ?? 25) })) console.log(line);
