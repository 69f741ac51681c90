/**
 * One subgraph asking another, signed exactly as the gateway signs (same
 * header, audience = the callee, body hash), on behalf of the caller or of a
 * service identity for background work (event handlers).
 */
import { IDENTITY_HEADER, signIdentity } from '../auth/gateway-signature.js';
import type { Viewer } from '../auth/viewer.js';
import type { PlatformConfig, SubgraphName } from '../config.js';
import { platformError, unavailable } from '../errors.js';

export interface SubgraphCallResult<T> {
  data: T;
}

/** A service identity with admin rights inside one company, for background work. */
export function serviceViewer(service: string, companyId: string): Viewer {
  return { userId: `service:${service}`, companyId, roles: ['admin', 'service'] };
}

export async function callSubgraph<T>(
  config: PlatformConfig,
  target: SubgraphName,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  timeoutMs = 5000,
): Promise<T> {
  const body = JSON.stringify({ query, variables });
  let response: Response;
  try {
    response = await fetch(config.subgraphUrls[target], {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(config.internalSigningSecret, viewer, target, body) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw unavailable(`The ${target} service is unavailable: ${(error as Error).message}`, { serviceName: target });
  }
  const payload = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  if (!payload) throw unavailable(`The ${target} service answered HTTP ${response.status} without a GraphQL body`, { serviceName: target });
  if (payload.errors?.length) {
    const first = payload.errors[0]!;
    const code = first.extensions?.code;
    if (code === 'FORBIDDEN' || code === 'NOT_FOUND' || code === 'BAD_USER_INPUT') throw platformError(code, first.message);
    throw unavailable(`The ${target} service failed: ${first.message}`, { serviceName: target });
  }
  return payload.data as T;
}
