/**
 * Where recordings' files are and how users reach them, per storage: `s3`
 * (egress uploads to the bucket; a presigned S3 GET plays it) or `local`
 * (egress writes into MEET_RECORDINGS_DIR; meet's signed download route
 * serves it). New recordings go to the configured storage; each row keeps
 * its own, so switching storage leaves older recordings playable.
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { MeetConfig } from '../../../platform/config.js';
import { unavailable } from '../../../platform/errors.js';
import type { RecordingModel } from '../models.js';
import { RecordingBucket } from './recording-bucket.js';
import type { RecordingLinkScope, RecordingUrlSigner } from './recording-url.js';

export type RecordingStorage = MeetConfig['recordingsStorage'];

export interface PlayableUrl {
  url: string;
  expiresAt: Date;
}

export class RecordingFiles {
  readonly storage: RecordingStorage;
  private readonly bucket?: RecordingBucket;
  private readonly root: string;

  constructor(
    private readonly settings: MeetConfig,
    private readonly signer: RecordingUrlSigner,
  ) {
    this.storage = settings.recordingsStorage;
    this.bucket = settings.s3 ? new RecordingBucket(settings.s3) : undefined;
    this.root = path.resolve(settings.recordingsDir);
  }

  /** The S3 upload for egress, when recordings go to S3. */
  egressUpload() {
    return this.storage === 's3' ? this.bucket!.egressUpload() : undefined;
  }

  async playableUrl(recording: RecordingModel, scope: RecordingLinkScope = 'published', now = Date.now()): Promise<PlayableUrl | null> {
    if (recording.status !== 'READY' || !recording.fileKey) return null;
    if (recording.storage !== 's3') return this.signer.sign(recording.id, now, scope);
    const ttl = this.settings.recordingUrlTtlSeconds;
    const url = await this.requireBucket().presignedGet(recording.fileKey, ttl, path.posix.basename(recording.fileKey));
    return { url, expiresAt: new Date(Math.floor(now / 1000) * 1000 + ttl * 1000) };
  }

  /** The file's path under the recordings directory; null for a key that would lead outside it. */
  localPath(fileKey: string): string | null {
    const file = path.resolve(this.root, fileKey);
    return file.startsWith(this.root + path.sep) ? file : null;
  }

  /** Deletes the recording's file; an already missing file is no error. */
  async remove(recording: RecordingModel): Promise<void> {
    if (!recording.fileKey) return;
    try {
      if (recording.storage === 's3') return await this.requireBucket().remove(recording.fileKey);
      const file = this.localPath(recording.fileKey);
      if (file)
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
    } catch (error) {
      throw unavailable(`The recording's file could not be deleted: ${(error as Error).message}`, { serviceName: recording.storage === 's3' ? 's3' : 'storage' });
    }
  }

  private requireBucket(): RecordingBucket {
    if (!this.bucket) throw unavailable('Recording is stored in S3, but MEET_S3_BUCKET is not configured', { serviceName: 's3' });
    return this.bucket;
  }
}
