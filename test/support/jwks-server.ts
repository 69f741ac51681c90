/**
 * A Passport double: one signing key, its public half served as a JWKS on
 * loopback, for a gateway (or subgraph) in AUTH_MODE=jwks. Used by tests and
 * by the bench, which runs as production does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export interface JwksServer {
  /** AUTH_JWKS_URL for the services. */
  url: string;
  /** The protected header of a token signed with `privateKey`. */
  header: { alg: string; kid: string };
  privateKey: CryptoKey;
  stop: () => Promise<void>;
}

export async function startJwksServer(options: { alg: 'ES256' | 'RS256'; kid: string }): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair(options.alg);
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: options.kid, alg: options.alg, use: 'sig' }] });
  const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    header: { alg: options.alg, kid: options.kid },
    privateKey,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
