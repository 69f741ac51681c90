/**
 * Reading documents: one per-request loader per lookup shape, so that any
 * number of references or entity fields costs one SQL statement per shape;
 * every document is checked against DocumentAccess before it leaves.
 */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput } from '../../../platform/errors.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
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

  private filter(args: DocumentListArgs) {
    const entityType = args.entityType ? parseEntityType(args.entityType) : undefined;
    if (args.entityId && !entityType) throw badInput('entityId needs an entityType', 'entityId');
    return {
      entityType,
      entityId: args.entityId ?? undefined,
      category: args.category ?? undefined,
      tag: args.tag ?? undefined,
      search: args.search?.trim() || undefined,
      includeArchived: args.includeArchived ?? false,
      ...this.access.listRestrictions(),
    };
  }

  async listDocuments(args: DocumentListArgs): Promise<DocumentModel[]> {
    const limit = args.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('limit must be between 1 and 500', 'limit');
    const documents = await this.repository.list(this.viewer.companyId, { ...this.filter(args), limit });
    const allowed = await this.readable(documents);
    return documents.filter((_, index) => allowed[index]);
  }

  async listDocumentsPage(args: DocumentListArgs & PageArgs): Promise<Connection<DocumentModel>> {
    const filter = this.filter(args);
    const { first, after } = pageRequest(args, ['string', 'string']);
    const rows = await this.repository.listPage(this.viewer.companyId, filter, { after, limit: first + 1 });
    return toConnection(rows, first, (row) => row.key, (row) => row.node, (documents) => this.readable(documents));
  }

  async versionsPage(document: DocumentModel, args: PageArgs): Promise<Connection<DocumentModel>> {
    const { first, after } = pageRequest(args, ['number']);
    const rows = await this.repository.versionsPage(this.viewer.companyId, document.documentId, { after, limit: first + 1 });
    return toConnection(rows, first, (row) => row.key, (row) => row.node);
  }

  /** Which of these the caller may read; course checks are batched into one call to academy. */
  async readable(documents: DocumentModel[]): Promise<boolean[]> {
    const allowed = await Promise.all(documents.map((document) => this.access.mayRead(document)));
    documents.forEach((document, index) => {
      if (allowed[index]) this.byId.prime(document.id, document);
    });
    return allowed;
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
