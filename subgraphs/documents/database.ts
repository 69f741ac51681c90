/** Kysely types for the `documents` schema. */
import type { ColumnType, Generated } from 'kysely';

type BigIntColumn = ColumnType<string, number | string | bigint, number | string | bigint>; // int8 comes back as a string

export interface DocumentsTable {
  id: string;
  company_id: string;
  filename: string;
  original_filename: string | null;
  mime_type: string | null;
  /** The current version's size, checksum and object (copied from document_versions). */
  size: BigIntColumn;
  checksum: string;
  category: string | null;
  tags: Generated<string[]>;
  version: Generated<number>;
  entity_type: string;
  entity_id: string;
  is_archived: Generated<boolean>;
  deleted_at: Date | null;
  storage_backend: string;
  storage_key: string;
  /** The company's own server the object is on (storage_profiles); null: the server-configured backend. */
  storage_profile: string | null;
  uploaded_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  description: string | null;
}

export interface DocumentVersionsTable {
  id: string;
  document_id: string;
  company_id: string;
  version: number;
  filename: string;
  original_filename: string | null;
  mime_type: string | null;
  size: BigIntColumn;
  checksum: string;
  storage_backend: string;
  storage_key: string;
  /** The company's own server the object is on (storage_profiles); null: the server-configured backend. */
  storage_profile: string | null;
  /** Set when this version re-instates an older one (restoreDocumentVersion). */
  restored_from: number | null;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export interface ShareLinksTable {
  id: string;
  document_id: string;
  company_id: string;
  /** sha256 of the token; the token itself is never stored. */
  token_hash: string;
  expires_at: Date;
  password_hash: string | null;
  revoked_at: Date | null;
  download_count: Generated<number>;
  created_by: string;
  /** The maker's Moodle user id (the User entity's id); null when the token had none or, for older links, the activity log did not name one. */
  created_by_user: string | null;
  /**
   * The maker's roles when they made the link: with company_id and created_by_user, what their access rested on,
   * re-judged each time the link is opened (share-maker-access.ts). Null for links made before it was kept.
   */
  created_by_roles: string[] | null;
  /** For a link made before its maker's roles were kept: the record ("type:id") it serves on, and only there. */
  legacy_attachment: string | null;
  created_at: Generated<Date>;
  /** documents: served by us under /files/share/; nextcloud: a Nextcloud share (OCS API), served by Nextcloud. */
  provider: Generated<string>;
  /** Nextcloud's share id and public URL. */
  external_id: string | null;
  external_url: string | null;
}

export interface SharePasswordFailuresTable {
  share_id: string;
  /** The client's address, or '*' for every client of the link. */
  client: string;
  window_start: Date;
  failures: number;
}

export interface UploadSessionsTable {
  id: string;
  company_id: string;
  /** The document the bytes are for: allocated at request time for a new one. */
  document_id: string;
  /** A new version of an existing document rather than a new document. */
  new_version: Generated<boolean>;
  entity_type: string;
  entity_id: string;
  filename: string;
  original_filename: string;
  category: string | null;
  tags: Generated<string[]>;
  declared_size: BigIntColumn;
  declared_checksum: string | null;
  storage_backend: string;
  storage_key: string;
  /** The company's own server the object is on (storage_profiles); null: the server-configured backend. */
  storage_profile: string | null;
  /** pending → uploading → uploaded → completed. */
  status: Generated<string>;
  received_size: BigIntColumn | null;
  received_checksum: string | null;
  created_by: string;
  created_by_user: string | null;
  expires_at: Date;
  created_at: Generated<Date>;
  /** A new version's: the version it replaces (completion refuses it when the document moved on). */
  base_version: number | null;
  /** A resumable upload's: the internal URL of the replica staging its bytes (DOCUMENTS_INTERNAL_URL). */
  staged_at: string | null;
}

export interface CompanyStorageTable {
  company_id: string;
  backend: string;
  /** The company's own upper bound on a file's size (the global one still applies). */
  max_file_bytes: BigIntColumn | null;
  /** New share links of documents on WebDAV are Nextcloud shares (OCS API) made as this account. */
  nextcloud_shares: Generated<boolean>;
  nextcloud_url: string | null;
  nextcloud_username: string | null;
  /** AES-256-GCM (see share-credentials), bound to the company. */
  nextcloud_password_encrypted: string | null;
  updated_by: string | null;
  updated_at: Generated<Date>;
  /** New files go to this profile (the company's own server) of `backend`; null: the server-configured one. */
  storage_profile: string | null;
}

export interface StorageProfilesTable {
  id: string;
  company_id: string;
  backend: string;
  settings: ColumnType<StorageProfileSettings, string, string>;
  secret_encrypted: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** What is not secret about a company's own server. */
export interface StorageProfileSettings {
  url?: string;
  username?: string;
  root?: string;
  bucket?: string;
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  forcePathStyle?: boolean;
}

/** What an activity entry says beyond its action (see document-activity.ts). */
export interface ActivityDetails {
  version?: number;
  restoredFrom?: number;
  shareLinkId?: string;
  /** Why a share link was revoked by the service itself (its maker may no longer read the document). */
  reason?: string;
  changes?: { field: string; from: string | null; to: string | null }[];
}

export interface DocumentActivityTable {
  id: Generated<string>;
  company_id: string;
  document_id: string;
  action: string;
  /** The identity's user id (null: anyone holding a share link). */
  actor_id: string | null;
  /** Their Moodle user id, for User. */
  actor_user: string | null;
  details: ColumnType<ActivityDetails, string, string>;
  created_at: Generated<Date>;
}

/** A company's text search configuration (its language); no row: 'simple'. */
export interface CompanySearchTable {
  company_id: string;
  /** A PostgreSQL text search configuration (regconfig), e.g. simple, english, german. */
  language: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

/** What the indexer found in a document's current version: pending, indexed, empty, unsupported, too_large, failed. */
export type ContentIndexStatus = 'pending' | 'indexed' | 'empty' | 'unsupported' | 'too_large' | 'failed';

/** One per document (kept by triggers on documents, see migrations/full-text-search.ts). */
export interface DocumentSearchTable {
  document_id: string;
  company_id: string;
  language: string;
  /** The extracted text of `content_version`, capped; null until extracted or when there is none. */
  content: string | null;
  content_version: number | null;
  status: Generated<ContentIndexStatus>;
  /** Why extraction failed or was skipped. */
  error: string | null;
  indexed_at: Date | null;
  /** tsvector, weighted name A, tags B, text C: only ever compared in SQL. */
  search_vector: ColumnType<string, never, never>;
}

export interface DocumentsDatabase {
  'documents.documents': DocumentsTable;
  'documents.document_versions': DocumentVersionsTable;
  'documents.share_links': ShareLinksTable;
  'documents.upload_sessions': UploadSessionsTable;
  'documents.company_storage': CompanyStorageTable;
  'documents.share_password_failures': SharePasswordFailuresTable;
  'documents.storage_profiles': StorageProfilesTable;
  'documents.document_activity': DocumentActivityTable;
  'documents.company_search': CompanySearchTable;
  'documents.document_search': DocumentSearchTable;
}
