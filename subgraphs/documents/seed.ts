/**
 * Demo documents for embedded mode, once, on an empty schema: real files
 * written through the local backend (so checksums and sizes are what the
 * backend measured), with their rows in one transaction.
 */
import { Readable } from 'node:stream';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES } from '../../platform/demo/demo-ids.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import type { DocumentsDatabase } from './database.js';
import { DEMO_DOCUMENTS } from './demo-documents.js';
import { sanitizeFilename } from './services/filename.js';
import { sniffContentType } from './services/content-type.js';
import { LocalStorageBackend } from './storage/local-backend.js';
import { storageKey } from './storage/storage-backend.js';

export async function seedDocuments({ config, databaseUrl, log }: SubgraphDeps): Promise<void> {
  const db = createKysely<DocumentsDatabase>(databaseUrl);
  const already = await db.selectFrom('documents.documents').select('id').limit(1).executeTakeFirst();
  if (already) return;
  const backend = new LocalStorageBackend(config.documents.storageDir);

  await db.transaction().execute(async (trx) => {
    for (const demo of DEMO_DOCUMENTS) {
      const companyId = DEMO_COMPANIES[demo.company].id;
      const filename = sanitizeFilename(demo.filename);
      let number = 0;
      for (const version of demo.versions) {
        number += 1;
        const key = storageKey(companyId, demo.id, version.id);
        const bytes = Buffer.from(version.content, 'utf8');
        const stored = await backend.put(key, Readable.from([bytes]));
        const values = {
          filename,
          original_filename: demo.filename,
          mime_type: await sniffContentType(bytes, filename),
          size: stored.size,
          checksum: stored.sha256,
          storage_backend: 'local',
          storage_key: key,
          uploaded_by: demo.uploadedBy,
        };
        if (number === 1) {
          await trx
            .insertInto('documents.documents')
            .values({
              id: demo.id,
              company_id: companyId,
              category: demo.category,
              tags: demo.tags,
              version: 1,
              entity_type: demo.entityType,
              entity_id: demo.entityId,
              is_archived: demo.archived ?? false,
              ...values,
            })
            .execute();
        } else {
          await trx
            .updateTable('documents.documents')
            .set({ ...values, version: number, updated_at: new Date() })
            .where('id', '=', demo.id)
            .execute();
        }
        await trx
          .insertInto('documents.document_versions')
          .values({ id: version.id, document_id: demo.id, company_id: companyId, version: number, ...values })
          .execute();
      }
    }
  });
  log.info({ documents: DEMO_DOCUMENTS.length, storageDir: config.documents.storageDir }, 'seeded documents demo data');
}
