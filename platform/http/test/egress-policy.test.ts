/**
 * The outbound policy against real loopback servers: which addresses pass,
 * that the check runs on the connection itself (names resolved, redirects
 * followed), for undici's fetch and for node:http agents alike.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOutboundConfig } from '../../config/outbound-config.js';
import { EgressPolicy, isOutboundRefusal, outboundFailure } from '../egress-policy.js';

const policy = (env: Record<string, string> = {}, production = false) => new EgressPolicy(loadOutboundConfig(env, production));

async function listen(host: string, handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let target: Awaited<ReturnType<typeof listen>>;
let redirector: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  target = await listen('127.0.0.1', (_req, res) => res.end('inside'));
  // On 127.0.0.2 (loopback too on Linux): allowed by a narrow CIDR, it sends callers on to 127.0.0.1.
  redirector = await listen('127.0.0.2', (_req, res) => res.writeHead(302, { location: `${target.url}/secret` }).end());
});
afterAll(async () => {
  await target?.close();
  await redirector?.close();
});

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, 'the request was expected to be refused').not.toBeNull();
  return isOutboundRefusal(error);
};

describe('outbound policy', () => {
  it('lets only public unicast addresses through by default', () => {
    const strict = policy();
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '172.16.1.1',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::1',
      'ff02::1',
      'not-an-ip',
    ]) {
      expect(strict.addressAllowed(address), address).toBe(false);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(strict.addressAllowed(address), address).toBe(true);
    const allowing = policy({ OUTBOUND_ALLOW_PRIVATE: '10.1.0.0/16, fd00::/8' });
    expect(allowing.addressAllowed('10.1.2.3')).toBe(true);
    expect(allowing.addressAllowed('::ffff:10.1.2.3')).toBe(true);
    expect(allowing.addressAllowed('10.2.0.1')).toBe(false);
    expect(allowing.addressAllowed('fd12::1')).toBe(true);
    expect(() => loadOutboundConfig({ OUTBOUND_ALLOW_PRIVATE: 'ten' }, false)).toThrow(/OUTBOUND_ALLOW_PRIVATE/);
  });

  it('refuses loopback by address and by name, and lets it through once allowed', async () => {
    const strict = policy();
    expect(await refusal(strict.fetch(`${target.url}/`))).toBe(true);
    expect(await refusal(strict.fetch(target.url.replace('127.0.0.1', 'localhost')))).toBe(true);
    expect(await refusal(strict.fetch(target.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')))).toBe(true);
    const allowed = policy({ OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32' });
    expect(await (await allowed.fetch(`${target.url}/`)).text()).toBe('inside');
    const byName = policy({ OUTBOUND_ALLOW_HOSTS: 'localhost' });
    expect(await (await byName.fetch(target.url.replace('127.0.0.1', 'localhost'))).text()).toBe('inside');
  });

  it('checks every connection: a redirect from an allowed server to a refused one is refused', async () => {
    const narrow = policy({ OUTBOUND_ALLOW_PRIVATE: '127.0.0.2/32' });
    expect(await refusal(narrow.fetch(`${redirector.url}/`))).toBe(true);
    const { httpAgent } = narrow.agents();
    const viaAgent = new Promise((resolve, reject) => http.get(`${target.url}/`, { agent: httpAgent }, resolve).on('error', reject));
    expect(await refusal(viaAgent)).toBe(true);
    const reached = await new Promise<number>((resolve, reject) => http.get(`${redirector.url}/`, { agent: httpAgent }, (res) => resolve(res.statusCode!)).on('error', reject));
    expect(reached).toBe(302);
    httpAgent.destroy();
  });

  it('refuses plain http in production', async () => {
    const production = policy({ OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8' }, true);
    expect(await refusal(production.fetch(`${target.url}/`))).toBe(true);
  });

  it('words every other failure alike', async () => {
    const closed = outboundFailure(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'CalDAV server');
    const other = outboundFailure(new Error('cannot find principalUrl'), 'CalDAV server');
    expect(closed.message).toBe(other.message);
    expect(closed.extensions.code).toBe('REMOTE_UNREACHABLE');
  });
});
