/**
 * Verified Passport tokens, remembered by token string until they expire:
 * a client sends the same token with every request, and verifying a JWT
 * (a signature check, a JWKS lookup) is the costliest step of
 * authentication. Only successes are cached; a bounded two-generation map
 * keeps memory flat whatever the number of tokens.
 */
import type { UserTokenVerifier } from '../platform/auth/user-token.js';
import type { Viewer } from '../platform/auth/viewer.js';

const MAX_ENTRIES = 10_000;

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** A remembered token's viewer comes back as is, not in a promise: the auth step then costs none (pipeline/edge-request.ts). */
export type CachedTokenVerifier = (token: string) => Viewer | Promise<Viewer>;

export function cachedTokenVerifier(verify: UserTokenVerifier): CachedTokenVerifier {
  let current = new Map<string, { viewer: Viewer; expiresAt: number }>();
  let previous = new Map<string, { viewer: Viewer; expiresAt: number }>();
  const remember = (token: string, viewer: Viewer) => {
    const expiresAt = expiryOf(token);
    if (expiresAt > Date.now()) {
      if (current.size >= MAX_ENTRIES) {
        previous = current;
        current = new Map();
      }
      current.set(token, { viewer, expiresAt });
    }
    return viewer;
  };
  return (token) => {
    const hit = current.get(token) ?? previous.get(token);
    if (hit && hit.expiresAt > Date.now()) return hit.viewer;
    return verify(token).then((viewer) => remember(token, viewer));
  };
}
