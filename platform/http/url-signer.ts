/**
 * Short-lived signed URLs (HMAC-SHA256 over path, parameters and expiry) on
 * the public origin. The signature is the whole authorization of a transfer:
 * it is minted only after the GraphQL layer checked identity, tenant and role.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true; path: string; params: URLSearchParams; expiresAt: Date } | { ok: false; reason: string };

export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  private signature(path: string, params: URLSearchParams): string {
    const canonical = [...params.entries()]
      .filter(([name]) => name !== 'sig')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    return createHmac('sha256', this.secret).update(`${path}\n${canonical}`).digest('base64url');
  }

  /** An absolute URL for `path` (starting with /files/) valid until `expiresAt`. */
  sign(path: string, params: Record<string, string>, expiresAt: Date): string {
    const search = new URLSearchParams({ ...params, expires: String(Math.floor(expiresAt.getTime() / 1000)) });
    search.set('sig', this.signature(path, search));
    return `${this.publicUrl}${path}?${search.toString()}`;
  }

  /** Checks a request URL (path and query, as node:http gives it). */
  verify(requestUrl: string, now = new Date()): SignatureCheck {
    const url = new URL(requestUrl, 'http://local');
    // The path the router saw, not the URL parser's: dot segments (`..`, `%2e%2e`) would let another route's signature through.
    const queryIndex = requestUrl.indexOf('?');
    const signedPath = queryIndex >= 0 ? requestUrl.slice(0, queryIndex) : requestUrl;
    if (url.pathname !== signedPath) return { ok: false, reason: 'The URL signature is not valid' };
    const given = url.searchParams.get('sig');
    const expires = Number(url.searchParams.get('expires'));
    if (!given || !Number.isInteger(expires)) return { ok: false, reason: 'The URL is not signed' };
    const expected = Buffer.from(this.signature(url.pathname, url.searchParams));
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'The URL signature is not valid' };
    if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'The URL has expired' };
    return { ok: true, path: url.pathname, params: url.searchParams, expiresAt: new Date(expires * 1000) };
  }
}
