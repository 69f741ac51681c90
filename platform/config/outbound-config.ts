/** Settings of the outbound-connection policy (platform/http/egress-policy.ts). */
import ipaddr from 'ipaddr.js';
import type { Env } from './env-values.js';

export interface OutboundConfig {
  /** Host names that may resolve to any address (OUTBOUND_ALLOW_HOSTS, lower case). */
  allowHosts: string[];
  /** Non-public ranges that may be reached (OUTBOUND_ALLOW_PRIVATE, CIDRs). */
  allowPrivate: string[];
  /** Plain http refused: in production. */
  requireHttps: boolean;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function loadOutboundConfig(env: Env, production: boolean): OutboundConfig {
  const allowPrivate = list(env.OUTBOUND_ALLOW_PRIVATE);
  for (const cidr of allowPrivate) {
    try {
      ipaddr.parseCIDR(cidr);
    } catch {
      throw new Error(`OUTBOUND_ALLOW_PRIVATE must list CIDRs (like 10.0.0.0/8), got "${cidr}"`);
    }
  }
  return { allowHosts: list(env.OUTBOUND_ALLOW_HOSTS).map((host) => host.toLowerCase().replace(/\.$/, '')), allowPrivate, requireHttps: production };
}
