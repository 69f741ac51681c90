/**
 * Uploads in two steps around a signed PUT: a ticket (authorization, limits,
 * the storage key we choose), then completion, which checks what was stored,
 * sniffs its type and creates the document or its next version in one
 * transaction. Nothing exists as a Document until completion succeeds.
 */
import { randomUUID } from 'node:crypto';
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import type { DocumentsConfig } from '../../../platform/config.js';
import { conflict, notFound, unavailable } from '../../../platform/errors.js';
import type { UrlSigner } from '../http/url-signer.js';
import type { DocumentModel, DocumentUploadModel } from '../models.js';
import type { CompanyStorageRepository } from '../repositories/company-storage-repository.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import type { NewUploadSession, UploadSession, UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { isSafeName, numberedName, readableKey, storageKey, StorageUnavailableError, type StorageBackend } from '../storage/storage-backend.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import { SNIFF_BYTES, sniffContentType } from './content-type.js';
import type { ActivityTrail } from './document-activity.js';
import { publishDocumentEvent } from './document-events.js';
import type { DocumentService } from './document-service.js';
import { parseEntityType } from './document-service.js';
import { cleanOriginalFilename, sanitizeFilename } from './filename.js';
import { lockStillAttached } from './locked-attachment.js';
import { parseCategory, parseChecksum, parseEntityId, parseSize, parseTags } from './upload-input.js';

/** An upload session opened for the caller: its bytes come by a signed PUT (UploadTicket) or by tus (ResumableUploadService). */
export interface OpenedUpload {
  uploadId: string;
  expiresAt: Date;
  maxBytes: number;
}

export interface UploadTicket extends OpenedUpload {
  uploadUrl: string;
}

export type NewUploadInput = {
  entityType: string;
  entityId: string;
  filename: string;
  size: number;
  category?: string | null;
  tags?: readonly string[] | null;
  checksum?: string | null;
};

export type NewVersionInput = {
  documentId: string;
  filename?: string | null;
  size: number;
  checksum?: string | null;
  replacesVersion?: number | null;
};

export interface UploadServiceDeps {
  db: DocumentsDb;
  config: DocumentsConfig;
  signer: UrlSigner;
  backends: StorageBackends;
  documentRepository: DocumentRepository;
  sessions: UploadSessionRepository;
  companyStorage: CompanyStorageRepository;
  activity: ActivityTrail;
}

/** What a ticket records besides who asked, when it expires and where the bytes go. */
type TicketFields = Omit<NewUploadSession, 'id' | 'storage_key' | 'expires_at' | 'company_id' | 'created_by' | 'created_by_user'> & {
  declared_size: number;
  document_id: string;
};

export const UPLOAD_PREFIX = '/files/uploads/';

const staleVersion = (replaces: number, current: number) =>
  conflict(`This upload replaces version ${replaces}, but version ${current} is current now: look at it, then upload again naming version ${current}`);

async function readHead(backend: StorageBackend, key: string, size: number): Promise<Buffer> {
  if (size === 0) return Buffer.alloc(0);
  const stream = await backend.get(key, { start: 0, end: Math.min(SNIFF_BYTES, size) - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class UploadService {
  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly deps: UploadServiceDeps,
  ) {}

  /** The backend new files of the caller's company go to, and the largest file it accepts. */
  private async target(): Promise<{ backend: StorageBackend; profile: string | null; limit: number }> {
    const settings = await this.deps.companyStorage.find(this.viewer.companyId);
    const name = settings.backend ?? this.deps.config.defaultBackend;
    const profile = settings.backend ? settings.storageProfile : null;
    if (!profile && !this.deps.backends.has(name)) throw unavailable(`The ${name} storage backend is not configured`);
    const limit = Math.min(this.deps.config.maxUploadBytes, settings.maxFileBytes ?? Number.POSITIVE_INFINITY);
    return { backend: await this.deps.backends.of({ storage_backend: name, storage_profile: profile }), profile, limit };
  }

  /**
   * Where the bytes go. On backends people browse (WebDAV, Nextcloud), a
   * readable company / record / name, numbered when the name is taken (by an
   * upload, a version, or a file someone put there); elsewhere uuids.
   */
  private async keysFor(session: TicketFields, backend: StorageBackend, uploadId: string): Promise<string[]> {
    const fallback = storageKey(this.viewer.companyId, session.document_id, uploadId);
    if (!backend.browsable || !isSafeName(session.filename)) return [fallback];
    const record = { entityType: session.entity_type, entityId: session.entity_id.toLowerCase() };
    const candidates = Array.from({ length: 20 }, (_, index) => readableKey(this.viewer.companyId, record, numberedName(session.filename, index + 1)));
    const taken = await this.deps.sessions.keysTaken({ storage_backend: backend.name, storage_profile: session.storage_profile ?? null }, candidates);
    const free: string[] = [];
    for (const key of candidates) {
      if (free.length === 3) break;
      if (!taken.has(key) && !(await backend.exists(key).catch(() => true))) free.push(key);
    }
    return [...free, fallback];
  }

  private async open(session: TicketFields, backend: StorageBackend, ttlSeconds: number): Promise<OpenedUpload> {
    const uploadId = randomUUID();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const keys = await this.keysFor(session, backend, uploadId);
    for (const [index, key] of keys.entries()) {
      try {
        await this.deps.sessions.insert({
          ...session,
          id: uploadId,
          company_id: this.viewer.companyId,
          storage_key: key,
          created_by: this.viewer.userId,
          created_by_user: this.viewer.moodleUserId ?? null,
          expires_at: expiresAt,
        });
        break;
      } catch (error) {
        // Another ticket took that name a moment ago (unique index): the next one.
        if ((error as { code?: string }).code !== '23505' || index === keys.length - 1) throw error;
      }
    }
    return { uploadId, expiresAt, maxBytes: session.declared_size };
  }

  private withUrl(opened: OpenedUpload): UploadTicket {
    return { ...opened, uploadUrl: this.deps.signer.sign(`${UPLOAD_PREFIX}${opened.uploadId}`, {}, opened.expiresAt) };
  }

  async requestUpload(input: NewUploadInput): Promise<UploadTicket> {
    return this.withUrl(await this.openUpload(input, this.deps.config.uploadTtlSeconds));
  }

  async requestVersionUpload(input: NewVersionInput): Promise<UploadTicket> {
    return this.withUrl(await this.openVersionUpload(input, this.deps.config.uploadTtlSeconds));
  }

  /** A new document's upload session, after the same checks whichever way its bytes come. */
  async openUpload(input: NewUploadInput, ttlSeconds: number): Promise<OpenedUpload> {
    const entityType = parseEntityType(input.entityType);
    const entityId = parseEntityId(entityType, input.entityId);
    const filename = sanitizeFilename(input.filename);
    const category = parseCategory(input.category);
    const tags = parseTags(input.tags);
    const checksum = parseChecksum(input.checksum);
    await this.documents.access.requireAttachable({ entityType, entityId });
    const { backend, profile, limit } = await this.target();
    const size = parseSize(input.size, limit);
    return this.open(
      {
        storage_profile: profile,
        document_id: randomUUID(),
        new_version: false,
        entity_type: entityType,
        entity_id: entityId,
        filename,
        original_filename: cleanOriginalFilename(input.filename),
        category,
        tags,
        declared_size: size,
        declared_checksum: checksum,
        storage_backend: backend.name,
      },
      backend,
      ttlSeconds,
    );
  }

  /**
   * A new version replaces the version named by `replacesVersion` (the
   * current one when left out): when another version is completed first,
   * this one is refused with CONFLICT, at the ticket or at completion.
   */
  async openVersionUpload(input: NewVersionInput, ttlSeconds: number): Promise<OpenedUpload> {
    const document = await this.documents.getDocument(input.documentId);
    if (!document || document.isVersion) throw notFound('Document', input.documentId);
    await this.documents.access.requireWrite(document);
    if (input.replacesVersion != null && input.replacesVersion !== document.version) throw staleVersion(input.replacesVersion, document.version);
    const filename = input.filename ? sanitizeFilename(input.filename) : document.filename;
    const checksum = parseChecksum(input.checksum);
    const { backend, profile, limit } = await this.target();
    const size = parseSize(input.size, limit);
    return this.open(
      {
        storage_profile: profile,
        document_id: document.documentId,
        new_version: true,
        entity_type: document.entityType,
        entity_id: document.entityId,
        filename,
        original_filename: input.filename ? cleanOriginalFilename(input.filename) : (document.originalFilename ?? document.filename),
        category: document.category,
        tags: document.tags,
        declared_size: size,
        declared_checksum: checksum,
        storage_backend: backend.name,
        base_version: document.version,
      },
      backend,
      ttlSeconds,
    );
  }

  /** A ticket's state and the bytes received so far: for its requester and company admins. */
  async progress(uploadId: string): Promise<DocumentUploadModel | null> {
    const session = await this.deps.sessions.find(this.viewer.companyId, uploadId);
    if (!session || (session.created_by !== this.viewer.userId && !isAdmin(this.viewer))) return null;
    return {
      id: session.id,
      status: session.status,
      receivedBytes: Number(session.received_size ?? 0),
      declaredBytes: Number(session.declared_size),
      expiresAt: session.expires_at,
      documentId: session.document_id,
    };
  }

  /** Where the completed upload lands: the ticket's record for a new document, the document's current one for a version. */
  private async completionTarget(session: UploadSession): Promise<{ entityType: DocumentModel['entityType']; entityId: string }> {
    if (!session.new_version) return { entityType: session.entity_type as DocumentModel['entityType'], entityId: session.entity_id };
    const document = await this.documents.getDocument(session.document_id);
    if (!document || document.isVersion) throw notFound('Document', session.document_id);
    return { entityType: document.entityType, entityId: document.entityId };
  }

  async complete(uploadId: string): Promise<DocumentModel> {
    const session = await this.deps.sessions.find(this.viewer.companyId, uploadId);
    // Someone else's ticket is as good as no ticket.
    if (!session || (session.created_by !== this.viewer.userId && !isAdmin(this.viewer))) throw notFound('Upload', uploadId);
    if (session.status === 'completed') return this.loadCreated(session);
    if (session.status !== 'uploaded') throw conflict('Not all bytes of this upload have been received yet: PUT them to the upload URL (or PATCH the rest by tus) first');
    // Judged where the document is now: a new version's may have moved since its ticket, somewhere the caller may not write.
    const target = await this.completionTarget(session);
    await this.documents.access.requireWrite(target);

    const backend = await this.deps.backends.of(session);
    const declaredSize = Number(session.declared_size);
    let head: Buffer;
    try {
      const stored = await backend.stat(session.storage_key);
      if (!stored || stored.size !== declaredSize || Number(session.received_size) !== declaredSize) {
        throw conflict(`The stored file has ${stored?.size ?? 0} bytes, ${declaredSize} were declared`);
      }
      if (session.declared_checksum && session.declared_checksum !== session.received_checksum) {
        throw conflict('The stored bytes do not match the declared checksum');
      }
      head = await readHead(backend, session.storage_key, declaredSize);
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw unavailable(error.message, { backend: backend.name });
      throw error;
    }
    const mimeType = await sniffContentType(head, session.filename);

    await this.deps.db.transaction().execute(async (trx) => {
      const locked = await this.deps.sessions.lockUploaded(trx, session.id);
      if (!locked) return; // completed concurrently: the document exists
      const fields = {
        filename: session.filename,
        originalFilename: session.original_filename,
        mimeType,
        size: declaredSize,
        checksum: session.received_checksum!,
        storageBackend: backend.name,
        storageKey: session.storage_key,
        storageProfile: session.storage_profile,
        uploadedBy: this.viewer.moodleUserId ?? null,
      };
      if (session.new_version) {
        const document = await this.deps.documentRepository.lockForUpdate(trx, this.viewer.companyId, session.document_id);
        if (!document || document.deleted_at) throw notFound('Document', session.document_id);
        if (document.entity_type !== target.entityType || document.entity_id !== target.entityId) {
          throw conflict('The document moved while this version was completed: complete it again');
        }
        if (session.base_version !== null && document.version !== session.base_version) throw staleVersion(session.base_version, document.version);
        await this.deps.documentRepository.appendVersion(trx, document, { versionId: session.id, ...fields });
      } else {
        await this.deps.documentRepository.insert(trx, {
          id: session.document_id,
          versionId: session.id,
          companyId: this.viewer.companyId,
          category: session.category,
          tags: session.tags,
          entityType: session.entity_type as DocumentModel['entityType'],
          entityId: session.entity_id,
          ...fields,
        });
      }
      await this.deps.sessions.markCompleted(trx, session.id);
      const row = (await this.deps.documentRepository.lockForUpdate(trx, this.viewer.companyId, session.document_id))!;
      if (session.new_version) await publishDocumentEvent(trx, 'documents.document.versioned', row, this.viewer.userId, { restored_from: null });
      else await publishDocumentEvent(trx, 'documents.document.created', row, this.viewer.userId);
      await this.deps.activity.record(trx, this.viewer, row, session.new_version ? 'versioned' : 'uploaded', { version: row.version });
    });
    return this.loadCreated(session);
  }

  private async loadCreated(session: UploadSession): Promise<DocumentModel> {
    const [document] = await this.deps.documentRepository.findByIds(this.viewer.companyId, [session.document_id]);
    if (!document) throw notFound('Document', session.document_id);
    return document;
  }

  /** A new current version with an old version's bytes (the same stored object: objects are immutable). */
  async restoreVersion(documentId: string, version: number): Promise<DocumentModel> {
    const document = await this.documents.getDocument(documentId);
    if (!document || document.isVersion) throw notFound('Document', documentId);
    await this.documents.access.requireWrite(document);
    await this.deps.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.deps.documentRepository, this.viewer.companyId, document);
      if (locked.deleted_at) throw notFound('Document', documentId);
      const old = await this.deps.documentRepository.findVersion(trx, locked.id, version);
      if (!old) throw notFound('Version', `${version} of document ${documentId}`);
      if (old.version === locked.version) throw conflict(`Version ${version} is already the current version`);
      await this.deps.documentRepository.appendVersion(trx, locked, {
        versionId: randomUUID(),
        filename: old.filename,
        originalFilename: old.original_filename,
        mimeType: old.mime_type,
        size: Number(old.size),
        checksum: old.checksum,
        storageBackend: old.storage_backend,
        storageKey: old.storage_key,
        storageProfile: old.storage_profile,
        uploadedBy: this.viewer.moodleUserId ?? null,
        restoredFrom: old.version,
      });
      const row = (await this.deps.documentRepository.lockForUpdate(trx, this.viewer.companyId, locked.id))!;
      await publishDocumentEvent(trx, 'documents.document.versioned', row, this.viewer.userId, { restored_from: old.version });
      await this.deps.activity.record(trx, this.viewer, row, 'versioned', { version: row.version, restoredFrom: old.version });
    });
    const [restored] = await this.deps.documentRepository.findByIds(this.viewer.companyId, [document.documentId]);
    return restored!;
  }
}
