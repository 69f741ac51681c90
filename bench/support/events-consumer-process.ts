/**
 * A consumer process of the events benchmark (bench/events.ts forks it):
 * options as JSON in argv[2]; it reports to the parent over IPC, every
 * 20 ms, the events it handled (id, handler start) and its partitions, each
 * time with its CPU time so far. It stops when the parent disconnects.
 */
import { sql } from 'kysely';
import { startEventConsumer } from '../../platform/events/event-consumer.js';
import { createLogger } from '../../platform/logger.js';
import { ownCpuMs } from '../../platform/process-stats.js';

const options = JSON.parse(process.argv[2]!) as { databaseUrl: string; group: string; handler: 'noop' | 'write' };
const now = () => performance.timeOrigin + performance.now();

let batch: [string, number][] = [];
const consumer = await startEventConsumer({
  databaseUrl: options.databaseUrl,
  group: options.group,
  startFrom: 'now',
  partitions: 8,
  rebalanceIntervalMs: 200,
  retention: false,
  log: createLogger('bench-consumer', 'warn'),
  handlers: {
    'project.task.created': async (event, { trx }) => {
      batch.push([event.id, now()]);
      if (options.handler === 'write') await sql`INSERT INTO public.bench_handled (consumer_group, event_id) VALUES (${options.group}, ${event.id})`.execute(trx);
    },
  },
});
let reported = '';
const timer = setInterval(() => {
  const held = consumer.heldPartitions();
  if (held.join() !== reported) {
    reported = held.join();
    process.send?.({ type: 'held', partitions: held, cpuMs: ownCpuMs() });
  }
  if (batch.length > 0) {
    process.send?.({ type: 'handled', batch, cpuMs: ownCpuMs() });
    batch = [];
  }
}, 20);
process.on('disconnect', () => {
  clearInterval(timer);
  void consumer.stop().then(() => process.exit(0));
});
