/** Runs background jobs every `intervalSeconds`, one run at a time, never keeping the process alive. */
import type { Logger } from '../../../platform/logger.js';

export function startPeriodicJobs(intervalSeconds: number, jobs: Record<string, () => Promise<unknown>>, log: Logger): () => Promise<void> {
  if (intervalSeconds <= 0) return async () => {};
  let running: Promise<void> | undefined;
  const runAll = async () => {
    for (const [name, job] of Object.entries(jobs)) {
      try {
        await job();
      } catch (error) {
        log.error({ err: error, job: name }, 'documents job failed');
      }
    }
  };
  const timer = setInterval(() => {
    running ??= runAll().finally(() => (running = undefined));
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
