/**
 * The documents subgraph with academy and erp beside it (course roles come
 * from academy; erp confirms that attached records exist), called directly with gateway-signed identities. Signed URLs name
 * the public origin; `onService` points them at the documents service itself,
 * which is what the gateway's /files/ forwarding does. The steps of an upload
 * through a signed URL (ticket, PUT, completion) are here once, whole
 * (`uploadAs`) and one by one for tests that act between them.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { DocumentsDatabase } from '../database.js';

type Who = string | Viewer | null;
type Answer<T = any> = { status: number; body: { data?: T; errors?: any[] } };
/** A ticket's input: a new version of `documentId` when it is given, else a new document on a record. */
export type UploadInput = Record<string, unknown>;
export interface UploadTicket {
  uploadId: string;
  uploadUrl: string;
  [field: string]: any;
}

export interface DocumentsPlatform {
  platform: TestPlatform;
  /** The platform's `db` (test-platform.ts), with the documents tables' types. */
  db: Kysely<DocumentsDatabase>;
  call: <T = any>(who: Who, query: string, variables?: Record<string, unknown>) => Promise<Answer<T>>;
  /** The same path and query on the documents service. */
  onService: (publicUrl: string) => string;
  /** Asks for a ticket (requestDocumentUpload, or requestDocumentVersionUpload given `documentId`): the whole answer. */
  requestUpload: (who: Who, input: UploadInput, fields?: string) => Promise<Answer>;
  /** The same, expecting a ticket. */
  ticketAs: (who: Who, input: UploadInput, fields?: string) => Promise<UploadTicket>;
  /** PUTs the bytes to a ticket's signed URL, on the service. */
  putBytes: (uploadUrl: string, bytes: string | Uint8Array | Readable, headers?: Record<string, string>) => Promise<Response>;
  /** Completes an upload: the whole answer, with these fields of the document. */
  completeAs: (who: Who, uploadId: string, fields?: string) => Promise<Answer>;
  /** Ticket, PUT (`input.size` defaults to the bytes' length) and completion, each expected to succeed: the document's fields. */
  uploadAs: (who: Who, input: UploadInput, bytes: string | Uint8Array, fields?: string) => Promise<any>;
  /** How many rows a documents table holds (to check that a refusal wrote nothing). */
  rowCount: (table: 'documents.documents' | 'documents.share_links') => Promise<number>;
  stop: () => Promise<void>;
}

export async function startDocumentsPlatform(env: Record<string, string> = {}): Promise<DocumentsPlatform> {
  const platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'documents'], gateway: false, env });
  const service = new URL(platform.subgraphs.documents!.url).origin;
  const docs: DocumentsPlatform = {
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
    requestUpload: (who, input, fields = 'uploadId uploadUrl') => {
      const [mutation, type] =
        'documentId' in input ? ['requestDocumentVersionUpload', 'RequestDocumentVersionUploadInput'] : ['requestDocumentUpload', 'RequestDocumentUploadInput'];
      return docs.call(who, `mutation($input: ${type}!) { ${mutation}(input: $input) { ${fields} } }`, { input });
    },
    ticketAs: async (who, input, fields) => {
      const { body } = await docs.requestUpload(who, input, fields);
      expect(body.errors).toBeUndefined();
      return body.data['documentId' in input ? 'requestDocumentVersionUpload' : 'requestDocumentUpload'];
    },
    putBytes: (uploadUrl, bytes, headers = {}) =>
      bytes instanceof Readable
        ? fetch(docs.onService(uploadUrl), { method: 'PUT', body: Readable.toWeb(bytes) as ReadableStream, headers, duplex: 'half' } as RequestInit)
        : fetch(docs.onService(uploadUrl), { method: 'PUT', body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes), headers }),
    completeAs: (who, uploadId, fields = 'id') => docs.call(who, `mutation($id: ID!) { completeDocumentUpload(uploadId: $id) { ${fields} } }`, { id: uploadId }),
    uploadAs: async (who, input, bytes, fields) => {
      const { uploadId, uploadUrl } = await docs.ticketAs(who, { ...input, size: input.size ?? Buffer.byteLength(bytes) });
      expect((await docs.putBytes(uploadUrl, bytes)).status).toBe(200);
      const { body } = await docs.completeAs(who, uploadId, fields);
      expect(body.errors).toBeUndefined();
      return body.data.completeDocumentUpload;
    },
    rowCount: async (table) =>
      Number(
        (
          await platform.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    stop: () => platform.stop(),
  };
  return docs;
}

export const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
