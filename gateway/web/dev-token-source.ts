/**
 * The demo administrator's dev token for the explorer and the web client in
 * embedded mode: signed once, renewed an hour before it expires (12 h).
 */
import type { PlatformConfig } from '../../platform/config.js';
import { devTokenFor } from '../../scripts/lib/dev-token.js';
import { devTokenAllowed } from './web-routes.js';

const TTL_SECONDS = 12 * 3600;

export function devTokenSource(config: PlatformConfig, databaseUrl: string | undefined): (() => Promise<string | undefined>) | undefined {
  if (!config.embedded || !devTokenAllowed(config) || !databaseUrl) return undefined;
  let current: { token: string; renewAt: number } | undefined;
  return async () => {
    if (!current || Date.now() >= current.renewAt) {
      const { token } = await devTokenFor(config, databaseUrl, 'admin', { ttlSeconds: TTL_SECONDS });
      current = { token, renewAt: Date.now() + (TTL_SECONDS - 3600) * 1000 };
    }
    return current.token;
  };
}
