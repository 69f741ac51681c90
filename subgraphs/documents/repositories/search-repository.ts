/**
 * The search index beside documents (documents.document_search, kept in step
 * with names and tags by triggers) and companies' search languages. Text
 * goes in through `storeContent`; queries run in DocumentRepository.
 */
import { sql } from 'kysely';
import type { ContentIndexStatus } from '../database.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';

/** Companies without a setting search in 'simple': words as written, in any language, no stemming. */
export const DEFAULT_SEARCH_LANGUAGE = 'simple';

/** What the indexer needs to read a document's current version. */
export interface IndexTarget {
  documentId: string;
  companyId: string;
  version: number;
  mimeType: string | null;
  size: number;
  storageBackend: string;
  storageKey: string;
  storageProfile: string | null;
  status: ContentIndexStatus;
  contentVersion: number | null;
}

export interface ContentOutcome {
  status: Exclude<ContentIndexStatus, 'pending'>;
  text: string | null;
  error: string | null;
}

export interface ContentIndexState {
  documentId: string;
  status: ContentIndexStatus;
  version: number | null;
  error: string | null;
  indexedAt: Date | null;
}

/** ts_headline marks matches with these: cleanText removes them from the text itself. */
export const SNIPPET_START = '\u0002';
export const SNIPPET_STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${SNIPPET_START}, StopSel=${SNIPPET_STOP}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export class SearchRepository {
  constructor(private readonly db: DocumentsDb) {}

  async indexTarget(documentId: string, trx: DocumentsDb | DocumentsTrx = this.db): Promise<IndexTarget | null> {
    const [uuid] = uuidsOnly([documentId]);
    if (!uuid) return null;
    const row = await trx
      .selectFrom('documents.documents as d')
      .innerJoin('documents.document_search as s', 's.document_id', 'd.id')
      .where('d.id', '=', uuid)
      .select(['d.id', 'd.company_id', 'd.version', 'd.mime_type', 'd.size', 'd.storage_backend', 'd.storage_key', 'd.storage_profile', 's.status', 's.content_version'])
      .executeTakeFirst();
    if (!row) return null;
    return {
      documentId: row.id,
      companyId: row.company_id,
      version: row.version,
      mimeType: row.mime_type,
      size: Number(row.size),
      storageBackend: row.storage_backend,
      storageKey: row.storage_key,
      storageProfile: row.storage_profile,
      status: row.status,
      contentVersion: row.content_version,
    };
  }

  /**
   * The text (or why there is none) of `version`, if it is still the
   * document's current one: a newer version's own event follows. The
   * document row is locked meanwhile, so that a rename cannot slip between
   * reading its name and writing the vector.
   */
  async storeContent(trx: DocumentsTrx, documentId: string, version: number, outcome: ContentOutcome): Promise<boolean> {
    const current = await trx.selectFrom('documents.documents').select('version').where('id', '=', documentId).forShare().executeTakeFirst();
    if (!current || current.version !== version) return false;
    await sql`UPDATE documents.document_search AS s
      SET content = ${outcome.text}, content_version = ${version}, status = ${outcome.status}, error = ${outcome.error}, indexed_at = now(),
          search_vector = documents.search_vector(s.language, d.filename, d.tags, ${outcome.text})
      FROM documents.documents AS d
      WHERE d.id = s.document_id AND s.document_id = ${documentId}`.execute(trx);
    return true;
  }

  /** Documents whose text is not indexed for their current version, untouched for a while (their event was missed or gave up). */
  async pending(limit: number, quietSeconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('documents.document_search as s')
      .innerJoin('documents.documents as d', 'd.id', 's.document_id')
      .select('s.document_id')
      .where('s.status', '=', 'pending')
      .where('d.updated_at', '<', sql<Date>`now() - make_interval(secs => ${quietSeconds})`)
      .limit(limit)
      .execute();
    return rows.map((row) => row.document_id);
  }

  async states(companyId: string, documentIds: readonly string[]): Promise<ContentIndexState[]> {
    const uuids = uuidsOnly(documentIds);
    if (uuids.length === 0) return [];
    const rows = await this.db
      .selectFrom('documents.document_search')
      .select(['document_id', 'status', 'content_version', 'error', 'indexed_at'])
      .where('company_id', '=', companyId)
      .where('document_id', 'in', uuids)
      .execute();
    return rows.map((row) => ({ documentId: row.document_id, status: row.status, version: row.content_version, error: row.error, indexedAt: row.indexed_at }));
  }

  /** Highlighted passages of these documents' text around the query's words, marked with SNIPPET_START/STOP. */
  async headlines(companyId: string, documentIds: readonly string[], language: string, search: string): Promise<Map<string, string>> {
    const uuids = uuidsOnly(documentIds);
    if (uuids.length === 0) return new Map();
    const { rows } = await sql<{ document_id: string; headline: string }>`
      SELECT s.document_id, ts_headline(${language}::regconfig, s.content, websearch_to_tsquery(${language}::regconfig, ${search}), ${HEADLINE_OPTIONS}) AS headline
      FROM documents.document_search AS s
      WHERE s.company_id = ${companyId} AND s.document_id = ANY(${uuids}::uuid[]) AND s.content <> ''`.execute(this.db);
    return new Map(rows.map((row) => [row.document_id, row.headline]));
  }

  async companyLanguage(companyId: string): Promise<{ language: string; updatedAt: Date | null } | null> {
    const row = await this.db.selectFrom('documents.company_search').select(['language', 'updated_at']).where('company_id', '=', companyId).executeTakeFirst();
    return row ? { language: row.language, updatedAt: row.updated_at } : null;
  }

  /** PostgreSQL's text search configurations (simple, english, german, ...). */
  async languages(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`SELECT cfgname AS name FROM pg_catalog.pg_ts_config ORDER BY cfgname`.execute(this.db);
    return rows.map((row) => row.name);
  }

  /** The company's language, and every one of its documents' vectors rebuilt in it from the text already extracted. */
  async setCompanyLanguage(trx: DocumentsTrx, companyId: string, language: string, actorId: string): Promise<number> {
    await trx
      .insertInto('documents.company_search')
      .values({ company_id: companyId, language, updated_by: actorId })
      .onConflict((conflict) => conflict.column('company_id').doUpdateSet({ language, updated_by: actorId, updated_at: new Date() }))
      .execute();
    const result = await sql`UPDATE documents.document_search AS s
      SET language = ${language}::regconfig, search_vector = documents.search_vector(${language}::regconfig, d.filename, d.tags, s.content)
      FROM documents.documents AS d
      WHERE d.id = s.document_id AND s.company_id = ${companyId}`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  }
}
