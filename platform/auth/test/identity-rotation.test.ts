/** A rolling change of INTERNAL_SIGNING_SECRET: subgraphs accept the previous key until every gateway signs with the new one. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { identityKeys, signIdentity, verifyIdentity } from '../gateway-signature.js';
import type { Viewer } from '../viewer.js';

const viewer: Viewer = { userId: '7', companyId: '00000000-0000-4000-8000-000000000001', roles: ['teacher'], name: 'Tara', email: 'tara@example.com' };
const body = '{"query":"{ courses { id } }"}';

describe('gateway identity under a key rotation', () => {
  it('accepts identities signed with a previous key listed in INTERNAL_SIGNING_SECRET_PREVIOUS, and no others', () => {
    const rotating = loadConfig({ INTERNAL_SIGNING_SECRET: 'new', INTERNAL_SIGNING_SECRET_PREVIOUS: 'old' });
    expect(identityKeys(rotating)).toEqual(['new', 'old']);
    const fromOldGateway = signIdentity('old', viewer, 'meet', body);
    const fromNewGateway = signIdentity('new', viewer, 'meet', body);
    expect(verifyIdentity(identityKeys(rotating), fromOldGateway, 'meet', body).ok).toBe(true);
    expect(verifyIdentity(identityKeys(rotating), fromNewGateway, 'meet', body).ok).toBe(true);
    expect(verifyIdentity(identityKeys(rotating), signIdentity('stolen', viewer, 'meet', body), 'meet', body)).toEqual({ ok: false, reason: 'bad identity signature' });
    // Once the rotation is over (no previous key), the old gateway's signature is refused.
    const done = loadConfig({ INTERNAL_SIGNING_SECRET: 'new' });
    expect(verifyIdentity(identityKeys(done), fromOldGateway, 'meet', body).ok).toBe(false);
    // The body binding still holds under a previous key.
    expect(verifyIdentity(identityKeys(rotating), fromOldGateway, 'meet', '{"query":"{ users { id } }"}').ok).toBe(false);
  });
});
