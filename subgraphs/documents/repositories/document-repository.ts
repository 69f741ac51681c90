/** Documents and their versions, always within one company (except `findForTransfer`, see there). */
import { sql, type Selectable } from 'kysely';
import type { StorageBackendName } from '../../../platform/config.js';
import type { DocumentsTable, DocumentVersionsTable } from '../database.js';
import type { DocumentModel, EntityType } from '../models.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';

type VersionColumns = Pick<
  Selectable<DocumentVersionsTable>,
  'id' | 'version' | 'filename' | 'original_filename' | 'mime_type' | 'size' | 'checksum' | 'storage_backend' | 'storage_key' | 'storage_profile' | 'uploaded_by' | 'created_at'
>;

export function toDocument(row: Selectable<DocumentsTable>, version?: VersionColumns): DocumentModel {
  const source = version ?? row;
  return {
    id: version?.id ?? row.id,
    documentId: row.id,
    companyId: row.company_id,
    isVersion: !!version,
    filename: source.filename,
    originalFilename: source.original_filename,
    mimeType: source.mime_type,
    size: Number(source.size),
    checksum: source.checksum,
    category: row.category,
    tags: row.tags,
    version: source.version,
    entityType: row.entity_type as EntityType,
    entityId: row.entity_id,
    isArchived: row.is_archived,
    deletedAt: row.deleted_at,
    storageBackend: source.storage_backend as StorageBackendName,
    storageKey: source.storage_key,
    storageProfile: source.storage_profile,
    uploadedBy: source.uploaded_by,
    createdAt: source.created_at,
    updatedAt: row.updated_at,
  };
}

/** A version's columns, prefixed `v_` beside the document's own in joined rows. */
const VERSION_COLUMNS = [
  'v.id as v_id', 'v.version as v_version', 'v.filename as v_filename', 'v.original_filename as v_original_filename',
  'v.mime_type as v_mime_type', 'v.size as v_size', 'v.checksum as v_checksum', 'v.storage_backend as v_storage_backend',
  'v.storage_key as v_storage_key', 'v.storage_profile as v_storage_profile', 'v.uploaded_by as v_uploaded_by', 'v.created_at as v_created_at',
] as const;

type VersionRow = { [K in keyof VersionColumns as `v_${K & string}`]: VersionColumns[K] };

function versionOf(row: VersionRow): VersionColumns {
  return {
    id: row.v_id, version: row.v_version, filename: row.v_filename, original_filename: row.v_original_filename,
    mime_type: row.v_mime_type, size: row.v_size, checksum: row.v_checksum, storage_backend: row.v_storage_backend,
    storage_key: row.v_storage_key, storage_profile: row.v_storage_profile, uploaded_by: row.v_uploaded_by, created_at: row.v_created_at,
  };
}

export interface DocumentFilter {
  entityType?: EntityType;
  entityId?: string;
  category?: string;
  tag?: string;
  search?: string;
  includeArchived: boolean;
  /** Leave out these entity types entirely (roles that may not read them). */
  excludeEntityTypes: EntityType[];
  /** Employee documents only of this employee (null: all of them). */
  onlyEmployee?: string | null;
  limit: number;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export class DocumentRepository {
  constructor(private readonly db: DocumentsDb) {}

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

  /** Live (not archived, not deleted) documents of many entities of one type. */
  async listForEntities(companyId: string, entityType: EntityType, entityIds: readonly string[]): Promise<DocumentModel[]> {
    if (entityIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('documents.documents')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', [...entityIds])
      .where('is_archived', '=', false)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((row) => toDocument(row));
  }

  async list(companyId: string, filter: DocumentFilter): Promise<DocumentModel[]> {
    let query = this.db
      .selectFrom('documents.documents as d')
      .selectAll('d')
      .where('d.company_id', '=', companyId)
      .where('d.deleted_at', 'is', null);
    if (!filter.includeArchived) query = query.where('d.is_archived', '=', false);
    if (filter.entityType) query = query.where('d.entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('d.entity_id', '=', filter.entityId);
    if (filter.category) query = query.where('d.category', '=', filter.category);
    if (filter.tag) query = query.where(sql<boolean>`${filter.tag} = ANY(d.tags)`);
    if (filter.excludeEntityTypes.length > 0) query = query.where('d.entity_type', 'not in', filter.excludeEntityTypes);
    if (filter.onlyEmployee !== undefined) {
      const employee = filter.onlyEmployee;
      query = query.where((eb) =>
        employee === null
          ? eb('d.entity_type', '<>', 'employee')
          : eb.or([eb('d.entity_type', '<>', 'employee'), eb('d.entity_id', '=', employee)]),
      );
    }
    if (filter.search) {
      const pattern = likePattern(filter.search);
      query = query.where((eb) =>
        eb.or([eb('d.filename', 'ilike', pattern), sql<boolean>`EXISTS (SELECT 1 FROM unnest(d.tags) AS tag WHERE tag ILIKE ${pattern})`]),
      );
    }
    const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id').limit(filter.limit).execute();
    return rows.map((row) => toDocument(row));
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
    const row = await trx
      .selectFrom('documents.documents')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', uuid)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  async findVersion(trx: DocumentsTrx, documentId: string, version: number): Promise<Selectable<DocumentVersionsTable> | null> {
    const row = await trx
      .selectFrom('documents.document_versions')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ?? null;
  }

  /** The next version of a locked document; the document row now describes it. */
  async appendVersion(trx: DocumentsTrx, document: Selectable<DocumentsTable>, next: NewVersion): Promise<number> {
    const version = document.version + 1;
    await trx
      .insertInto('documents.document_versions')
      .values({
        id: next.versionId, document_id: document.id, company_id: document.company_id, version, filename: next.filename,
        original_filename: next.originalFilename, mime_type: next.mimeType, size: next.size, checksum: next.checksum,
        storage_backend: next.storageBackend, storage_key: next.storageKey, storage_profile: next.storageProfile, uploaded_by: next.uploadedBy,
        restored_from: next.restoredFrom ?? null,
      })
      .execute();
    await trx
      .updateTable('documents.documents')
      .set({
        version, filename: next.filename, original_filename: next.originalFilename, mime_type: next.mimeType, size: next.size,
        checksum: next.checksum, storage_backend: next.storageBackend, storage_key: next.storageKey, storage_profile: next.storageProfile,
        uploaded_by: next.uploadedBy,
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

  async listTrashed(companyId: string, restrictions: Pick<DocumentFilter, 'excludeEntityTypes' | 'onlyEmployee'>, limit = 500): Promise<DocumentModel[]> {
    let query = this.db
      .selectFrom('documents.documents as d')
      .selectAll('d')
      .where('d.company_id', '=', companyId)
      .where('d.deleted_at', 'is not', null);
    if (restrictions.excludeEntityTypes.length > 0) query = query.where('d.entity_type', 'not in', restrictions.excludeEntityTypes);
    if (restrictions.onlyEmployee !== undefined) query = query.where('d.entity_type', '<>', 'employee');
    const rows = await query.orderBy('d.deleted_at', 'desc').limit(limit).execute();
    return rows.map((row) => toDocument(row));
  }

  /**
   * Purges one batch of documents that have been in the trash since before
   * `cutoff`: `removeObjects` gets each document's stored objects and must
   * succeed before its rows (versions, links) go. Replicas skip each other's rows.
   */
  async purgeTrashed(
    cutoff: Date,
    removeObjects: (objects: { storage_backend: string; storage_key: string; storage_profile: string | null }[], trx: DocumentsTrx, document: Selectable<DocumentsTable>) => Promise<void>,
    onError: (documentId: string, error: unknown) => void,
    limit = 50,
  ): Promise<number> {
    let purged = 0;
    const candidates = await this.db
      .selectFrom('documents.documents')
      .select('id')
      .where('deleted_at', '<', cutoff)
      .limit(limit)
      .execute();
    for (const { id } of candidates) {
      await this.db.transaction().execute(async (trx) => {
        const locked = await trx
          .selectFrom('documents.documents')
          .selectAll()
          .where('id', '=', id)
          .where('deleted_at', '<', cutoff)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
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
      }).catch((error: unknown) => onError(id, error));
    }
    return purged;
  }

  /** A new document and its first version, inside the caller's transaction. */
  async insert(trx: DocumentsTrx, document: NewDocument): Promise<void> {
    await trx
      .insertInto('documents.documents')
      .values({
        id: document.id, company_id: document.companyId, filename: document.filename, original_filename: document.originalFilename,
        mime_type: document.mimeType, size: document.size, checksum: document.checksum, category: document.category,
        tags: document.tags, version: 1, entity_type: document.entityType, entity_id: document.entityId,
        is_archived: document.isArchived ?? false, storage_backend: document.storageBackend, storage_key: document.storageKey,
        storage_profile: document.storageProfile ?? null,
        uploaded_by: document.uploadedBy,
      })
      .execute();
    await trx
      .insertInto('documents.document_versions')
      .values({
        id: document.versionId, document_id: document.id, company_id: document.companyId, version: 1, filename: document.filename,
        original_filename: document.originalFilename, mime_type: document.mimeType, size: document.size, checksum: document.checksum,
        storage_backend: document.storageBackend, storage_key: document.storageKey, storage_profile: document.storageProfile ?? null,
        uploaded_by: document.uploadedBy,
      })
      .execute();
  }
}

export interface NewVersion {
  versionId: string;
  filename: string;
  originalFilename: string | null;
  mimeType: string | null;
  size: number;
  checksum: string;
  storageBackend: string;
  storageKey: string;
  storageProfile: string | null;
  uploadedBy: string | null;
  restoredFrom?: number;
}

export interface NewDocument {
  id: string;
  versionId: string;
  companyId: string;
  filename: string;
  originalFilename: string | null;
  mimeType: string;
  size: number;
  checksum: string;
  category: string | null;
  tags: string[];
  entityType: EntityType;
  entityId: string;
  isArchived?: boolean;
  storageBackend: StorageBackendName;
  storageKey: string;
  storageProfile?: string | null;
  uploadedBy: string | null;
}
