/**
 * Verified Passport tokens, remembered by token string until they expire:
 * a client sends the same token with every request, and verifying a JWT
 * (a signature check, a JWKS lookup) is the costliest step of
 * authentication. Only successes are cached; a bounded two-generation map
 * keeps memory flat whatever the number of tokens.
 *
 * The maps are keyed by the token's last characters (its signature's), and a
 * hit counts only when the whole token is the one remembered: a Map hashes
 * every character of its key, ~6 k instructions a request for a 470-character
 * token that arrives as a new string each time (bench/README-results.md),
 * where a comparison of two strings costs a fraction of that. Two tokens
 * with the same tail take each other's place, as a miss would.
 */
import type { UserTokenVerifier } from '../platform/auth/user-token.js';
import type { Viewer } from '../platform/auth/viewer.js';

const MAX_ENTRIES = 10_000;
/** Characters of a token's tail that key it: of its signature, as good as random. Under 13, a copy, not a slice of the token. */
const KEY_LENGTH = 12;

type Entry = { token: string; viewer: Viewer; expiresAt: number };

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
  let current = new Map<string, Entry>();
  let previous = new Map<string, Entry>();
  const remember = (token: string, viewer: Viewer) => {
    const expiresAt = expiryOf(token);
    if (expiresAt > Date.now()) {
      if (current.size >= MAX_ENTRIES) {
        previous = current;
        current = new Map();
      }
      current.set(token.slice(-KEY_LENGTH), { token, viewer, expiresAt });
    }
    return viewer;
  };
  return (token) => {
    const key = token.slice(-KEY_LENGTH);
    let hit = current.get(key);
    if (hit?.token !== token) hit = previous.get(key);
    if (hit?.token === token && hit.expiresAt > Date.now()) return hit.viewer;
    return verify(token).then((viewer) => remember(token, viewer));
  };
}
