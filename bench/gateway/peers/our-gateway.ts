/**
 * Our gateway as the benchmark runs it: gateway/main.ts as is (configured by
 * the environment the benchmark passes), or with BENCH_PROCESSES > 1 that
 * many workers under node:cluster sharing the port.
 */
import cluster from 'node:cluster';

const processes = Number(process.env.BENCH_PROCESSES ?? 1);
if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
} else {
  await import('../../../gateway/main.js');
}
