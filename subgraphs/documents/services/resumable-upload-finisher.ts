/**
 * The end of a resumable upload, when its last byte is staged: the bytes go
 * to the company's backend (SHA-256 computed on the way, as for a signed
 * PUT), are checked against the declared size and checksum, and the document
 * or its new version is created by UploadService.complete, the one completion
 * both ways of uploading share. Staged bytes are removed once stored.
 */
import type { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { Logger } from '../../../platform/logger.js';
import type { DocumentModel } from '../models.js';
import type { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import type { UploadService } from './upload-service.js';

/** Where tus keeps an upload's bytes until the last one arrives (@tus/file-store). */
export interface StagedUploads {
  read(uploadId: string): Promise<Readable>;
  remove(uploadId: string): Promise<void>;
}

/** Why the last byte did not make a document; `status` is the HTTP answer to the final PATCH. */
export class FinishRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FinisherDeps {
  sessions: UploadSessionRepository;
  backends: StorageBackends;
  staging: StagedUploads;
  /** The upload service acting for the caller who opened the upload. */
  uploadsFor: (viewer: Viewer) => UploadService;
  log: Logger;
}

export class ResumableUploadFinisher {
  /** Uploads being stored by this process (a repeated final PATCH must not store twice). */
  private readonly storing = new Set<string>();

  constructor(private readonly deps: FinisherDeps) {}

  async finish(uploadId: string, viewer: Viewer): Promise<DocumentModel> {
    if (this.storing.has(uploadId)) throw new FinishRefused(409, 'This upload is being stored already');
    this.storing.add(uploadId);
    try {
      await this.store(uploadId, viewer);
    } finally {
      this.storing.delete(uploadId);
    }
    try {
      return await this.deps.uploadsFor(viewer).complete(uploadId);
    } catch (error) {
      // The bytes are stored (the session is `uploaded`): completeDocumentUpload can be tried again.
      if (error instanceof GraphQLError) throw new FinishRefused(422, `The file was received, but no document was created: ${error.message}`);
      throw error;
    }
  }

  private async store(uploadId: string, viewer: Viewer): Promise<void> {
    const { sessions, backends, staging, log } = this.deps;
    const session = await sessions.find(viewer.companyId, uploadId);
    if (!session) throw new FinishRefused(404, 'No such upload');
    if (session.status === 'uploaded' || session.status === 'completed') return; // stored by an earlier final PATCH
    if (session.status !== 'uploading') throw new FinishRefused(409, `This upload is ${session.status}`);
    const declared = Number(session.declared_size);
    const backend = await backends.of(session);
    const discard = async () => {
      await backend.delete(session.storage_key).catch((error: unknown) => log.warn({ err: error, key: session.storage_key }, 'could not remove a refused upload'));
      await staging.remove(uploadId).catch(() => {});
      await sessions.release(uploadId); // pending again: the same token may start over
    };
    let stored;
    try {
      stored = await backend.put(session.storage_key, await staging.read(uploadId), { maxBytes: declared });
    } catch (error) {
      await backend.delete(session.storage_key).catch(() => {});
      throw error; // the staged bytes stay: a final PATCH with no body tries again
    }
    if (stored.size !== declared) {
      await discard();
      throw new FinishRefused(400, `Received ${stored.size} bytes, the upload declared ${declared}: start again`);
    }
    if (session.declared_checksum && stored.sha256 !== session.declared_checksum) {
      await discard();
      // 460 is tus' "Checksum Mismatch".
      throw new FinishRefused(460, 'The received bytes do not match the declared SHA-256: start again');
    }
    await sessions.markUploaded(uploadId, stored);
    await staging.remove(uploadId).catch((error: unknown) => log.warn({ err: error, uploadId }, 'could not remove staged bytes'));
  }
}
