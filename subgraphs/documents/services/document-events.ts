/**
 * documents.* domain events, written to the outbox in the transaction of the
 * change they announce (a rolled-back change announces nothing). The payload
 * is the document as it is after the change, so consumers need no lookup.
 */
import type { Selectable } from 'kysely';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { TopicName, TopicPayload } from '../../../platform/events/topics/index.js';
import type { DocumentsTable, ShareLinksTable } from '../database.js';
import type { DocumentsTrx } from '../repositories/documents-db.js';

export const DOCUMENTS_EVENT_SOURCE = 'documents';

type DocumentTopic = 'documents.document.created' | 'documents.document.versioned' | 'documents.document.deleted' | 'documents.document.restored';
type Extra<T extends DocumentTopic> = Omit<TopicPayload<T>, keyof TopicPayload<'documents.document.created'>>;

function documentPayload(row: Selectable<DocumentsTable>, actorId: string | null): TopicPayload<'documents.document.created'> {
  return {
    document_id: row.id,
    company_id: row.company_id,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    actor_id: actorId,
    filename: row.filename,
    version: row.version,
    size: Number(row.size),
    checksum: row.checksum,
    mime_type: row.mime_type,
    storage_backend: row.storage_backend,
  };
}

export async function publishDocumentEvent<T extends DocumentTopic>(
  trx: DocumentsTrx,
  topic: T,
  row: Selectable<DocumentsTable>,
  actorId: string | null,
  ...extra: keyof Extra<T> extends never ? [] : [Extra<T>]
): Promise<void> {
  const payload = { ...documentPayload(row, actorId), ...(extra[0] ?? {}) };
  await publishEvent(trx, { topic, companyId: row.company_id, key: row.id, payload, source: DOCUMENTS_EVENT_SOURCE });
}

export async function publishShareEvent(
  trx: DocumentsTrx,
  topic: Extract<TopicName, 'documents.share.created' | 'documents.share.revoked'>,
  link: Pick<Selectable<ShareLinksTable>, 'id' | 'document_id' | 'company_id' | 'expires_at' | 'password_hash' | 'provider'>,
  document: { entityType: string; entityId: string },
  actorId: string | null,
): Promise<void> {
  const payload: TopicPayload<'documents.share.created'> = {
    share_id: link.id,
    document_id: link.document_id,
    company_id: link.company_id,
    entity_type: document.entityType,
    entity_id: document.entityId,
    actor_id: actorId,
    expires_at: link.expires_at.toISOString(),
    has_password: link.password_hash !== null,
    provider: link.provider,
  };
  await publishEvent(trx, { topic, companyId: link.company_id, key: link.document_id, payload, source: DOCUMENTS_EVENT_SOURCE });
}
