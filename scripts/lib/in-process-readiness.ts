/**
 * Readiness of a subgraph `npm start` runs in its own process: its
 * /health/ready checks (the database, storage) may time out on a busy
 * machine, so a 503 is asked again until the subgraph is ready, and is a
 * failed start only when it lasts `limits.stallMs` (START_STALL_SECONDS).
 */
import { type ReadinessLimits, StartError } from './service-process.js';

const RETRY_MS = 250;
const REPORT_EVERY_MS = 15_000;

export async function waitInProcessReady(name: string, healthUrl: string, limits: ReadinessLimits, onWaiting: (message: string) => void): Promise<void> {
  const started = Date.now();
  let reportedAt = started;
  for (;;) {
    const answer = await fetch(healthUrl);
    if (answer.ok) return;
    const state = `${answer.status}: ${(await answer.text()).slice(0, 300)}`;
    const waited = Date.now() - started;
    if (waited >= limits.stallMs) throw new StartError(name, `is listening but not ready after ${Math.round(waited / 1000)} s (${state})`);
    if (Date.now() - reportedAt >= REPORT_EVERY_MS) {
      reportedAt = Date.now();
      onWaiting(`listening, not ready after ${Math.round(waited / 1000)} s (${state})`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
