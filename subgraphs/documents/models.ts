/** What documents' resolvers work with (the codegen mappers point here). */
import type { StorageBackendName } from '../../platform/config.js';
import type { CourseRole } from '../../platform/federation/course-access.js';
import type { StorageProfileSettings } from './database.js';
import type { LinkMaker } from './services/share-maker-access.js';

export const ENTITY_TYPES = ['quote', 'invoice', 'project', 'task', 'employee', 'course'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** A document as it is now, or one of its versions (then `id` is the version's id). */
export interface DocumentModel {
  id: string;
  documentId: string;
  companyId: string;
  isVersion: boolean;
  filename: string;
  originalFilename: string | null;
  mimeType: string | null;
  size: number;
  checksum: string;
  category: string | null;
  description: string | null;
  tags: string[];
  version: number;
  entityType: EntityType;
  entityId: string;
  isArchived: boolean;
  deletedAt: Date | null;
  storageBackend: StorageBackendName;
  storageKey: string;
  /** The company's own server the object is on; null: the server-configured backend. */
  storageProfile: string | null;
  uploadedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set on the results of a search. */
  search?: { rank: number; snippet?: SearchSnippetModel | null };
}

/** A passage of a document's text; `highlights` are where the search's words are in it (UTF-16 offsets). */
export interface SearchSnippetModel {
  text: string;
  highlights: { start: number; length: number }[];
}

/** How indexing a document's text went (documents.document_search). */
export interface ContentIndexModel {
  status: string;
  version: number | null;
  error: string | null;
  indexedAt: Date | null;
}

export interface CompanySearchSettingsModel {
  language: string;
  isDefault: boolean;
  availableLanguages: string[];
  updatedAt: Date | null;
}

export interface ShareLinkModel {
  id: string;
  documentId: string;
  expiresAt: Date;
  hasPassword: boolean;
  revokedAt: Date | null;
  downloadCount: number;
  createdAt: Date;
  /** The maker's Moodle user id, resolved to a User through federation; null when unknown. */
  createdByUser: string | null;
  provider: 'documents' | 'nextcloud';
  /** Nextcloud's share id (provider nextcloud). */
  externalId: string | null;
  /** Nextcloud's public URL of the share (provider nextcloud). */
  externalUrl: string | null;
  /** What the maker's access rested on (share-maker-access.ts): judged for ShareLink.servesNow. */
  maker: LinkMaker;
}

export interface DocumentUploadModel {
  id: string;
  status: string;
  receivedBytes: number;
  declaredBytes: number;
  expiresAt: Date;
  documentId: string;
}

export interface CompanyStorageSettingsModel {
  backend: StorageBackendName;
  isDefault: boolean;
  /** The company's own server (never its secret). */
  server: (StorageProfileSettings & { hasSecret: boolean; createdAt: Date }) | null;
  maxFileBytes: number | null;
  effectiveMaxFileBytes: number;
  availableBackends: StorageBackendName[];
  nextcloudShares: boolean;
  nextcloudUrl: string | null;
  nextcloudUsername: string | null;
  hasNextcloudAppPassword: boolean;
  updatedAt: Date | null;
}

/** An ERP entity (Task, Project) we only know by id; tenant safety comes from filtering our own rows. */
export interface EntityReference {
  id: string;
}

/** A Course as the gateway hands it to us, with the caller's role required from academy. */
export interface CourseReference {
  id: string;
  viewerRole?: CourseRole | null;
}

/** One entry of a document's activity trail. */
export interface DocumentActivityModel {
  id: string;
  action: string;
  /** The actor's Moodle user id (User), when they have one. */
  actorUser: string | null;
  createdAt: Date;
  version: number | null;
  restoredFrom: number | null;
  shareLinkId: string | null;
  changes: { field: string; from: string | null; to: string | null }[];
}
