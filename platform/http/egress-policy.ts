/**
 * The one rule for connections the server makes to addresses its users give
 * (CalDAV servers, a company's WebDAV, S3 or Nextcloud): without it, a user
 * could make the server reach its own network (SSRF).
 *
 * - https only in production (plain http is for development and tests);
 * - every address a host name resolves to must be public unicast: loopback,
 *   private (RFC 1918, IPv6 unique-local), link-local (cloud metadata),
 *   CGNAT, multicast, broadcast, unspecified, reserved, and IPv6 forms that
 *   carry an IPv4 address (mapped, NAT64, 6to4, Teredo) are refused, unless
 *   OUTBOUND_ALLOW_PRIVATE names the address's range (CIDRs) or
 *   OUTBOUND_ALLOW_HOSTS names the host;
 * - the check runs in the socket's own DNS lookup, so the connection goes to
 *   the very address that was checked (no rebinding between check and
 *   connect), for every connection: redirects and reconnects included.
 *
 * Failures come out as two errors whose text says nothing of what listens at
 * the address: OUTBOUND_REFUSED (this policy said no) and REMOTE_UNREACHABLE
 * (anything else: closed port, timeout, a server that does not speak the
 * protocol, refused credentials).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { OutboundConfig } from '../config/outbound-config.js';
import { platformError } from '../errors.js';

/** This policy refused the connection; the message names no address. */
export class OutboundRefusedError extends Error {
  readonly code = 'OUTBOUND_REFUSED';
  constructor(readonly detail: string) {
    super('Connections to this address are not allowed');
  }
}

/** Whether `error` or one of its causes is a refusal of this policy (by code too: node-fetch copies a socket error's code, not the error). */
export function isOutboundRefusal(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof OutboundRefusedError || (current as { code?: unknown }).code === 'OUTBOUND_REFUSED') return true;
  }
  return false;
}

/**
 * The GraphQL error for a failed connection to a user-given address: one
 * wording per code, whatever went wrong, so that answers cannot be used to
 * scan what listens where.
 */
export function outboundFailure(error: unknown, what: string, field?: string) {
  const extra = field ? { field } : {};
  if (isOutboundRefusal(error)) return platformError('OUTBOUND_REFUSED', `The server may not connect to this ${what} address`, extra);
  return platformError('REMOTE_UNREACHABLE', `The ${what} at this address could not be used: it could not be reached, or did not answer as one with these credentials`, extra);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

export class EgressPolicy {
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  private readonly hosts: Set<string>;
  private dispatcher?: Agent;

  constructor(readonly config: OutboundConfig) {
    this.ranges = config.allowPrivate.map((cidr) => ipaddr.parseCIDR(cidr));
    this.hosts = new Set(config.allowHosts);
  }

  /** Whether a connection to `address` may be made (for a host not on OUTBOUND_ALLOW_HOSTS). */
  addressAllowed(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    // process() turns IPv4-mapped IPv6 (::ffff:a.b.c.d) into the IPv4 address it carries.
    const parsed = ipaddr.process(address);
    if (parsed.range() === 'unicast') return true;
    return this.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  }

  private hostAllowed(host: string): boolean {
    return this.hosts.has(host.toLowerCase().replace(/\.$/, ''));
  }

  /** The checks that need no DNS: scheme, and an address written as the host. Throws OutboundRefusedError. */
  checkTarget(protocol: string, hostname: string): void {
    if (protocol !== 'https:' && !(protocol === 'http:' && !this.config.requireHttps)) throw new OutboundRefusedError(`${protocol} is not allowed`);
    const host = hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && !this.hostAllowed(host) && !this.addressAllowed(host)) throw new OutboundRefusedError(`${host} is not a public address`);
  }

  /** Checks a URL before anything is sent (the connection checks again). */
  checkUrl(url: string | URL): void {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    this.checkTarget(parsed.protocol, parsed.hostname);
  }

  /** A dns.lookup for sockets to `hostname`: every answer is checked, and the socket connects to what was checked. */
  lookupFor(hostname: string) {
    const trusted = this.hostAllowed(hostname);
    return (name: string, options: dns.LookupOptions, callback: LookupCallback) => {
      dns.lookup(name, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const refused = trusted ? undefined : addresses.find((entry) => !this.addressAllowed(entry.address));
        if (refused) return callback(new OutboundRefusedError(`${name} resolves to ${refused.address}`) as NodeJS.ErrnoException, []);
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' }), []);
        callback(null, first.address, first.family);
      });
    };
  }

  /** fetch (undici's) whose every connection obeys the policy: for tsdav and plain calls. */
  readonly fetch = ((input: string | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : (input as Request).url);
    try {
      this.checkUrl(url);
    } catch (error) {
      return Promise.reject(new TypeError('fetch failed', { cause: error }));
    }
    this.dispatcher ??= new Agent({ connect: this.connector() });
    return undiciFetch(input as string, { ...(init as object), dispatcher: this.dispatcher });
  }) as unknown as typeof fetch;

  private connector(): buildConnector.connector {
    const connect = (hostname: string) => buildConnector({ lookup: this.lookupFor(hostname) } as buildConnector.BuildOptions);
    return (options, callback) => {
      try {
        this.checkTarget(options.protocol, options.hostname);
      } catch (error) {
        callback(error as Error, null);
        return;
      }
      connect(options.hostname)(options, callback);
    };
  }

  /** Node agents for clients built on node:http (the webdav client, the S3 SDK). */
  agents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    return { httpAgent: this.guard(new http.Agent({ keepAlive: true }), 'http:'), httpsAgent: this.guard(new https.Agent({ keepAlive: true }), 'https:') };
  }

  private guard<T extends http.Agent>(agent: T, protocol: string): T {
    const create = (
      agent as unknown as { createConnection: (options: Record<string, unknown>, callback: (error: Error | null, socket?: net.Socket) => void) => net.Socket | undefined }
    ).createConnection.bind(agent);
    Object.assign(agent, {
      createConnection: (options: Record<string, unknown>, callback: (error: Error | null, socket?: net.Socket) => void) => {
        const hostname = String(options.hostname ?? options.host ?? 'localhost');
        try {
          this.checkTarget(protocol, hostname);
        } catch (error) {
          process.nextTick(callback, error);
          return undefined;
        }
        return create({ ...options, lookup: this.lookupFor(hostname) }, callback);
      },
    });
    return agent;
  }
}
