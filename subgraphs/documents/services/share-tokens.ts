/**
 * Share link tokens derive from the link's id with the URL secret, so the
 * URL can be shown again later, while the database keeps only a hash of the
 * token (a leaked table holds no working links). Rotating the secret
 * invalidates every share link.
 */
import { createHash, createHmac } from 'node:crypto';

export const SHARE_PREFIX = '/files/share/';

export class ShareTokens {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  tokenOf(linkId: string): string {
    return createHmac('sha256', this.secret).update(`share-link:${linkId}`).digest('base64url');
  }

  urlOf(linkId: string): string {
    return `${this.publicUrl}${SHARE_PREFIX}${this.tokenOf(linkId)}`;
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
