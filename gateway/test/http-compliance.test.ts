/**
 * graphql-http's server audits (GraphQL over HTTP spec) against the
 * gateway, authenticated: every MUST passes, and every SHOULD except those
 * declined, with reasons, in gateway/README-http-compliance.md.
 */
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

/** SHOULDs we decline; each is explained in gateway/README-http-compliance.md. */
const DECLINED_SHOULDS: string[] = [];

let platform: GatewayPlatform;
let token: string;

beforeAll(async () => {
  platform = await startGatewayPlatform();
  token = await platform.tokenFor('admin');
});
afterAll(() => platform?.stop());

describe('GraphQL over HTTP compliance', () => {
  it('passes every MUST and every SHOULD not declined', async () => {
    const results = await auditServer({
      url: platform.gateway.url.replace('localhost', '127.0.0.1'),
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });
    const failing = results.filter((result) => result.status !== 'ok');
    for (const result of failing) console.log(`${result.status} ${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failing.filter((result) => result.status === 'error').map((result) => `${result.id} ${result.name}`)).toEqual([]);
    expect(failing.filter((result) => result.status === 'warn').map((result) => result.name)).toEqual(DECLINED_SHOULDS);
    expect(results.length).toBeGreaterThan(30);
  });

  // A client library that writes the media type in capitals got a 400 "POST body missing" once (RFC 9110 §8.3.1:
  // type, subtype and parameter names are case-insensitive).
  it('reads a body whose media type is written in capitals', async () => {
    for (const type of ['APPLICATION/JSON', 'Application/Json; Charset=UTF-8']) {
      const answer = await platform.post(JSON.stringify({ query: '{ courses { id } }' }), { authorization: `Bearer ${token}`, 'content-type': type });
      expect(answer.status, type).toBe(200);
      expect(answer.body.errors, type).toBeUndefined();
      expect(answer.body.data.courses.length, type).toBeGreaterThan(0);
    }
  });
});
