/**
 * The auth step over remembered tokens (cached-token-verifier.ts): a token
 * verified once lets later requests through without a promise, so a request
 * that meets only synchronous steps costs none (pipeline/edge-request.ts);
 * a new, a bad or a missing token still goes the way it went.
 */
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../platform/auth/viewer.js';
import { cachedTokenVerifier } from '../cached-token-verifier.js';
import { authStep } from '../pipeline/auth-step.js';
import { edgeRequest } from '../pipeline/edge-request.js';

const VIEWER: Viewer = { userId: 'u1', companyId: 'c1', roles: ['learner'] };
const LIMITS = { store: 'off' as const, user: { burst: 1, perSecond: 1 }, ip: { burst: 1, perSecond: 1 } };

/** A JWT-shaped token whose payload expires in an hour (the cache keeps it until then). */
const token = (name: string, signature = 's') => `h.${Buffer.from(JSON.stringify({ sub: name, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.${signature}`;

describe('the auth step over remembered tokens', () => {
  it('verifies a new token through a promise, then lets it through with none', async () => {
    let verifications = 0;
    const step = authStep(
      cachedTokenVerifier(async () => {
        verifications++;
        return VIEWER;
      }),
      undefined,
      LIMITS,
    );
    const given = token('a');
    const first = edgeRequest('http', '127.0.0.1', given, {});
    const outcome = step(first);
    expect(outcome).toBeInstanceOf(Promise);
    expect(await outcome).toBeUndefined();
    expect(first.viewer).toBe(VIEWER);

    const second = edgeRequest('http', '127.0.0.1', given, {});
    expect(step(second)).toBeUndefined();
    expect(second.viewer).toBe(VIEWER);
    expect(verifications).toBe(1);
  });

  it('refuses a bad token and a missing one with UNAUTHENTICATED, and remembers no failure', async () => {
    let verifications = 0;
    const step = authStep(
      cachedTokenVerifier(async () => {
        verifications++;
        throw new Error('bad signature');
      }),
      undefined,
      LIMITS,
    );
    const bad = token('b');
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await step(edgeRequest('http', '127.0.0.1', bad, {}))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'bad signature' });
    }
    expect(verifications).toBe(2);
    expect(await step(edgeRequest('http', '127.0.0.1', undefined, {}))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it("never answers a token with another's viewer, whatever their tails (the cache's key) share", async () => {
    const verified: string[] = [];
    const verify = cachedTokenVerifier(async (given) => {
      const { sub } = JSON.parse(Buffer.from(given.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string };
      verified.push(sub);
      return { userId: sub, companyId: 'c1', roles: ['learner'] };
    });
    const tail = 'the-same-signature-tail';
    const [alice, mallory] = [token('alice', tail), token('mallory', tail)];
    expect(await verify(alice)).toMatchObject({ userId: 'alice' });
    expect(verify(alice)).toMatchObject({ userId: 'alice' });
    const forMallory = verify(mallory);
    expect(forMallory).toBeInstanceOf(Promise);
    expect(await forMallory).toMatchObject({ userId: 'mallory' });
    expect(verify(mallory)).toMatchObject({ userId: 'mallory' });
    expect(await verify(alice)).toMatchObject({ userId: 'alice' });
    expect(verified).toEqual(['alice', 'mallory', 'alice']);
  });
});
