/**
 * Reading documents: one per-request loader per lookup shape, so that any
 * number of references or entity fields costs one SQL statement per shape;
 * every document is checked against DocumentAccess before it leaves.
 */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput } from '../../../platform/errors.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { UrlSigner } from '../http/url-signer.js';
import { ENTITY_TYPES, type CourseReference, type DocumentModel, type EntityType } from '../models.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentAccess } from './document-access.js';

export interface DocumentListArgs {
  entityType?: string | null;
  entityId?: string | null;
  category?: string | null;
  tag?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
  limit?: number | null;
}

export function parseEntityType(value: string, field = 'entityType'): EntityType {
  const normalized = value.trim().toLowerCase();
  if (!(ENTITY_TYPES as readonly string[]).includes(normalized)) {
    throw badInput(`${field} must be one of ${ENTITY_TYPES.join(', ')}`, field);
  }
  return normalized as EntityType;
}

export class DocumentService {
  private readonly byId: DataLoader<string, DocumentModel | null>;
  private readonly versionsByDocument: DataLoader<string, DocumentModel[]>;
  private readonly byEntity: Record<EntityType, DataLoader<string, DocumentModel[]>>;

  constructor(
    private readonly viewer: Viewer,
    private readonly repository: DocumentRepository,
    readonly access: DocumentAccess,
    private readonly signer: UrlSigner,
    private readonly urlTtlSeconds: number,
  ) {
    const companyId = viewer.companyId;
    this.byId = rowLoader((ids) => repository.findByIds(companyId, ids), (document) => document.id);
    this.versionsByDocument = groupLoader((ids) => repository.versionsOf(companyId, ids), (version) => version.documentId);
    const entityLoader = (type: EntityType) =>
      groupLoader((ids) => repository.listForEntities(companyId, type, ids), (document) => document.entityId);
    this.byEntity = Object.fromEntries(ENTITY_TYPES.map((type) => [type, entityLoader(type)])) as DocumentService['byEntity'];
  }

  /** Any document row, trash included, if the caller may read it (for services that act on documents). */
  async findReadable(id: string): Promise<DocumentModel | null> {
    const document = await this.byId.load(id);
    if (!document || !(await this.access.mayRead(document))) return null;
    return document;
  }

  /** A document or version the caller may read; null when missing, in the trash, or not theirs to read. */
  async getDocument(id: string): Promise<DocumentModel | null> {
    const document = await this.findReadable(id);
    return document && !document.deletedAt ? document : null;
  }

  async listDocuments(args: DocumentListArgs): Promise<DocumentModel[]> {
    const limit = args.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('limit must be between 1 and 500', 'limit');
    const entityType = args.entityType ? parseEntityType(args.entityType) : undefined;
    if (args.entityId && !entityType) throw badInput('entityId needs an entityType', 'entityId');
    const documents = await this.repository.list(this.viewer.companyId, {
      entityType,
      entityId: args.entityId ?? undefined,
      category: args.category ?? undefined,
      tag: args.tag ?? undefined,
      search: args.search?.trim() || undefined,
      includeArchived: args.includeArchived ?? false,
      limit,
      ...this.access.listRestrictions(),
    });
    return this.readable(documents);
  }

  /** Keeps what the caller may read; course checks are batched into one call to academy. */
  private async readable(documents: DocumentModel[]): Promise<DocumentModel[]> {
    const allowed = await Promise.all(documents.map((document) => this.access.mayRead(document)));
    const result = documents.filter((_, index) => allowed[index]);
    for (const document of result) this.byId.prime(document.id, document);
    return result;
  }

  /** An ERP record's documents (Task.documents, Employee.documents, ...): empty for those who may not read them. */
  async documentsOf(entityType: Exclude<EntityType, 'course'>, entityId: string): Promise<DocumentModel[]> {
    return (await this.access.mayRead({ entityType, entityId })) ? this.byEntity[entityType].load(entityId) : [];
  }

  /** The course role arrives with the reference (`@requires(fields: "viewerRole")`), signed by the gateway. */
  async documentsOfCourse(course: CourseReference): Promise<DocumentModel[]> {
    return mayReadCourse(this.viewer, course) ? this.byEntity.course.load(course.id) : [];
  }

  async versions(document: DocumentModel): Promise<DocumentModel[]> {
    return this.versionsByDocument.load(document.documentId);
  }

  downloadUrl(document: DocumentModel): string {
    const expiresAt = new Date(Date.now() + this.urlTtlSeconds * 1000);
    return this.signer.sign(`/files/download/${document.documentId}`, { v: String(document.version) }, expiresAt);
  }

  /** Share links and other management details are for those who may change the document. */
  mayManage(document: DocumentModel): Promise<boolean> {
    return this.access.mayWrite(document);
  }
}
