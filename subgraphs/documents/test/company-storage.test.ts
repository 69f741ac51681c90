/**
 * Companies store on the backend their configuration names, documents
 * remember theirs, and a backend that is down fails uploads clearly without
 * leaving a Document behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startS3Server, startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { sha256, startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let webdav: StorageServer;
let s3: StorageServer;
let db: DocumentsPlatform['db'];

beforeAll(async () => {
  [webdav, s3] = await Promise.all([startWebDavServer(), startS3Server('documents')]);
  docs = await startDocumentsPlatform(storageEnv({ webdav, s3, bucket: 'documents' }));
  db = docs.db;
  await db
    .insertInto('documents.company_storage')
    .values([
      { company_id: DEMO_COMPANIES.bheem.id, backend: 'webdav', max_file_bytes: null },
      { company_id: DEMO_COMPANIES.globex.id, backend: 's3', max_file_bytes: null },
    ])
    .execute();
});
afterAll(async () => {
  await docs?.stop();
  for (const server of [webdav, s3]) {
    await server?.stop();
    await server?.remove();
  }
});

const FIELDS = 'id storageBackend checksum mimeType downloadUrl';
const onTask = (taskIndex: number) => ({ entityType: 'task', entityId: DEMO_ERP.tasks[taskIndex]!.id, filename: 'report.csv' });

async function roundTrip(username: string, taskIndex: number) {
  const bytes = Buffer.from('region,revenue\nnorth,100\nsouth,250\n');
  const document = await docs.uploadAs(username, onTask(taskIndex), bytes, FIELDS);
  const download = await fetch(docs.onService(document.downloadUrl), { headers: { range: 'bytes=7-' } });
  expect(download.status).toBe(206);
  expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes.subarray(7));
  expect(document).toMatchObject({ checksum: sha256(bytes), mimeType: 'text/csv' });
  return document;
}

const documentCount = () => docs.rowCount('documents.documents');

describe('per-company storage backends', () => {
  it('stores each company\u2019s files on its own backend and reads them back from it', async () => {
    expect((await roundTrip('maya.manager', 0)).storageBackend).toBe('webdav');
    expect((await roundTrip('globex.admin', 3)).storageBackend).toBe('s3');
    // The demo files stay on the backend they were written to.
    const demo = await docs.call('maya.manager', '{ documents(category: "budget") { storageBackend downloadUrl } }');
    expect(demo.body.data.documents[0].storageBackend).toBe('local');
    expect((await fetch(docs.onService(demo.body.data.documents[0].downloadUrl))).status).toBe(200);
  });

  it('answers a clear error when the backend is down, and creates no document', async () => {
    const existing = await roundTrip('maya.manager', 1);
    await webdav.stop();
    const before = await documentCount();
    const { uploadId, uploadUrl } = await docs.ticketAs('maya.manager', { ...onTask(1), size: 5 });
    const put = await docs.putBytes(uploadUrl, Buffer.from('hello'));
    expect(put.status).toBe(503);
    expect((await put.json()).error).toMatch(/webdav storage backend is unavailable/);
    const complete = await docs.completeAs('maya.manager', uploadId, FIELDS);
    expect(complete.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await documentCount()).toBe(before);
    const download = await fetch(docs.onService(existing.downloadUrl));
    expect(download.status).toBe(503);
    const session = await db.selectFrom('documents.upload_sessions').select('status').where('id', '=', uploadId).executeTakeFirstOrThrow();
    expect(session.status).toBe('pending');
  });
});

const SETTINGS = `{ companyStorageSettings { backend isDefault maxFileBytes effectiveMaxFileBytes availableBackends nextcloudShares nextcloudUrl nextcloudUsername hasNextcloudAppPassword updatedAt } }`;
const SET = `mutation($input: CompanyStorageSettingsInput!) {
  setCompanyStorageSettings(input: $input) { backend isDefault maxFileBytes nextcloudShares nextcloudUrl nextcloudUsername hasNextcloudAppPassword }
}`;
const APP_PASSWORD = 'Zq8-app-password-Xk2';

describe('company storage settings through the API', () => {
  it('are for company admins only, each seeing their own company', async () => {
    for (const username of ['maya.manager', 'emil.employee', 'sam.student']) {
      expect((await docs.call(username, SETTINGS)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await docs.call(username, SET, { input: { backend: 'local' } })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const bheem = (await docs.call('admin', SETTINGS)).body.data.companyStorageSettings;
    expect(bheem).toMatchObject({ backend: 'webdav', isDefault: false, availableBackends: ['local', 'webdav', 's3'], hasNextcloudAppPassword: false });
    expect((await docs.call('globex.admin', SETTINGS)).body.data.companyStorageSettings.backend).toBe('s3');
    await docs.call('globex.admin', SET, { input: { backend: 's3', maxFileBytes: 5000 } });
    expect((await docs.call('admin', SETTINGS)).body.data.companyStorageSettings).toEqual(bheem);
  });

  it('refuse unknown backends, bad limits and Nextcloud URLs with credentials', async () => {
    const code = async (input: Record<string, unknown>) => (await docs.call('globex.admin', SET, { input })).body.errors?.[0]?.extensions?.code;
    expect(await code({ backend: 'ftp' })).toBe('BAD_USER_INPUT');
    expect(await code({ backend: 'local', maxFileBytes: 0 })).toBe('BAD_USER_INPUT');
    expect(await code({ backend: 'local', maxFileBytes: 2 * 1024 ** 4 })).toBe('BAD_USER_INPUT');
    expect(await code({ backend: 'webdav', nextcloudShares: true, nextcloudUrl: 'https://u:p@cloud.example.com', nextcloudUsername: 'u', nextcloudAppPassword: 'p' })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code({ backend: 'webdav', nextcloudShares: true, nextcloudUrl: 'http://cloud.example.com', nextcloudUsername: 'u', nextcloudAppPassword: 'p' })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code({ backend: 'webdav', nextcloudShares: true, nextcloudUrl: 'https://cloud.example.com', nextcloudUsername: 'u' })).toBe('BAD_USER_INPUT');
  });

  it('keep the Nextcloud app password encrypted and never return it', async () => {
    const input = { backend: 'webdav', nextcloudShares: true, nextcloudUrl: 'https://cloud.example.com/', nextcloudUsername: 'bheem-docs', nextcloudAppPassword: APP_PASSWORD };
    const set = await docs.call('globex.admin', SET, { input });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setCompanyStorageSettings).toEqual({
      backend: 'webdav',
      isDefault: false,
      maxFileBytes: null,
      nextcloudShares: true,
      nextcloudUrl: 'https://cloud.example.com',
      nextcloudUsername: 'bheem-docs',
      hasNextcloudAppPassword: true,
    });
    const read = await docs.call('globex.admin', SETTINGS);
    expect(JSON.stringify(read.body)).not.toContain(APP_PASSWORD);
    const stored = await db
      .selectFrom('documents.company_storage')
      .select('nextcloud_password_encrypted')
      .where('company_id', '=', DEMO_COMPANIES.globex.id)
      .executeTakeFirstOrThrow();
    expect(stored.nextcloud_password_encrypted).toMatch(/^v1:/);
    expect(stored.nextcloud_password_encrypted).not.toContain(APP_PASSWORD);
    // No field of the type can carry it.
    const type = await docs.call('globex.admin', `{ __type(name: "CompanyStorageSettings") { fields { name } } }`);
    expect(type.body.data.__type.fields.map((f: { name: string }) => f.name).filter((name: string) => /password/i.test(name))).toEqual(['hasNextcloudAppPassword']);
    // Left out, the stored password stays; for another account, it goes.
    const kept = await docs.call('globex.admin', SET, { input: { ...input, nextcloudAppPassword: undefined } });
    expect(kept.body.data.setCompanyStorageSettings.hasNextcloudAppPassword).toBe(true);
    const otherAccount = await docs.call('globex.admin', SET, { input: { backend: 'webdav', nextcloudUrl: input.nextcloudUrl, nextcloudUsername: 'someone-else' } });
    expect(otherAccount.body.data.setCompanyStorageSettings).toMatchObject({ nextcloudShares: false, hasNextcloudAppPassword: false });
  });

  it('send new files to the new backend while existing documents keep theirs', async () => {
    await docs.call('globex.admin', SET, { input: { backend: 's3' } });
    const old = await roundTrip('globex.admin', 3);
    expect(old.storageBackend).toBe('s3');
    const changed = await docs.call('globex.admin', SET, { input: { backend: 'local', maxFileBytes: 1000 } });
    expect(changed.body.data.setCompanyStorageSettings).toMatchObject({ backend: 'local', maxFileBytes: 1000 });
    expect((await roundTrip('globex.admin', 3)).storageBackend).toBe('local');
    const tooBig = await docs.requestUpload('globex.admin', { ...onTask(3), filename: 'big.bin', size: 1001 });
    expect(tooBig.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const again = (await docs.call('globex.admin', `{ document(id: "${old.id}") { storageBackend downloadUrl } }`)).body.data.document;
    expect(again.storageBackend).toBe('s3');
    const download = await fetch(docs.onService(again.downloadUrl));
    expect(download.status).toBe(200);
    expect((await download.text()).startsWith('region,revenue')).toBe(true);
  });
});
