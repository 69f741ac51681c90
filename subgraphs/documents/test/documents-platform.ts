/**
 * The documents subgraph with academy and erp beside it (course roles come
 * from academy; erp confirms that attached records exist), called directly with gateway-signed identities. Signed URLs name
 * the public origin; `onService` points them at the documents service itself,
 * which is what the gateway's /files/ forwarding does.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { DocumentsDatabase } from '../database.js';

export interface DocumentsPlatform {
  platform: TestPlatform;
  /** The platform's `db` (test-platform.ts), with the documents tables' types. */
  db: Kysely<DocumentsDatabase>;
  call: <T = any>(who: string | Viewer | null, query: string, variables?: Record<string, unknown>) => Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  /** The same path and query on the documents service. */
  onService: (publicUrl: string) => string;
  stop: () => Promise<void>;
}

export async function startDocumentsPlatform(env: Record<string, string> = {}): Promise<DocumentsPlatform> {
  const platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'documents'], gateway: false, env });
  const service = new URL(platform.subgraphs.documents!.url).origin;
  return {
    platform,
    db: platform.db,
    call: (who, query, variables) =>
      callSubgraph({
        url: platform.subgraphs.documents!.url,
        audience: 'documents',
        secret: platform.config.internalSigningSecret,
        viewer: who === null ? undefined : typeof who === 'string' ? demoViewer(who) : who,
        query,
        variables,
      }),
    onService: (publicUrl) => {
      const url = new URL(publicUrl);
      return `${service}${url.pathname}${url.search}`;
    },
    stop: () => platform.stop(),
  };
}

export const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
