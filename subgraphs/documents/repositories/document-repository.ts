/** Documents and their versions, always within one company (except `findForTransfer`, see there). */
import { sql, type Compilable, type Selectable, type Updateable } from 'kysely';
import type { DocumentsTable, DocumentVersionsTable } from '../database.js';
import type { DocumentModel, EntityType } from '../models.js';
import { fileColumns, toDocument, VERSION_COLUMNS, versionOf, type NewDocument, type NewVersion, type VersionRow } from './document-rows.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';
import { before, micros } from '../../../platform/database/keyset.js';
import { preparedQuery } from '../../../platform/database/prepared-query.js';
import { searchHits, type SearchTerms } from './search-hits.js';

export interface DocumentFilter {
  entityType?: EntityType;
  entityId?: string;
  category?: string;
  tag?: string;
  /** Words in the name, tags or text (full-text, ranked), or a piece of the name or a tag (see searchHits). */
  search?: SearchTerms;
  includeArchived: boolean;
  /** Leave out these entity types entirely (roles that may not read them). */
  excludeEntityTypes: EntityType[];
  /** Employee documents only of this employee (null: all of them). */
  onlyEmployee?: string | null;
  limit: number;
}

/** A row of a page and the key its cursor is made of. */
export interface Keyed<T> {
  node: T;
  key: (string | number)[];
}

export interface PageWindow {
  after: (string | number)[] | null;
  limit: number;
}

/** What updateDocument and moveDocument may change. */
export type DocumentEdit = Pick<Updateable<DocumentsTable>, 'filename' | 'tags' | 'category' | 'description' | 'entity_type' | 'entity_id'>;

const withRank = (document: DocumentModel, rank: string): DocumentModel => ({ ...document, search: { rank: Number(rank) } });

/** Rows after a search cursor's [rank, micros, id]: lower rank, or the same rank and after [micros, id]. */
function belowRank(key: (string | number)[]) {
  const [rank, ...rest] = key as [string, string, string];
  if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(rank)) return sql<boolean>`false`;
  return sql<boolean>`(hits.rank < ${rank}::real OR (hits.rank = ${rank}::real AND ${before('d.created_at', 'd.id', rest)}))`;
}

interface EntitiesParams {
  companyId: string;
  entityType: EntityType;
  entityIds: readonly string[];
}

/**
 * Fields of Document answered from LEAN_DOCUMENT_COLUMNS alone: an entity's document list asking for no
 * other (the course page's `documents { id filename size uploadedBy }`) reads those columns only, 7 of 21.
 */
export const LEAN_DOCUMENT_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'filename', 'mimeType', 'size', 'uploadedBy', 'createdAt']);

/**
 * The lean columns under their model's names: the rows are the models, no copy into one of 23 fields. A live
 * document (what listForEntities reads) is its own current version: its id is the document's. The size is a
 * float8, which pg reads as the number toDocument makes of the bigint's text (sizes stay far below 2^53).
 */
const LEAN_DOCUMENT_COLUMNS = [
  'id',
  'id as documentId',
  'entity_id as entityId',
  'filename',
  'mime_type as mimeType',
  sql<number>`size::float8`.as('size'),
  'uploaded_by as uploadedBy',
  'created_at as createdAt',
] as const;

/** A document as LEAN_DOCUMENT_COLUMNS read it. */
type LeanDocumentRow = Pick<DocumentModel, 'id' | 'documentId' | 'entityId' | 'filename' | 'mimeType' | 'size' | 'uploadedBy' | 'createdAt'>;

export class DocumentRepository {
  /** Every entity's document list (Course.documents, Task.documents, ...): built once, run as a prepared statement; whole rows, and lean ones. */
  private readonly forEntities;
  private readonly leanForEntities;

  constructor(private readonly db: DocumentsDb) {
    const liveOfEntities = (p: EntitiesParams) =>
      db
        .selectFrom('documents.documents')
        .where('company_id', '=', p.companyId)
        .where('entity_type', '=', p.entityType)
        .where('entity_id', '=', sql<string>`any(${p.entityIds})`)
        .where('is_archived', '=', false)
        .where('deleted_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id');
    this.forEntities = preparedQuery(db, 'documents_for_entities', (p: EntitiesParams) => liveOfEntities(p).selectAll());
    this.leanForEntities = preparedQuery(db, 'documents_for_entities_lean', (p: EntitiesParams): Compilable<LeanDocumentRow> => liveOfEntities(p).select(LEAN_DOCUMENT_COLUMNS));
  }

  /**
   * Documents and document versions by id, in one statement: a document id
   * gives the document as it is now, a version id that version.
   */
  async findByIds(companyId: string, ids: readonly string[]): Promise<DocumentModel[]> {
    const uuids = uuidsOnly(ids);
    if (uuids.length === 0) return [];
    const rows = await this.db
      .selectFrom('documents.documents as d')
      .leftJoin('documents.document_versions as v', (join) => join.onRef('v.document_id', '=', 'd.id').on('v.id', 'in', uuids))
      .where('d.company_id', '=', companyId)
      .where((eb) => eb.or([eb('d.id', 'in', uuids), eb('v.id', 'is not', null)]))
      .selectAll('d')
      .select(VERSION_COLUMNS)
      .execute();
    const wanted = new Set(uuids);
    const found: DocumentModel[] = [];
    for (const row of rows) {
      if (wanted.has(row.id)) found.push(toDocument(row));
      if (row.v_id) {
        found.push(toDocument(row, versionOf(row as VersionRow)));
      }
    }
    return found;
  }

  /** Live (not archived, not deleted) documents of many entities of one type. `lean`: models answering LEAN_DOCUMENT_FIELDS only. */
  async listForEntities(companyId: string, entityType: EntityType, entityIds: readonly string[], lean = false): Promise<DocumentModel[]> {
    if (entityIds.length === 0) return [];
    const params = { companyId, entityType, entityIds };
    // Lean models: they answer LEAN_DOCUMENT_FIELDS only (the caller asked for no other).
    if (lean) return (await this.leanForEntities(params)) as DocumentModel[];
    const rows = await this.forEntities(params);
    return rows.map((row) => toDocument(row));
  }

  private filtered(companyId: string, filter: Omit<DocumentFilter, 'limit'>) {
    let query = this.db.selectFrom('documents.documents as d').selectAll('d').where('d.company_id', '=', companyId).where('d.deleted_at', 'is', null);
    if (!filter.includeArchived) query = query.where('d.is_archived', '=', false);
    if (filter.entityType) query = query.where('d.entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('d.entity_id', '=', filter.entityId);
    if (filter.category) query = query.where('d.category', '=', filter.category);
    // Tags compare without regard to case, as users type them.
    if (filter.tag) query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(d.tags) AS tag WHERE lower(tag) = lower(${filter.tag}))`);
    if (filter.excludeEntityTypes.length > 0) query = query.where('d.entity_type', 'not in', filter.excludeEntityTypes);
    if (filter.onlyEmployee !== undefined) {
      const employee = filter.onlyEmployee;
      query = query.where((eb) => (employee === null ? eb('d.entity_type', '<>', 'employee') : eb.or([eb('d.entity_type', '<>', 'employee'), eb('d.entity_id', '=', employee)])));
    }
    return query;
  }

  /** With a search: the documents that match, each with its rank (as text, exact: it goes into cursors). */
  private searched(companyId: string, filter: Omit<DocumentFilter, 'limit'>, search: SearchTerms) {
    return this.filtered(companyId, filter)
      .innerJoin(searchHits(companyId, search), (join) => join.onRef('hits.document_id', '=', 'd.id'))
      .select(sql<string>`hits.rank::text`.as('search_rank'));
  }

  /** Newest first; with a search, best match first (then newest first). */
  async list(companyId: string, filter: DocumentFilter): Promise<DocumentModel[]> {
    if (filter.search) {
      const rows = await this.searched(companyId, filter, filter.search)
        .orderBy(sql.ref('hits.rank'), 'desc')
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id')
        .limit(filter.limit)
        .execute();
      return rows.map((row) => withRank(toDocument(row), row.search_rank));
    }
    const rows = await this.filtered(companyId, filter).orderBy('d.created_at', 'desc').orderBy('d.id').limit(filter.limit).execute();
    return rows.map((row) => toDocument(row));
  }

  /** One page of `list`, newest first, after a cursor's [created_at micros, id]; with a search, after [rank, micros, id]. */
  async listPage(companyId: string, filter: Omit<DocumentFilter, 'limit'>, page: PageWindow): Promise<Keyed<DocumentModel>[]> {
    if (filter.search) {
      let query = this.searched(companyId, filter, filter.search).select(micros('d.created_at').as('sort_at'));
      if (page.after) query = query.where(belowRank(page.after));
      const rows = await query.orderBy(sql.ref('hits.rank'), 'desc').orderBy('d.created_at', 'desc').orderBy('d.id').limit(page.limit).execute();
      return rows.map((row) => ({ node: withRank(toDocument(row), row.search_rank), key: [row.search_rank, row.sort_at, row.id] }));
    }
    let query = this.filtered(companyId, filter).select(micros('d.created_at').as('sort_at'));
    if (page.after) query = query.where(before('d.created_at', 'd.id', page.after));
    const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id').limit(page.limit).execute();
    return rows.map((row) => ({ node: toDocument(row), key: [row.sort_at, row.id] }));
  }

  /** Documents' versions a page each, newest first, after a cursor's [version]: one query for all of them (pageLoader). */
  async versionsPages(companyId: string, documentIds: readonly string[], page: PageWindow): Promise<Keyed<DocumentModel>[]> {
    const ids = uuidsOnly(documentIds);
    if (ids.length === 0) return [];
    let query = this.db
      .selectFrom('documents.document_versions as v')
      .innerJoin('documents.documents as d', 'd.id', 'v.document_id')
      .where('d.company_id', '=', companyId)
      .where('d.id', 'in', ids)
      .selectAll('d')
      .select(VERSION_COLUMNS)
      .select(sql<string>`row_number() over (partition by v.document_id order by v.version desc)`.as('page_row'));
    if (page.after) query = query.where('v.version', '<', Number(page.after[0]));
    const rows = await this.db.selectFrom(query.as('p')).selectAll().where('p.page_row', '<=', String(page.limit)).orderBy('p.id').orderBy('p.page_row').execute();
    return rows.map((row) => ({ node: toDocument(row, versionOf(row)), key: [row.v_version] }));
  }

  /** Rename, re-tag, re-categorise, describe or relink a document (never its versions' own names). */
  async edit(trx: DocumentsTrx, companyId: string, id: string, edit: DocumentEdit): Promise<Selectable<DocumentsTable> | null> {
    const row = await trx
      .updateTable('documents.documents')
      .set({ ...edit, updated_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Every version of many documents, newest first. */
  async versionsOf(companyId: string, documentIds: readonly string[]): Promise<DocumentModel[]> {
    const uuids = uuidsOnly(documentIds);
    if (uuids.length === 0) return [];
    const rows = await this.db
      .selectFrom('documents.document_versions as v')
      .innerJoin('documents.documents as d', 'd.id', 'v.document_id')
      .where('d.company_id', '=', companyId)
      .where('d.id', 'in', uuids)
      .selectAll('d')
      .select(VERSION_COLUMNS)
      .orderBy('v.version', 'desc')
      .execute();
    return rows.map((row) => toDocument(row, versionOf(row)));
  }

  /**
   * One version of one document for a signed transfer. Not filtered by
   * company: the URL's signature, minted after the caller was authorized,
   * names the document and version. Documents in the trash are not served.
   */
  async findForTransfer(documentId: string, version: number): Promise<DocumentModel | null> {
    const [uuid] = uuidsOnly([documentId]);
    if (!uuid) return null;
    const row = await this.db
      .selectFrom('documents.documents as d')
      .innerJoin('documents.document_versions as v', 'v.document_id', 'd.id')
      .where('d.id', '=', uuid)
      .where('v.version', '=', version)
      .where('d.deleted_at', 'is', null)
      .selectAll('d')
      .select(VERSION_COLUMNS)
      .executeTakeFirst();
    if (!row) return null;
    return toDocument(row, versionOf(row));
  }

  /** The document row, locked until the transaction ends (versions are numbered under this lock). */
  async lockForUpdate(trx: DocumentsTrx, companyId: string, id: string): Promise<Selectable<DocumentsTable> | null> {
    const [uuid] = uuidsOnly([id]);
    if (!uuid) return null;
    const row = await trx.selectFrom('documents.documents').selectAll().where('company_id', '=', companyId).where('id', '=', uuid).forUpdate().executeTakeFirst();
    return row ?? null;
  }

  async findVersion(trx: DocumentsTrx, documentId: string, version: number): Promise<Selectable<DocumentVersionsTable> | null> {
    const row = await trx.selectFrom('documents.document_versions').selectAll().where('document_id', '=', documentId).where('version', '=', version).executeTakeFirst();
    return row ?? null;
  }

  /** The next version of a locked document; the document row now describes it. */
  async appendVersion(trx: DocumentsTrx, document: Selectable<DocumentsTable>, next: NewVersion): Promise<number> {
    const version = document.version + 1;
    await trx
      .insertInto('documents.document_versions')
      .values({
        id: next.versionId,
        document_id: document.id,
        company_id: document.company_id,
        version,
        ...fileColumns(next),
        restored_from: next.restoredFrom ?? null,
      })
      .execute();
    await trx
      .updateTable('documents.documents')
      .set({
        version,
        ...fileColumns(next),
        updated_at: new Date(),
      })
      .where('id', '=', document.id)
      .execute();
    return version;
  }

  /** Archive flag and trash date of one document (its current state, never a version). */
  async setState(
    trx: DocumentsTrx | DocumentsDb,
    companyId: string,
    id: string,
    state: { is_archived?: boolean; deleted_at?: Date | null },
  ): Promise<Selectable<DocumentsTable> | null> {
    const row = await trx
      .updateTable('documents.documents')
      .set({ ...state, updated_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  private trashedQuery(companyId: string, restrictions: Pick<DocumentFilter, 'excludeEntityTypes' | 'onlyEmployee'>) {
    let query = this.db.selectFrom('documents.documents as d').selectAll('d').where('d.company_id', '=', companyId).where('d.deleted_at', 'is not', null);
    if (restrictions.excludeEntityTypes.length > 0) query = query.where('d.entity_type', 'not in', restrictions.excludeEntityTypes);
    if (restrictions.onlyEmployee !== undefined) query = query.where('d.entity_type', '<>', 'employee');
    return query;
  }

  async listTrashed(companyId: string, restrictions: Pick<DocumentFilter, 'excludeEntityTypes' | 'onlyEmployee'>, limit = 500): Promise<DocumentModel[]> {
    const rows = await this.trashedQuery(companyId, restrictions).orderBy('d.deleted_at', 'desc').orderBy('d.id').limit(limit).execute();
    return rows.map((row) => toDocument(row));
  }

  /** One page of the trash, most recently deleted first, after a cursor's [deleted_at micros, id]. */
  async trashedPage(companyId: string, restrictions: Pick<DocumentFilter, 'excludeEntityTypes' | 'onlyEmployee'>, page: PageWindow): Promise<Keyed<DocumentModel>[]> {
    let query = this.trashedQuery(companyId, restrictions).select(micros('d.deleted_at').as('sort_at'));
    if (page.after) query = query.where(before('d.deleted_at', 'd.id', page.after));
    const rows = await query.orderBy('d.deleted_at', 'desc').orderBy('d.id').limit(page.limit).execute();
    return rows.map((row) => ({ node: toDocument(row), key: [row.sort_at, row.id] }));
  }

  /**
   * Purges one batch of documents that have been in the trash since before
   * `cutoff`: `removeObjects` gets each document's stored objects and must
   * succeed before its rows (versions, links) go. Replicas skip each other's rows.
   */
  async purgeTrashed(
    cutoff: Date,
    removeObjects: (
      objects: { storage_backend: string; storage_key: string; storage_profile: string | null }[],
      trx: DocumentsTrx,
      document: Selectable<DocumentsTable>,
    ) => Promise<void>,
    onError: (documentId: string, error: unknown) => void,
    limit = 50,
  ): Promise<number> {
    let purged = 0;
    const candidates = await this.db.selectFrom('documents.documents').select('id').where('deleted_at', '<', cutoff).limit(limit).execute();
    for (const { id } of candidates) {
      await this.db
        .transaction()
        .execute(async (trx) => {
          const locked = await trx.selectFrom('documents.documents').selectAll().where('id', '=', id).where('deleted_at', '<', cutoff).forUpdate().skipLocked().executeTakeFirst();
          if (!locked) return;
          const objects = await trx
            .selectFrom('documents.document_versions')
            .select(['storage_backend', 'storage_key', 'storage_profile'])
            .distinct()
            .where('document_id', '=', id)
            .execute();
          await removeObjects(objects, trx, locked);
          await trx.deleteFrom('documents.documents').where('id', '=', id).execute();
          purged += 1;
        })
        .catch((error: unknown) => onError(id, error));
    }
    return purged;
  }

  /** A new document and its first version, inside the caller's transaction. */
  async insert(trx: DocumentsTrx, document: NewDocument): Promise<void> {
    await trx
      .insertInto('documents.documents')
      .values({
        id: document.id,
        company_id: document.companyId,
        ...fileColumns(document),
        category: document.category,
        tags: document.tags,
        version: 1,
        entity_type: document.entityType,
        entity_id: document.entityId,
        is_archived: document.isArchived ?? false,
      })
      .execute();
    await trx
      .insertInto('documents.document_versions')
      .values({
        id: document.versionId,
        document_id: document.id,
        company_id: document.companyId,
        version: 1,
        ...fileColumns(document),
      })
      .execute();
  }
}
