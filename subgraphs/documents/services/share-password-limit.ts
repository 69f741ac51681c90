/**
 * Guessing a share link's password: after `perClient` wrong passwords from
 * one address within a window, that address gets 429 (with Retry-After) on
 * the link until the window ends; after `perLink` from all addresses
 * together, everyone does. The link-wide cap bounds guessing even by a
 * client that rotates addresses (or forges X-Forwarded-For). Checked before
 * the password is, so a refused guess is never verified.
 */
import type { ShareAttemptRepository } from '../repositories/share-attempt-repository.js';

export interface SharePasswordLimits {
  perClient: number;
  perLink: number;
  windowSeconds: number;
}

export const DEFAULT_SHARE_PASSWORD_LIMITS: SharePasswordLimits = { perClient: 5, perLink: 50, windowSeconds: 15 * 60 };

const EVERYONE = '*';

export class SharePasswordLimit {
  constructor(
    private readonly attempts: ShareAttemptRepository,
    private readonly limits: SharePasswordLimits = DEFAULT_SHARE_PASSWORD_LIMITS,
  ) {}

  private limitOf(client: string): number {
    return client === EVERYONE ? this.limits.perLink : this.limits.perClient;
  }

  /** Seconds to wait when the client (or the link) has used up its attempts; 0 when it may try. */
  async retryAfter(shareId: string, client: string, now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - this.limits.windowSeconds * 1000);
    const windows = await this.attempts.windows(shareId, [client, EVERYONE], since);
    const exhausted = windows.filter((window) => window.failures >= this.limitOf(window.client));
    if (exhausted.length === 0) return 0;
    const end = Math.max(...exhausted.map((window) => window.windowStart.getTime() + this.limits.windowSeconds * 1000));
    return Math.max(1, Math.ceil((end - now.getTime()) / 1000));
  }

  async recordFailure(shareId: string, client: string): Promise<void> {
    await this.attempts.recordFailure(shareId, [client, EVERYONE], this.limits.windowSeconds);
  }
}
