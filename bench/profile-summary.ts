/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [skip seconds]`:
 * a V8 CPU profile's busy self time (idle left out) by function and by
 * package (node_modules folder, or the repo's own code), for comparing
 * profiles before and after a change. `skip seconds` leaves out the start
 * (module loading) before the load began.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, skipArg] = process.argv.slice(2);
if (!file) {
  console.error('Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
const skipMicros = Number(skipArg ?? 0) * 1e6;
let elapsed = 0;
profile.samples.forEach((id, index) => {
  elapsed += profile.timeDeltas[index] ?? 0;
  if (elapsed >= skipMicros && byId.get(id)!.callFrame.functionName !== '(idle)') selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});

function packageOf(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return 'node';
  if (url === '') return '(native)';
  return url.includes('/platform/') ? 'repo: platform' : url.includes('/subgraphs/') ? 'repo: subgraphs' : 'repo: other';
}

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(platform|subgraphs)\//, '$1/')}:${lineNumber + 1}` : '';
  const name = `${functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const pkg = packageOf(url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  total += micros;
}
const top = Number(topArg ?? 25);
const print = (title: string, table: Map<string, number>, rows: number) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms busy)`);
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`);
};
print('Self time by function', byFunction, top);
print('Self time by package', byPackage, 15);
