/**
 * Companies on their own storage servers: an admin points the company at
 * its own WebDAV server or S3 bucket through the API; the settings are
 * checked before they are saved, the secret is kept encrypted and never
 * returned, and every document stays readable on the server it was stored
 * on after the company moves elsewhere.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startS3Server, startWebDavServer, type StorageServer } from '../../../test/storage/storage-servers.js';
import { createLogger } from '../../../platform/logger.js';
import { purgeTrash } from '../jobs/purge-trash.js';
import { DocumentRepository } from '../repositories/document-repository.js';
import { StorageProfileRepository } from '../repositories/storage-profile-repository.js';
import { CompanySecrets } from '../services/company-secrets.js';
import { StorageProfiles } from '../services/storage-profiles.js';
import { EgressPolicy } from '../../../platform/http/egress-policy.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

const DAV_PASSWORD = 'dav-Secret-7731';
let docs: DocumentsPlatform;
let own: StorageServer;
let bucket: StorageServer;
let db: DocumentsPlatform['db'];

beforeAll(async () => {
  [own, bucket] = await Promise.all([startWebDavServer(undefined, { user: 'acme', pass: DAV_PASSWORD }), startS3Server('acme-files')]);
  // Only the local backend is configured on this server: the company brings its own.
  docs = await startDocumentsPlatform();
  db = docs.db;
});
afterAll(async () => {
  await docs?.stop();
  for (const server of [own, bucket]) {
    await server?.stop();
    await server?.remove();
  }
});

const SETTINGS = `{ companyStorageSettings { backend isDefault availableBackends server { url username root bucket region accessKeyId hasSecret } } }`;
const SET = `mutation($input: CompanyStorageSettingsInput!) { setCompanyStorageSettings(input: $input) { backend server { url username root bucket hasSecret } } }`;
const davServer = (secret = DAV_PASSWORD) => ({ url: own.url, username: 'acme', root: '/erp-files', secret });
const s3Server = () => ({ url: bucket.url, bucket: 'acme-files', accessKeyId: 'S3RVER', secret: 'S3RVER' });

async function upload(text: string, documentId?: string): Promise<{ id: string; storageBackend: string }> {
  const input = documentId ? { documentId } : { entityType: 'task', entityId: DEMO_ERP.tasks[0].id, filename: 'ledger.txt' };
  return docs.uploadAs('admin', input, text, 'id storageBackend');
}

async function read(documentId: string, version?: number): Promise<string> {
  const { body } = await docs.call('admin', `{ document(id: "${documentId}") { versions { version downloadUrl } } }`);
  const entry = body.data.document.versions.find((v: { version: number }) => version === undefined || v.version === version);
  const response = await fetch(docs.onService(entry.downloadUrl));
  expect(response.status).toBe(200);
  return response.text();
}

const filesUnder = (directory: string): string[] =>
  readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

describe('a company on its own storage server', () => {
  it('is set up by admins only, after the server was checked, and the secret never comes back', async () => {
    expect((await docs.call('maya.manager', SET, { input: { backend: 'webdav', server: davServer() } })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noServer = await docs.call('admin', SET, { input: { backend: 'webdav' } });
    expect(noServer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongSecret = await docs.call('admin', SET, { input: { backend: 'webdav', server: davServer('not-the-password') } });
    expect(wrongSecret.body.errors?.[0]?.extensions?.code).toBe('REMOTE_UNREACHABLE');
    expect(wrongSecret.body.errors?.[0]?.message).toMatch(/could not be used/);
    const inUrl = await docs.call('admin', SET, { input: { backend: 'webdav', server: { ...davServer(), url: own.url.replace('http://', `http://acme:${DAV_PASSWORD}@`) } } });
    expect(inUrl.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await docs.call('admin', SETTINGS)).body.data.companyStorageSettings).toMatchObject({ backend: 'local', isDefault: true, server: null });

    const set = await docs.call('admin', SET, { input: { backend: 'webdav', server: davServer() } });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setCompanyStorageSettings).toEqual({
      backend: 'webdav',
      server: { url: own.url, username: 'acme', root: '/erp-files', bucket: null, hasSecret: true },
    });
    const shown = await docs.call('admin', SETTINGS);
    expect(shown.body.data.companyStorageSettings).toMatchObject({ availableBackends: ['local'], isDefault: false });
    expect(JSON.stringify(shown.body)).not.toContain(DAV_PASSWORD);
    const [profile] = await db.selectFrom('documents.storage_profiles').selectAll().where('company_id', '=', DEMO_COMPANIES.bheem.id).execute();
    expect(JSON.stringify(profile!.settings)).not.toContain(DAV_PASSWORD);
    expect(profile!.secret_encrypted).toMatch(/^v1:/);
    expect(profile!.secret_encrypted).not.toContain(DAV_PASSWORD);
    // Another company sees nothing of it.
    expect((await docs.call('globex.admin', SETTINGS)).body.data.companyStorageSettings).toMatchObject({ backend: 'local', isDefault: true, server: null });
    // Saving the same server without the secret keeps the stored one (and the same settings).
    const again = await docs.call('admin', SET, { input: { backend: 'webdav', server: { ...davServer(), secret: undefined }, maxFileBytes: 10_000 } });
    expect(again.body.data.setCompanyStorageSettings.server.hasSecret).toBe(true);
    expect(await db.selectFrom('documents.storage_profiles').select('id').where('company_id', '=', DEMO_COMPANIES.bheem.id).execute()).toHaveLength(1);
  });

  it('keeps every document readable on the server it was stored on as the company moves', async () => {
    await docs.call('admin', SET, { input: { backend: 'webdav', server: davServer() } });
    const onDav = await upload('stored on the company WebDAV server');
    expect(onDav.storageBackend).toBe('webdav');
    expect(filesUnder(own.directory).some((file) => file.startsWith(path.join(own.directory, 'erp-files', DEMO_COMPANIES.bheem.id)))).toBe(true);

    const moved = await docs.call('admin', SET, { input: { backend: 's3', server: s3Server() } });
    expect(moved.body.data.setCompanyStorageSettings).toMatchObject({ backend: 's3', server: { url: bucket.url, bucket: 'acme-files', hasSecret: true } });
    const onS3 = await upload('stored in the company bucket');
    expect(onS3.storageBackend).toBe('s3');
    await upload('version two, in the bucket', onDav.id);

    await docs.call('admin', SET, { input: { backend: 'local' } });
    const onLocal = await upload('stored on this server');
    expect(onLocal.storageBackend).toBe('local');

    expect(await read(onDav.id, 1)).toBe('stored on the company WebDAV server');
    expect(await read(onDav.id, 2)).toBe('version two, in the bucket');
    expect(await read(onS3.id)).toBe('stored in the company bucket');
    expect(await read(onLocal.id)).toBe('stored on this server');
    const link = (
      await docs.call('admin', `mutation($at: DateTime!) { createShareLink(documentId: "${onS3.id}", expiresAt: $at) { url } }`, {
        at: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).body.data.createShareLink;
    expect(await (await fetch(docs.onService(link.url))).text()).toBe('stored in the company bucket');

    // Purging removes every version's object from the server it is on.
    const davFiles = filesUnder(own.directory).length;
    await docs.call('admin', `mutation { deleteDocument(id: "${onDav.id}") { id } }`);
    await db
      .updateTable('documents.documents')
      .set({ deleted_at: new Date(Date.now() - 400 * 86_400_000) })
      .where('id', '=', onDav.id)
      .execute();
    const profiles = new StorageProfiles(new StorageProfileRepository(db), new CompanySecrets(docs.platform.config.credentialKey), new EgressPolicy(docs.platform.config.outbound));
    const backends = await createStorageBackends(docs.platform.config.documents, profiles.resolve);
    expect((await purgeTrash(new DocumentRepository(db), backends, 30, createLogger('test'))).purged).toBe(1);
    expect(filesUnder(own.directory)).toHaveLength(davFiles - 1);
    const versionTwo = await db.selectFrom('documents.document_versions').select('id').where('document_id', '=', onDav.id).execute();
    expect(versionTwo).toEqual([]);
  });
});
