/**
 * `npm start`: the whole platform on this machine (scripts/lib/start-stack.ts),
 * run as JavaScript compiled once per version of the sources
 * (lib/compiled-cache.mjs) rather than transpiled in every process at every
 * start. Plain JavaScript, so that nothing needs loading before the first line.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

console.log('Starting Bheem Federation: database, migrations, five subgraphs, gateway...');
// The same line format as start-stack.ts's progress lines.
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1e6).toFixed(1).padStart(4);
};
const progress = (message) => console.log(`[${process.uptime().toFixed(1).padStart(5)} s, CPU ${cpuSeconds()} s] ${'build'.padEnd(10)} ${message}`);

const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
let outDir;
try {
  const { compiledServices } = await import('./lib/compiled-cache.mjs');
  ({ outDir } = await compiledServices(repoRoot, progress));
} catch (error) {
  console.error(`\nStart-up failed: compiling the services failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
try {
  await import(pathToFileURL(path.join(outDir, 'scripts', 'lib', 'start-stack.js')).href);
} catch (error) {
  // What fails before the start runs (its configuration: a port, a mode) is said as a start's failure, not a stack trace.
  console.error(`\nStart-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
