/**
 * Abandoned uploads: tickets past their expiry that never completed lose
 * their row and whatever bytes they stored, resumable ones their staged
 * bytes too; staged uploads past the tus expiration go as well, whatever
 * became of their session. Safe on several replicas at once (rows are
 * claimed with SKIP LOCKED; deleting a missing object is a no-op).
 */
import type { Logger } from '../../../platform/logger.js';
import type { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';

const DAY_MS = 86_400_000;

/** The staging of resumable uploads (@tus/file-store). */
export interface UploadStaging {
  remove(uploadId: string): Promise<void>;
  /** Removes unfinished uploads past their expiration; answers how many. */
  deleteExpired(): Promise<number>;
}

export async function cleanupAbandonedUploads(
  sessions: UploadSessionRepository,
  backends: StorageBackends,
  log: Logger,
  options: { now?: Date; uploadingGraceMs?: number; staging?: UploadStaging } = {},
): Promise<{ removed: number; expiredStaged: number }> {
  const now = options.now ?? new Date();
  const abandoned = await sessions.deleteAbandoned(now, options.uploadingGraceMs ?? DAY_MS);
  for (const object of abandoned) {
    const { storage_backend, storage_key } = object;
    try {
      if (object.storage_profile || backends.has(storage_backend)) await (await backends.of(object)).delete(storage_key);
    } catch (error) {
      log.warn({ err: error, key: storage_key }, 'could not remove the bytes of an abandoned upload');
    }
    // Most were never resumable: nothing staged.
    await options.staging?.remove(object.id).catch(() => {});
  }
  await sessions.deleteCompletedBefore(new Date(now.getTime() - 7 * DAY_MS));
  const expiredStaged = (await options.staging?.deleteExpired()) ?? 0;
  if (expiredStaged > 0) log.info({ removed: expiredStaged }, 'expired resumable uploads removed');
  return { removed: abandoned.length, expiredStaged };
}
