/**
 * `node <flags> cluster.mjs <entry.js>`: BENCH_PROCESSES workers of a compiled
 * gateway under node:cluster sharing its port (the workers inherit the flags).
 * Plain JavaScript: nothing transpiles in a compiled gateway's process.
 */
import cluster from 'node:cluster';
import { pathToFileURL } from 'node:url';

const processes = Number(process.env.BENCH_PROCESSES ?? 1);
if (cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
} else {
  await import(pathToFileURL(process.argv[2]).href);
}
