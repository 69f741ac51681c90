/**
 * The client's address, the same way on every route: the socket's peer,
 * or, behind proxies we trust, the right-most X-Forwarded-For address that
 * is not one of them (proxy-addr, as Express computes req.ip). A proxy
 * appends the address it saw connecting; whatever a client wrote to the
 * left of that is its own word and is never taken, so a client cannot pick
 * the address the IP rate limit or the share-password limit counts.
 *
 * Trust is `false` (no proxy: the peer is the client), a hop count (the
 * nearest n proxies), or a list of addresses, CIDR ranges and proxy-addr's
 * names (`loopback`, `linklocal`, `uniquelocal`).
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxySetting = false | number | string[];

/** A compiled trust setting: whether the hop `index` away (0: the peer) at `address` is a proxy of ours. */
export type TrustedProxies = (address: string, index: number) => boolean;

const TRUST_NONE: TrustedProxies = () => false;

/** Parses GATEWAY_TRUST_PROXY-like values: `false`/empty, `true` (one hop, the older meaning), a hop count, or a comma-separated list. */
export function parseTrustProxy(value: string | undefined, name: string, fallback: TrustProxySetting): TrustProxySetting {
  const text = value?.trim();
  if (text === undefined || text === '') return fallback;
  if (/^(false|off|no)$/i.test(text)) return false;
  if (/^(true|on|yes)$/i.test(text)) return 1;
  if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Number(text);
  const list = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (error) {
    throw new Error(`${name} must be false, a hop count or a list of addresses and CIDR ranges: ${(error as Error).message}`);
  }
  return list;
}

export function trustedProxies(setting: TrustProxySetting): TrustedProxies {
  if (setting === false) return TRUST_NONE;
  if (typeof setting === 'number') return (_address, index) => index < setting;
  return proxyaddr.compile(setting);
}

export function clientIp(request: IncomingMessage, trust: TrustedProxies): string {
  // Without trust the header is never even read.
  if (trust === TRUST_NONE) return request.socket.remoteAddress ?? 'unknown';
  return proxyaddr(request, trust) || 'unknown';
}
