/** The background CalDAV sync: every account, every interval, never two rounds at once in one process. */
import type { CalDAVSyncService } from '../services/caldav-sync-service.js';

export function startPeriodicSync(sync: CalDAVSyncService, intervalMs: number): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sync.syncAll().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
