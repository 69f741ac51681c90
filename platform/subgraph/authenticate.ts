/**
 * Who is calling a subgraph: the identity the gateway signed for this very
 * request, or (only when REQUIRE_GATEWAY_SIGNATURE=false, for local
 * debugging) a user's own bearer token.
 */
import type { IncomingMessage } from 'node:http';
import type { PlatformConfig } from '../config.js';
import { unauthenticated } from '../errors.js';
import { IDENTITY_HEADER, identityKeys, verifyIdentity } from '../auth/gateway-signature.js';
import { bearerToken, type UserTokenVerifier } from '../auth/user-token.js';
import { malformedClaim, type Viewer } from '../auth/viewer.js';

export function createSubgraphAuthenticator(config: PlatformConfig, audience: string, verifyUserToken: UserTokenVerifier) {
  const keys = identityKeys(config);
  /** The gateway's identity is checked at once (no promise per request); only a user's own token is verified asynchronously. */
  return (request: IncomingMessage, rawBody: Buffer): Viewer | Promise<Viewer> => {
    const signed = request.headers[IDENTITY_HEADER];
    if (typeof signed === 'string') {
      // GET requests carry the operation in the query string; sign that instead of a body.
      const signedPayload = request.method === 'POST' ? rawBody : Buffer.from(request.url ?? '');
      const check = verifyIdentity(keys, signed, audience, signedPayload);
      if (!check.ok) throw unauthenticated(`Request refused: ${check.reason}`);
      // The gateway checks its users' claims; an identity signed around it is held to the same (no SQL error later).
      const malformed = malformedClaim(check.viewer);
      if (malformed) throw unauthenticated(`Request refused: identity ${malformed}`);
      return check.viewer;
    }
    if (!config.requireGatewaySignature) {
      const token = bearerToken(request.headers.authorization);
      if (token) return verifyUserToken(token);
    }
    throw unauthenticated(config.requireGatewaySignature ? 'This subgraph accepts only requests signed by the gateway' : 'Authentication required: send a Bearer token');
  };
}
