/**
 * The load generator, a separate process (forked by the benchmark): `vus`
 * virtual users each send one request at a time over loopback keep-alive
 * connections (undici), until the time or the request budget runs out.
 * Every request is a fresh user and course (its own token and variables),
 * and every answer is checked against the expected one: a wrong answer
 * counts as an error, whatever its status.
 *
 * `direct` mode calls the owning subgraph itself, with the identity header
 * signed here as the gateway would: the baseline for gateway overhead.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { IDENTITY_HEADER, signIdentity } from '../../platform/auth/gateway-signature.js';
import { viewerFromClaims, type Viewer } from '../../platform/auth/viewer.js';
import { OPERATIONS, planRequest, type LoadFixture, type OperationName } from './operations.js';
import { percentile } from '../support/percentile.js';

export interface LoadJob {
  url: string;
  operation: OperationName;
  fixturePath: string;
  vus: number;
  seconds: number;
  maxRequests: number;
  /** Sign the identity for a subgraph (audience) instead of sending the bearer token. */
  direct?: { audience: string; secret: string };
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** A few wrong answers, for the report. */
  samples: string[];
  seconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

const viewers = new Map<string, Viewer>();
function viewerOf(token: string): Viewer {
  let viewer = viewers.get(token);
  if (!viewer) {
    viewer = viewerFromClaims(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')))!;
    viewers.set(token, viewer);
  }
  return viewer;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const fixture = JSON.parse(readFileSync(job.fixturePath, 'utf8')) as LoadFixture;
  const url = new URL(job.url);
  const pool = new Pool(url.origin, { connections: job.vus, keepAliveTimeout: 60_000 });
  const query = OPERATIONS[job.operation].query;
  const latencies = new Float64Array(job.maxRequests);
  let sent = 0;
  let done = 0;
  let errors = 0;
  const samples: string[] = [];
  const started = performance.now();
  const deadline = started + job.seconds * 1000;

  const virtualUser = async () => {
    while (performance.now() < deadline && sent < job.maxRequests) {
      sent++;
      const planned = planRequest(job.operation, fixture);
      const body = JSON.stringify({ query, variables: planned.variables });
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (job.direct) headers[IDENTITY_HEADER] = signIdentity(job.direct.secret, viewerOf(planned.token), job.direct.audience, body);
      else headers.authorization = `Bearer ${planned.token}`;
      const at = performance.now();
      let ok = false;
      let text = '';
      try {
        const response = await pool.request({ method: 'POST', path: url.pathname, headers, body });
        text = await response.body.text();
        ok = response.statusCode === 200 && planned.check(JSON.parse(text));
      } catch (error) {
        text = String(error);
      }
      latencies[done++] = performance.now() - at;
      if (!ok) {
        errors++;
        if (samples.length < 3) samples.push(text.slice(0, 400));
      }
    }
  };
  await Promise.all(Array.from({ length: job.vus }, virtualUser));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = latencies.subarray(0, done).sort();
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    requests: done,
    errors,
    samples,
    seconds: round(seconds),
    latencyMs: { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? 0) },
  };
}

// Forked by the benchmark: one job per message, one result back.
if (process.send) {
  process.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) => process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }),
    );
  });
}
