/**
 * Abandoned uploads: tickets past their expiry that never completed lose
 * their row and whatever bytes they stored. Safe on several replicas at once
 * (rows are claimed with SKIP LOCKED; deleting a missing object is a no-op).
 */
import type { Logger } from '../../../platform/logger.js';
import type { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';

const DAY_MS = 86_400_000;

export async function cleanupAbandonedUploads(
  sessions: UploadSessionRepository,
  backends: StorageBackends,
  log: Logger,
  options: { now?: Date; uploadingGraceMs?: number } = {},
): Promise<{ removed: number }> {
  const now = options.now ?? new Date();
  const abandoned = await sessions.deleteAbandoned(now, options.uploadingGraceMs ?? DAY_MS);
  for (const object of abandoned) {
    const { storage_backend, storage_key } = object;
    try {
      if (object.storage_profile || backends.has(storage_backend)) await (await backends.of(object)).delete(storage_key);
    } catch (error) {
      log.warn({ err: error, key: storage_key }, 'could not remove the bytes of an abandoned upload');
    }
  }
  await sessions.deleteCompletedBefore(new Date(now.getTime() - 7 * DAY_MS));
  return { removed: abandoned.length };
}
