/**
 * PUT /files/uploads/<uploadId>?expires=&sig= : the bytes of a requested
 * upload, streamed to the storage backend with the checksum computed on the
 * way and the declared size enforced as they arrive. One PUT at a time per
 * upload; a failed PUT leaves nothing stored and may be retried. Bytes
 * received so far are recorded about twice a second (the `documentUpload`
 * query reads them) and logged every 128 MiB.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import type { Logger } from '../../../platform/logger.js';
import { sendJson } from '../../../platform/http/respond.js';
import { endAfterUnreadBody } from '../../../platform/http/unread-body.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import type { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { UPLOAD_PREFIX } from '../services/upload-service.js';
import { ObjectTooLargeError, StorageUnavailableError } from '../storage/storage-backend.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import { uploadProgress } from './upload-progress.js';
import type { UrlSigner } from './url-signer.js';

/** Answers before the whole body was read: the connection closes once it came in (see unread-body.ts). */
function refuse(request: IncomingMessage, response: ServerResponse, status: number, error: string): void {
  endAfterUnreadBody(request, response);
  sendJson(response, status, { error }, { connection: 'close' });
}

export function uploadRoute(signer: UrlSigner, sessions: UploadSessionRepository, backends: StorageBackends, log: Logger): HttpRoute {
  return {
    method: 'PUT',
    path: UPLOAD_PREFIX,
    handle: async (request, response) => {
      const check = signer.verify(request.url ?? '');
      if (!check.ok) return refuse(request, response, 403, check.reason);
      const uploadId = check.path.slice(UPLOAD_PREFIX.length);
      const session = await sessions.claimForTransfer(uploadId);
      if (!session) {
        const current = await sessions.statusOf(uploadId);
        if (!current) return refuse(request, response, 404, 'No such upload');
        if (current.status === 'pending') return refuse(request, response, 410, 'The upload ticket has expired');
        return refuse(request, response, 409, `This upload is already ${current.status}`);
      }
      const declared = Number(session.declared_size);
      const announced = Number(request.headers['content-length']);
      if (request.headers['content-length'] !== undefined && announced !== declared) {
        await sessions.release(session.id);
        return refuse(request, response, announced > declared ? 413 : 400, `Content-Length is ${announced}, the upload declared ${declared} bytes`);
      }
      let backend;
      try {
        backend = await backends.of(session);
      } catch (error) {
        // The company's own server could not be set up (its profile unreadable): nothing was written, the ticket stays usable.
        await sessions.release(session.id);
        log.error({ err: error, uploadId: session.id }, 'no storage backend for an upload');
        return refuse(request, response, 503, 'The storage backend of this upload is unavailable');
      }
      const progress = uploadProgress({
        report: (bytes) => sessions.reportProgress(session.id, bytes),
        log: (bytes) => log.info({ uploadId: session.id, receivedBytes: bytes, declaredBytes: declared }, 'upload in progress'),
      });
      // A client that goes away fails the backend's pipeline through the counter. Not the other way round
      // (as pipeline() would): a failing backend must leave the request alive, to be drained and answered.
      request.pipe(progress);
      finished(request, (error) => error && progress.destroy(error));
      try {
        const stored = await backend.put(session.storage_key, progress, { maxBytes: declared });
        await progress.settled();
        if (stored.size !== declared) throw new SizeMismatch(stored.size, declared);
        if (session.declared_checksum && stored.sha256 !== session.declared_checksum) throw new ChecksumMismatch();
        await sessions.markUploaded(session.id, stored);
        sendJson(response, 200, { uploadId: session.id, size: stored.size, checksum: stored.sha256 });
      } catch (error) {
        await progress.settled();
        await backend.delete(session.storage_key).catch((cleanup: unknown) => log.warn({ err: cleanup, key: session.storage_key }, 'could not remove a failed upload'));
        await sessions.release(session.id);
        if (error instanceof ObjectTooLargeError) return refuse(request, response, 413, `The upload declared ${declared} bytes and sent more`);
        if (error instanceof SizeMismatch || error instanceof ChecksumMismatch) return refuse(request, response, 400, error.message);
        if (error instanceof StorageUnavailableError) return refuse(request, response, 503, `${error.message}; the upload may be retried`);
        if (request.destroyed || request.readableAborted) return; // the client went away
        log.error({ err: error, uploadId: session.id }, 'upload failed');
        return refuse(request, response, 503, `Storing the file failed (${(error as Error).message}); the upload may be retried`);
      }
    },
  };
}

class SizeMismatch extends Error {
  constructor(received: number, declared: number) {
    super(`Received ${received} bytes, the upload declared ${declared}`);
  }
}

class ChecksumMismatch extends Error {
  constructor() {
    super('The received bytes do not match the declared checksum');
  }
}
