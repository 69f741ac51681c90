/** GET /files/download/<documentId>?v=<version>&expires=&sig= : a signed download of one version. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../../platform/http/respond.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import { serveObject } from './serve-object.js';
import type { UrlSigner } from './url-signer.js';

export const DOWNLOAD_PREFIX = '/files/download/';

export function downloadRoute(signer: UrlSigner, documents: DocumentRepository, backends: StorageBackends): HttpRoute {
  return {
    method: 'GET',
    path: DOWNLOAD_PREFIX,
    handle: async (request: IncomingMessage, response: ServerResponse) => {
      const check = signer.verify(request.url ?? '');
      if (!check.ok) return sendJson(response, 403, { error: check.reason });
      const documentId = check.path.slice(DOWNLOAD_PREFIX.length);
      const version = Number(check.params.get('v'));
      const document = Number.isInteger(version) ? await documents.findForTransfer(documentId, version) : null;
      if (!document) return sendJson(response, 404, { error: 'No such document' });
      const backend = await backends.of({ storage_backend: document.storageBackend, storage_profile: document.storageProfile });
      await serveObject(request, response, backend, document);
    },
  };
}
