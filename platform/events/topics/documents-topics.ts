/**
 * The documents subgraph's topics: a document was created, got a new
 * version, went to the trash (or was purged for good), came back, and share
 * links were created or revoked. Published in the transaction of the change.
 * Payloads name the company, the document and the ERP entity it is attached
 * to, and who acted (the Passport subject; null for the purge job).
 */
import { boolean, dateTime, integer, nullable, object, string, uuid } from '../payload-schema.js';
import { defineTopic } from '../topic-registry.js';

const documentFields = {
  document_id: uuid(),
  company_id: uuid(),
  /** quote, invoice, project, task, employee or course. */
  entity_type: string(),
  entity_id: string(),
  actor_id: nullable(string()),
  filename: string(),
  version: integer({ min: 1 }),
  size: integer({ min: 0 }),
  checksum: string(),
  mime_type: nullable(string()),
  storage_backend: string(),
};

const documentChange = object(documentFields);
const documentVersioned = object({ ...documentFields, /** The older version re-instated (restoreDocumentVersion), else null. */ restored_from: nullable(integer({ min: 1 })) });
const documentDeleted = object({ ...documentFields, /** false: moved to the trash (restorable); true: purged with its stored objects. */ purged: boolean() });

const shareChange = object({
  share_id: uuid(),
  document_id: uuid(),
  company_id: uuid(),
  entity_type: string(),
  entity_id: string(),
  actor_id: nullable(string()),
  expires_at: dateTime(),
  has_password: boolean(),
  /** Where the link lives: this service, or Nextcloud's own share (OCS API). */
  provider: string(),
});

const byDocument = (payload: { document_id: string }) => payload.document_id;

export const documentsTopics = {
  'documents.document.created': defineTopic('documents.document.created', {
    schema: documentChange,
    keyOf: byDocument,
    description: 'A document was uploaded (its first version).',
  }),
  'documents.document.versioned': defineTopic('documents.document.versioned', {
    schema: documentVersioned,
    keyOf: byDocument,
    description: 'A document got a new current version (uploaded or restored from an older one).',
  }),
  'documents.document.deleted': defineTopic('documents.document.deleted', {
    schema: documentDeleted,
    keyOf: byDocument,
    description: 'A document was moved to the trash, or purged for good.',
  }),
  'documents.document.restored': defineTopic('documents.document.restored', { schema: documentChange, keyOf: byDocument, description: 'A document was taken out of the trash.' }),
  'documents.share.created': defineTopic('documents.share.created', { schema: shareChange, keyOf: byDocument, description: 'A share link to a document was created.' }),
  'documents.share.revoked': defineTopic('documents.share.revoked', { schema: shareChange, keyOf: byDocument, description: 'A share link to a document was revoked.' }),
};
