/**
 * Puts a document's text into the search index: reads its current version
 * from storage (unless too large or of a type without text), extracts the
 * text within a time limit, and stores it with what happened. A file that
 * cannot be read as its type is recorded as failed, with the reason, and is
 * not retried; a storage backend that cannot be reached throws, so that the
 * event is delivered again later.
 */
import type { Readable } from 'node:stream';
import type { DocumentSearchConfig } from '../../../platform/config.js';
import type { Logger } from '../../../platform/logger.js';
import type { ContentIndexStatus } from '../database.js';
import { extractText, hasExtractor } from '../extraction/extract-text.js';
import type { DocumentsDb, DocumentsTrx } from '../repositories/documents-db.js';
import type { ContentOutcome, IndexTarget, SearchRepository } from '../repositories/search-repository.js';
import { StorageUnavailableError } from '../storage/storage-backend.js';
import type { StorageBackends } from '../storage/storage-backends.js';

/** Archives (DOCX, ODT) may unpack to this many times the text kept, at least 16 MiB. */
const UNPACK_FACTOR = 64;

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      stream.destroy();
      throw new Error(`The stored object is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
}

export class ContentIndexer {
  constructor(private readonly deps: { db: DocumentsDb; search: SearchRepository; backends: StorageBackends; config: DocumentSearchConfig; log: Logger }) {}

  /**
   * Indexes the document's current version, in `trx` when given (an event's
   * delivery) or in a transaction of its own. Nothing happens for a
   * document that is gone or already indexed at its version.
   */
  async index(documentId: string, trx?: DocumentsTrx): Promise<ContentIndexStatus | null> {
    const target = await this.deps.search.indexTarget(documentId, trx);
    if (!target) return null;
    if (target.status !== 'pending' && target.contentVersion === target.version) return target.status;
    const outcome = await this.outcome(target);
    const store = (into: DocumentsTrx) => this.deps.search.storeContent(into, target.documentId, target.version, outcome);
    const stored = trx ? await store(trx) : await this.deps.db.transaction().execute(store);
    if (outcome.status === 'failed') this.deps.log.warn({ documentId, version: target.version, error: outcome.error }, 'could not extract the text of a document');
    return stored ? outcome.status : null;
  }

  private async outcome(target: IndexTarget): Promise<ContentOutcome> {
    const { config } = this.deps;
    if (!hasExtractor(target.mimeType)) return { status: 'unsupported', text: null, error: null };
    if (target.size > config.maxFileBytes) return { status: 'too_large', text: null, error: `Larger than ${config.maxFileBytes} bytes` };
    const bytes = await this.read(target);
    try {
      const limits = {
        maxChars: config.maxTextChars,
        deadline: Date.now() + config.timeoutSeconds * 1000,
        maxUnpackedBytes: Math.max(16 * 1024 ** 2, config.maxTextChars * UNPACK_FACTOR),
      };
      const extracted = await extractText(bytes, target.mimeType, limits);
      if (!extracted.supported) return { status: 'unsupported', text: null, error: null };
      return extracted.text ? { status: 'indexed', text: extracted.text, error: null } : { status: 'empty', text: '', error: null };
    } catch (error) {
      return { status: 'failed', text: null, error: ((error as Error)?.message ?? String(error)).slice(0, 500) };
    }
  }

  /** The stored bytes; an unreachable backend throws (retried later), as does a missing object. */
  private async read(target: IndexTarget): Promise<Buffer> {
    try {
      const backend = await this.deps.backends.of({ storage_backend: target.storageBackend, storage_profile: target.storageProfile });
      return await readAll(await backend.get(target.storageKey), this.deps.config.maxFileBytes);
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      throw new Error(`Could not read document ${target.documentId} version ${target.version} from storage: ${(error as Error)?.message ?? error}`, { cause: error });
    }
  }
}
