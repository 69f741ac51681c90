/**
 * Catch-up for the search indexer: documents whose text is still pending a
 * while after their last change (written before the indexer existed, by the
 * demo seed, or whose event became a dead letter) are indexed here, a batch
 * per run. Failures are recorded per document by the indexer; a backend that
 * cannot be reached leaves the document pending for the next run.
 */
import type { Logger } from '../../../platform/logger.js';
import type { SearchRepository } from '../repositories/search-repository.js';
import type { ContentIndexer } from '../services/content-indexer.js';

export interface CatchUpOptions {
  limit?: number;
  /** Only documents unchanged for this long (their event may still be on its way). */
  quietSeconds?: number;
  /** Checked between documents: true ends the run early (the process is stopping). */
  stopping?: () => boolean;
}

export async function indexPendingDocuments(search: SearchRepository, indexer: ContentIndexer, log: Logger, options: CatchUpOptions = {}): Promise<number> {
  const { limit = 200, quietSeconds = 60, stopping = () => false } = options;
  let indexed = 0;
  for (const documentId of await search.pending(limit, quietSeconds)) {
    if (stopping()) break;
    try {
      if (await indexer.index(documentId)) indexed += 1;
    } catch (error) {
      log.warn({ err: error, documentId }, 'could not index a document; it stays pending');
    }
  }
  return indexed;
}
