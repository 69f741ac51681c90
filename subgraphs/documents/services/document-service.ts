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
import { groupLoader, pageLoader, rowLoader, type PageKey } from '../../../platform/graphql/loaders.js';
import { asksOnly } from '../../../platform/graphql/selected-fields.js';
import type { Keyed } from '../repositories/document-repository.js';
import type { UrlSigner } from '../http/url-signer.js';
import { ENTITY_TYPES, type ContentIndexModel, type CourseReference, type DocumentModel, type EntityType } from '../models.js';
import { LEAN_DOCUMENT_FIELDS, type DocumentRepository } from '../repositories/document-repository.js';
import type { SearchTerms } from '../repositories/search-hits.js';
import { DEFAULT_SEARCH_LANGUAGE, type SearchRepository } from '../repositories/search-repository.js';
import type { DocumentAccess } from './document-access.js';
import { parseHeadline } from './search-snippet.js';

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
  /** versionsConnection of every document in a list, one query per page shape. */
  private readonly versionPages: DataLoader<PageKey, Keyed<DocumentModel>[], string>;
  private readonly byEntity: Record<EntityType, DataLoader<string, DocumentModel[]>>;
  private readonly indexStates: DataLoader<string, ContentIndexModel | null>;
  /** Courses' documents as lean models (made on first use: only fetches asking no more than LEAN_DOCUMENT_FIELDS). */
  private leanByCourse: DataLoader<string, DocumentModel[]> | undefined;
  private language?: Promise<string>;

  constructor(
    private readonly viewer: Viewer,
    private readonly repository: DocumentRepository,
    readonly access: DocumentAccess,
    private readonly signer: UrlSigner,
    private readonly urlTtlSeconds: number,
    private readonly searchIndex: SearchRepository,
  ) {
    const companyId = viewer.companyId;
    this.byId = rowLoader(
      (ids) => repository.findByIds(companyId, ids),
      (document) => document.id,
    );
    this.versionPages = pageLoader(
      (ids, window) => repository.versionsPages(companyId, ids, window),
      (row) => row.node.documentId,
    );
    this.versionsByDocument = groupLoader(
      (ids) => repository.versionsOf(companyId, ids),
      (version) => version.documentId,
    );
    const entityLoader = (type: EntityType) =>
      groupLoader(
        (ids) => repository.listForEntities(companyId, type, ids),
        (document) => document.entityId,
      );
    this.byEntity = Object.fromEntries(ENTITY_TYPES.map((type) => [type, entityLoader(type)])) as DocumentService['byEntity'];
    this.indexStates = rowLoader(
      (ids) => searchIndex.states(companyId, ids),
      (state) => state.documentId,
    );
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

  private async filter(args: DocumentListArgs) {
    const entityType = args.entityType ? parseEntityType(args.entityType) : undefined;
    if (args.entityId && !entityType) throw badInput('entityId needs an entityType', 'entityId');
    const text = args.search?.trim();
    if (text && text.length > 500) throw badInput('search must be at most 500 characters', 'search');
    return {
      entityType,
      entityId: args.entityId ?? undefined,
      category: args.category ?? undefined,
      tag: args.tag ?? undefined,
      search: text ? { text, language: await this.searchLanguage() } : undefined,
      includeArchived: args.includeArchived ?? false,
      ...this.access.listRestrictions(),
    };
  }

  /** The company's text search configuration, read once per request. */
  private searchLanguage(): Promise<string> {
    this.language ??= this.searchIndex.companyLanguage(this.viewer.companyId).then((setting) => setting?.language ?? DEFAULT_SEARCH_LANGUAGE);
    return this.language;
  }

  async listDocuments(args: DocumentListArgs): Promise<DocumentModel[]> {
    const limit = args.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('limit must be between 1 and 500', 'limit');
    const filter = await this.filter(args);
    const documents = await this.repository.list(this.viewer.companyId, { ...filter, limit });
    const allowed = await this.readable(documents);
    const kept = documents.filter((_, index) => allowed[index]);
    if (filter.search) await this.addSnippets(kept, filter.search);
    return kept;
  }

  /** Newest first; with a search, best match first. A cursor belongs to its kind of list (with or without a search). */
  async listDocumentsPage(args: DocumentListArgs & PageArgs): Promise<Connection<DocumentModel>> {
    const filter = await this.filter(args);
    const { first, after } = pageRequest(args, filter.search ? ['string', 'string', 'string'] : ['string', 'string']);
    const rows = await this.repository.listPage(this.viewer.companyId, filter, { after, limit: first + 1 });
    const connection = await toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
      (documents) => this.readable(documents),
    );
    if (filter.search)
      await this.addSnippets(
        connection.edges.map((edge) => edge.node),
        filter.search,
      );
    return connection;
  }

  /** Search results get their passage of text around the words found (only those the caller may read, one query). */
  private async addSnippets(documents: DocumentModel[], search: SearchTerms): Promise<void> {
    const headlines = await this.searchIndex.headlines(
      this.viewer.companyId,
      documents.map((document) => document.documentId),
      search.language,
      search.text,
    );
    for (const document of documents) {
      const headline = headlines.get(document.documentId);
      document.search = { rank: document.search?.rank ?? 0, snippet: headline ? parseHeadline(headline) : null };
    }
  }

  /** How indexing the document's text went (for those who may change it: see Document.contentIndex). */
  contentIndex(document: DocumentModel): Promise<ContentIndexModel | null> {
    return this.indexStates.load(document.documentId);
  }

  async versionsPage(document: DocumentModel, args: PageArgs): Promise<Connection<DocumentModel>> {
    const { first, after } = pageRequest(args, ['number']);
    const rows = await this.versionPages.load({ parentId: document.documentId, after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
    );
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

  /**
   * The course role arrives with the reference (`@requires(fields: "viewerRole")`), signed by the gateway.
   * `fields`: those asked of each document; when all are LEAN_DOCUMENT_FIELDS, only their columns are read.
   */
  async documentsOfCourse(course: CourseReference, fields?: ReadonlySet<string>): Promise<DocumentModel[]> {
    if (!mayReadCourse(this.viewer, course)) return [];
    return (fields && asksOnly(fields, LEAN_DOCUMENT_FIELDS) ? this.leanCourseDocuments() : this.byEntity.course).load(course.id);
  }

  private leanCourseDocuments(): DataLoader<string, DocumentModel[]> {
    this.leanByCourse ??= groupLoader(
      (ids) => this.repository.listForEntities(this.viewer.companyId, 'course', ids, true),
      (document) => document.entityId,
    );
    return this.leanByCourse;
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
