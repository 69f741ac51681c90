/**
 * Main-thread GC pauses as V8 reports them, counted from now on: how many, their time, and the major ones' time
 * apart (incremental marking steps and helper threads not included). Shared by the processes the subscriptions
 * bench probes (the gateway, each subgraph); plain JavaScript, as they load no TypeScript.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';

export function countGcPauses() {
  const pauses = { count: 0, ms: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.count++;
      pauses.ms += entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) pauses.majorMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  return pauses;
}
