/** Documents' background jobs, one after the other every `intervalSeconds`, each failure logged on its own. */
import { PeriodicJob } from '../../../platform/jobs/periodic-job.js';
import type { Logger } from '../../../platform/logger.js';

export function startPeriodicJobs(intervalSeconds: number, jobs: Record<string, () => Promise<unknown>>, log: Logger): () => Promise<void> {
  const runAll = async () => {
    for (const [name, job] of Object.entries(jobs)) {
      try {
        await job();
      } catch (error) {
        log.error({ err: error, job: name }, 'documents job failed');
      }
    }
  };
  const periodic = new PeriodicJob('documents jobs', runAll, log);
  periodic.start(intervalSeconds * 1000);
  return () => periodic.stop();
}
