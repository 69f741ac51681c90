/** Rows of documents and versions as DocumentModels, and the shapes of new ones. */
import type { Selectable } from 'kysely';
import type { StorageBackendName } from '../../../platform/config.js';
import type { DocumentsTable, DocumentVersionsTable } from '../database.js';
import type { DocumentModel, EntityType } from '../models.js';

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
    description: row.description,
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
export const VERSION_COLUMNS = [
  'v.id as v_id',
  'v.version as v_version',
  'v.filename as v_filename',
  'v.original_filename as v_original_filename',
  'v.mime_type as v_mime_type',
  'v.size as v_size',
  'v.checksum as v_checksum',
  'v.storage_backend as v_storage_backend',
  'v.storage_key as v_storage_key',
  'v.storage_profile as v_storage_profile',
  'v.uploaded_by as v_uploaded_by',
  'v.created_at as v_created_at',
] as const;

export type VersionRow = { [K in keyof VersionColumns as `v_${K & string}`]: VersionColumns[K] };

export function versionOf(row: VersionRow): VersionColumns {
  return {
    id: row.v_id,
    version: row.v_version,
    filename: row.v_filename,
    original_filename: row.v_original_filename,
    mime_type: row.v_mime_type,
    size: row.v_size,
    checksum: row.v_checksum,
    storage_backend: row.v_storage_backend,
    storage_key: row.v_storage_key,
    storage_profile: row.v_storage_profile,
    uploaded_by: row.v_uploaded_by,
    created_at: row.v_created_at,
  };
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

/** What describes a stored file: a document row and each of its versions hold it alike. */
type StoredFile = Pick<NewVersion, 'filename' | 'originalFilename' | 'mimeType' | 'size' | 'checksum' | 'storageBackend' | 'storageKey' | 'uploadedBy'> & {
  storageProfile?: string | null;
};

/** The columns of a stored file, as both tables name them. */
export function fileColumns(file: StoredFile) {
  return {
    filename: file.filename,
    original_filename: file.originalFilename,
    mime_type: file.mimeType,
    size: file.size,
    checksum: file.checksum,
    storage_backend: file.storageBackend,
    storage_key: file.storageKey,
    storage_profile: file.storageProfile ?? null,
    uploaded_by: file.uploadedBy,
  };
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
