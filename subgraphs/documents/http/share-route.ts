/**
 * GET (or POST, with a password form) /files/share/<token>: the shared
 * document's current version, for anyone holding the link, until it expires
 * or is revoked, and while its maker could still read the document where it
 * is now (share-maker-access.ts). The token names one document; nothing else is reachable.
 * Downloads are counted (a range that starts past byte 0 continues one).
 * Wrong passwords are rate-limited per link and client (429 + Retry-After).
 * Browsers get refusals as small HTML pages (a password form), others JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { clientIp, type TrustedProxies } from '../../../platform/http/client-ip.js';
import { headerText } from '../../../platform/http/header-text.js';
import { BodyTooLargeError, readBody } from '../../../platform/http/read-body.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import type { ShareLinkRepository } from '../repositories/share-link-repository.js';
import type { ActivityTrail } from '../services/document-activity.js';
import type { DocumentAccess } from '../services/document-access.js';
import { makerJudgement, type MakerJudgement } from '../services/share-maker-access.js';
import type { SharePasswordLimit } from '../services/share-password-limit.js';
import { verifySharePassword } from '../services/share-password.js';
import { SHARE_PREFIX, ShareTokens } from '../services/share-tokens.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import { serveObject } from './serve-object.js';
import { refuseShare, type ShareRefusal } from './share-page.js';

const REFUSAL_OF: Record<Exclude<MakerJudgement, 'reads'>, ShareRefusal> = {
  lost: 'maker-lost-access',
  'left-pinned': 'left-pinned-record',
  unavailable: 'unavailable',
};

async function passwordOf(request: IncomingMessage): Promise<string | undefined> {
  const header = request.headers['x-share-password'];
  // UTF-8 bytes (what curl and browsers send) or, failing that, Latin-1: see header-text.ts.
  if (typeof header === 'string') return headerText(header);
  if (request.method !== 'POST') return undefined;
  const form = new URLSearchParams((await readBody(request, 16_384)).toString('utf8'));
  return form.get('password') ?? undefined;
}

/**
 * `trust`: the proxies in front of this service (the gateway), as SUBGRAPH_TRUST_PROXY says.
 * `accessFor`: the document access rules for a viewer, as GraphQL applies them (the link's maker here).
 */
export function shareRoutes(
  links: ShareLinkRepository,
  backends: StorageBackends,
  limit: SharePasswordLimit,
  trust: TrustedProxies,
  activity: ActivityTrail,
  accessFor: (viewer: Viewer) => DocumentAccess,
): HttpRoute[] {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const token = (request.url ?? '').split('?')[0]!.slice(SHARE_PREFIX.length);
    const link = /^[A-Za-z0-9_-]{43}$/.test(token) ? await links.findByTokenHash(ShareTokens.hash(token)) : null;
    if (!link || link.deleted_at) return refuseShare(request, response, 'missing');
    if (link.revoked_at) return refuseShare(request, response, 'revoked');
    if (link.expires_at.getTime() <= Date.now()) return refuseShare(request, response, 'expired');
    // The link is its maker's authority: no more than they may read where the document is now (it may have moved).
    const judgement = await makerJudgement(link, accessFor);
    if (judgement !== 'reads') return refuseShare(request, response, REFUSAL_OF[judgement]);
    if (link.password_hash) {
      let password: string | undefined;
      try {
        password = await passwordOf(request);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuseShare(request, response, 'too-large');
        throw error;
      }
      if (password === undefined) return refuseShare(request, response, 'password');
      // Behind the gateway the peer is the gateway, which sends the client's address as it judged it (see share-password-limit.ts).
      const client = clientIp(request, trust);
      const wait = await limit.retryAfter(link.id, client);
      if (wait > 0) return refuseShare(request, response, 'too-many', wait);
      if (!(await verifySharePassword(password, link.password_hash))) {
        await limit.recordFailure(link.id, client);
        return refuseShare(request, response, 'wrong-password');
      }
    }
    await serveObject(
      request,
      response,
      await backends.of(link),
      { storageKey: link.storage_key, size: Number(link.size), checksum: link.checksum, mimeType: link.mime_type, filename: link.filename },
      {
        onBody: async (range) => {
          if (range && range.start > 0) return;
          await links.countDownload(link.id);
          await activity.sharedDownload(link);
        },
      },
    );
  };
  return [
    { method: 'GET', path: SHARE_PREFIX, handle },
    { method: 'POST', path: SHARE_PREFIX, handle },
  ];
}
