/**
 * Documents attach only to records that exist in the caller's company: erp
 * answers through its `_entities` contract (quotes, invoices, projects,
 * tasks, employees), academy for courses. Unknown and foreign ids are
 * NOT_FOUND, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
});
afterAll(() => docs?.stop());

const UNKNOWN = '0b0e00ff-0000-4000-8000-0000000000ff';

const request = (who: string, entityType: string, entityId: string) => docs.requestUpload(who, { entityType, entityId, filename: 'note.txt', size: 5 }, 'uploadId');

describe('links to records', () => {
  it('accepts records of the caller\u2019s own company, of every kind', async () => {
    for (const [type, id] of [
      ['quote', DEMO_ERP.quotes[0].id],
      ['invoice', DEMO_ERP.invoices[0].id],
      ['project', DEMO_ERP.projects[0].id],
      ['task', DEMO_ERP.tasks[0].id],
      ['employee', '9'],
    ] as const) {
      const { body } = await request('maya.manager', type, id);
      expect(body.errors, `${type} ${id}`).toBeUndefined();
      expect(body.data.requestDocumentUpload.uploadId).toBeTruthy();
    }
  });

  it('refuses ids that do not exist, and another company\u2019s records, as NOT_FOUND', async () => {
    const cases = [
      ['quote', UNKNOWN],
      ['quote', DEMO_ERP.quotes[1].id],
      ['invoice', UNKNOWN],
      ['invoice', DEMO_ERP.invoices[1].id],
      ['project', UNKNOWN],
      ['project', DEMO_ERP.projects[2].id],
      ['task', UNKNOWN],
      ['task', DEMO_ERP.tasks[3].id],
      ['employee', '999999'],
      ['employee', '21'],
      ['employee', '5'], // 21: globex staff; 5: a student, no HR record
    ] as const;
    for (const [type, id] of cases) {
      const { body } = await request('maya.manager', type, id);
      expect(body.errors?.[0]?.extensions?.code, `${type} ${id}`).toBe('NOT_FOUND');
    }
    const { db } = docs;
    const sessions = await db
      .selectFrom('documents.upload_sessions')
      .select('id')
      .where(
        'entity_id',
        'in',
        cases.map(([, id]) => id),
      )
      .execute();
    expect(sessions).toEqual([]);
  });
});
