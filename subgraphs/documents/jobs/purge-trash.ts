/**
 * Documents in the trash for longer than the retention period are deleted
 * for good: their stored objects first (every version's), then their rows.
 * A backend that fails keeps that document in the trash for the next run.
 * Each purge is announced (documents.document.deleted, purged) in its transaction.
 */
import type { Logger } from '../../../platform/logger.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import { publishDocumentEvent } from '../services/document-events.js';
import type { StorageBackends } from '../storage/storage-backends.js';

export async function purgeTrash(documents: DocumentRepository, backends: StorageBackends, retentionDays: number, log: Logger, now = new Date()): Promise<{ purged: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let purged = 0;
  for (;;) {
    const batch = await documents.purgeTrashed(
      cutoff,
      async (objects, trx, document) => {
        // Announced first: if removing an object fails, the transaction (and the event) rolls back.
        await publishDocumentEvent(trx, 'documents.document.deleted', document, null, { purged: true });
        for (const object of objects) await (await backends.of(object)).delete(object.storage_key);
      },
      (documentId, error) => log.warn({ err: error, documentId }, 'could not purge a document; it stays in the trash'),
    );
    purged += batch;
    if (batch === 0) return { purged };
  }
}
