/**
 * Rate limits: token buckets per user and per client IP in PostgreSQL,
 * shared by gateway replicas; aliases and batched operations count; refusals
 * are 429 with Retry-After.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../../platform/config.js';
import type { RunningGateway } from '../start-gateway.js';
import { postTo, startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let replicaA: RunningGateway;
let replicaB: RunningGateway;
const QUERY = '{ courses { id } }';

function limitedConfig(config: PlatformConfig): PlatformConfig {
  return {
    ...config,
    gateway: {
      ...config.gateway,
      trustProxy: 1, // each test speaks from its own address (X-Forwarded-For), so buckets do not mix
      // Refill slow enough (one token per 100 s) that a busy test machine cannot refill a bucket mid-test.
      rateLimit: { store: 'postgres', user: { burst: 10, perSecond: 0.01 }, ip: { burst: 20, perSecond: 0.01 } },
    },
  };
}

beforeAll(async () => {
  platform = await startGatewayPlatform();
  const config = limitedConfig(platform.config);
  replicaA = await platform.startAnotherGateway({ config, databaseUrl: platform.database.url });
  replicaB = await platform.startAnotherGateway({ config, databaseUrl: platform.database.url });
});
afterAll(() => platform?.stop());

const url = (gateway: RunningGateway) => gateway.url.replace('localhost', '127.0.0.1');
const as = async (username: string, ip: string) => ({ authorization: `Bearer ${await platform.tokenFor(username)}`, 'x-forwarded-for': ip });

describe('rate limits', () => {
  it('lets a user burst, then answers 429 with Retry-After', async () => {
    const headers = await as('tara.teacher', '10.0.0.1');
    for (let i = 0; i < 10; i++) expect((await postTo(url(replicaA), { query: QUERY }, headers)).status).toBe(200);
    const refused = await postTo(url(replicaA), { query: QUERY }, headers);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another user is not affected.
    expect((await postTo(url(replicaA), { query: QUERY }, await as('ravi.teacher', '10.0.0.2'))).status).toBe(200);
  });

  it('shares buckets between gateway replicas through PostgreSQL', async () => {
    const headers = await as('maya.manager', '10.0.0.3');
    for (let i = 0; i < 5; i++) expect((await postTo(url(replicaA), { query: QUERY }, headers)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await postTo(url(replicaB), { query: QUERY }, headers)).status).toBe(200);
    expect((await postTo(url(replicaB), { query: QUERY }, headers)).status).toBe(429);
    const { db } = platform;
    const { rows } = await sql<{ key: string }>`SELECT key FROM gateway.rate_limit_buckets WHERE key LIKE 'user:%'`.execute(db);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('counts aliases: an operation with nine aliases weighs ten requests', async () => {
    const headers = await as('emil.employee', '10.0.0.4');
    const aliased = `{ ${Array.from({ length: 9 }, (_, i) => `c${i}: courses { id }`).join(' ')} }`;
    expect((await postTo(url(replicaA), { query: aliased }, headers)).status).toBe(200);
    expect((await postTo(url(replicaA), { query: QUERY }, headers)).status).toBe(429);
  });

  it('limits a client IP across users, and counts batched operations', async () => {
    const ip = '10.0.0.5';
    const users = ['sam.student', 'sita.student', 'neil.student'];
    let allowed = 0;
    for (let i = 0; i < 24; i++) {
      const response = await postTo(url(replicaA), { query: QUERY }, await as(users[i % 3]!, ip));
      if (response.status === 200) allowed++;
      else expect(response.status).toBe(429);
    }
    expect(allowed).toBe(20);

    const batchIp = '10.0.0.6';
    const headers = await as('admin', batchIp);
    const batch = await postTo(
      url(replicaA),
      Array.from({ length: 30 }, () => ({ query: QUERY })),
      headers,
    );
    expect(batch.body.errors?.[0]?.extensions?.code).toBe('BATCHING_NOT_SUPPORTED');
    expect((await postTo(url(replicaA), { query: QUERY }, headers)).status).toBe(429);
  });
});
