/**
 * `/health/live` answers while the process runs; `/health/ready` runs every
 * readiness check (each bounded by a timeout) and answers 503 naming the
 * failing ones.
 */
import type { HttpRoute } from '../subgraph/subgraph-module.js';
import { sendJson } from './respond.js';

export type ReadinessChecks = Record<string, () => Promise<void>>;

async function withTimeout(check: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(service: string, checks: () => ReadinessChecks, timeoutMs = 2000): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/health/live',
      handle: async (_request, response) => sendJson(response, 200, { status: 'ok', service }),
    },
    {
      method: 'GET',
      path: '/health/ready',
      handle: async (_request, response) => {
        const results: Record<string, string> = {};
        await Promise.all(
          Object.entries(checks()).map(async ([name, check]) => {
            try {
              await withTimeout(check, timeoutMs);
              results[name] = 'ok';
            } catch (error) {
              results[name] = (error as Error).message || 'failed';
            }
          }),
        );
        const ready = Object.values(results).every((result) => result === 'ok');
        sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', service, checks: results });
      },
    },
  ];
}
