/**
 * The search indexer (group `documents.search-index`): each new document
 * and each new version is indexed after its transaction committed, never
 * within the upload. One event per delivery, so that the slow part (reading
 * and extracting the file) runs before the delivery's transaction writes
 * anything and holds no transaction id back from other consumers while it
 * runs; the text is written in that transaction, with the processed mark.
 */
import type { Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { startEventConsumer, type EventConsumer, type EventContext, type EventHandlers } from '../../../platform/events/event-consumer.js';
import type { PublishedEvent } from '../../../platform/events/published-event.js';
import type { Logger } from '../../../platform/logger.js';
import type { DocumentsDatabase } from '../database.js';
import type { ContentIndexer } from '../services/content-indexer.js';

export const SEARCH_INDEX_GROUP = 'documents.search-index';

export function searchIndexHandlers(indexer: ContentIndexer) {
  const index = async (event: PublishedEvent<{ document_id: string }>, context: EventContext) => {
    await indexer.index(event.payload.document_id, context.trx as Transaction<DocumentsDatabase>);
  };
  return { 'documents.document.created': index, 'documents.document.versioned': index } satisfies EventHandlers;
}

export function startSearchIndexConsumer(deps: { config: PlatformConfig; databaseUrl: string; indexer: ContentIndexer; log: Logger }): Promise<EventConsumer> {
  const { config, databaseUrl, indexer, log } = deps;
  const search = config.documents.search;
  return startEventConsumer({
    databaseUrl,
    group: SEARCH_INDEX_GROUP,
    handlers: searchIndexHandlers(indexer),
    concurrency: search.concurrency,
    batchSize: 1,
    // The extraction's own limit records a failure first; this only bounds a stuck storage backend.
    handlerTimeoutMs: (search.timeoutSeconds + 60) * 1000,
    retention: { maxAgeMs: config.eventRetentionDays * 86_400_000 },
    log,
  });
}
