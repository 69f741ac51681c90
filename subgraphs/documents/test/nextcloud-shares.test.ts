/**
 * Share links as Nextcloud shares (OCS Share API) for companies that ask for
 * them, against a loopback double of the OCS endpoints over the files that
 * `rclone serve webdav` serves: created and deleted there, remembered here,
 * announced, and never served by our own share URL. A trash that is refused
 * leaves them alive there too; a move where their maker may not read ends them,
 * and so does the periodic judging when the document left its maker's reach
 * another way (a relink without moveDocument; an older share's pinned record;
 * the maker's enrolment in the course suspended in Moodle).
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startNextcloudOcsDouble, type NextcloudOcsDouble } from '../../../test/storage/nextcloud-ocs-double.js';
import { startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { ShareTokens } from '../services/share-tokens.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';
import { whileRowHeld } from './held-row.js';
import { CourseAccess } from '../../../platform/federation/course-access.js';
import { EntityReferences } from '../../../platform/federation/entity-references.js';
import { EgressPolicy } from '../../../platform/http/egress-policy.js';
import { createLogger } from '../../../platform/logger.js';
import { NextcloudShareJudge } from '../jobs/judge-nextcloud-shares.js';
import { ActivityRepository } from '../repositories/activity-repository.js';
import { CompanyStorageRepository } from '../repositories/company-storage-repository.js';
import { DocumentRepository } from '../repositories/document-repository.js';
import { ShareLinkRepository } from '../repositories/share-link-repository.js';
import { StorageProfileRepository } from '../repositories/storage-profile-repository.js';
import { CompanySecrets } from '../services/company-secrets.js';
import { DocumentAccess } from '../services/document-access.js';
import { ActivityTrail } from '../services/document-activity.js';
import { NextcloudShareAccounts } from '../services/nextcloud-share-accounts.js';
import { StorageProfiles } from '../services/storage-profiles.js';
import { createStorageBackends, type StorageBackends } from '../storage/storage-backends.js';

const USERNAME = 'bheem-docs';
const APP_PASSWORD = 'K7p2-xq9M-app-password';
let docs: DocumentsPlatform;
let webdav: StorageServer;
let nextcloud: NextcloudOcsDouble;
let db: DocumentsPlatform['db'];
let backends: StorageBackends;

const SET = `mutation($input: CompanyStorageSettingsInput!) { setCompanyStorageSettings(input: $input) { nextcloudShares hasNextcloudAppPassword } }`;
const SHARE = `mutation($id: ID!, $expiresAt: DateTime!, $password: String) {
  createShareLink(documentId: $id, expiresAt: $expiresAt, password: $password) { id url provider hasPassword expiresAt revokedAt }
}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const settings = (appPassword = APP_PASSWORD) => ({
  backend: 'webdav',
  nextcloudShares: true,
  nextcloudUrl: nextcloud.url,
  nextcloudUsername: USERNAME,
  nextcloudAppPassword: appPassword,
});

beforeAll(async () => {
  webdav = await startWebDavServer();
  nextcloud = await startNextcloudOcsDouble({ username: USERNAME, appPassword: APP_PASSWORD, filesDirectory: webdav.directory });
  docs = await startDocumentsPlatform(storageEnv({ webdav }));
  db = docs.db;
  const config = docs.platform.config;
  const secrets = new CompanySecrets(config.credentialKey, config.previousKeys.credential);
  backends = await createStorageBackends(config.documents, new StorageProfiles(new StorageProfileRepository(db), secrets, new EgressPolicy(config.outbound)).resolve);
  const { body } = await docs.call('admin', SET, { input: settings() });
  expect(body.data.setCompanyStorageSettings).toEqual({ nextcloudShares: true, hasNextcloudAppPassword: true });
});
afterAll(async () => {
  await docs?.stop();
  await nextcloud?.stop();
  await webdav?.stop();
  await webdav?.remove();
});

async function upload(text: string) {
  const document = await docs.uploadAs('maya.manager', { entityType: 'task', entityId: DEMO_ERP.tasks[0].id, filename: 'offer.txt' }, text, 'id storageBackend');
  expect(document.storageBackend).toBe('webdav');
  return document.id as string;
}

const linkCount = () => docs.rowCount('documents.share_links');

async function shareOf(who: string, documentId: string) {
  const created = await docs.call(who, SHARE, { id: documentId, expiresAt: inDays(1) });
  expect(created.body.errors).toBeUndefined();
  const link = created.body.data.createShareLink;
  const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', link.id).executeTakeFirstOrThrow();
  return { ...link, externalId: row.external_id! } as { id: string; url: string; externalId: string };
}

/** The judging the documents service runs with its periodic jobs, as it builds it, run here by hand. */
function shareJudge(): NextcloudShareJudge {
  const config = docs.platform.config;
  const egress = new EgressPolicy(config.outbound);
  const secrets = new CompanySecrets(config.credentialKey, config.previousKeys.credential);
  const accounts = new NextcloudShareAccounts(new CompanyStorageRepository(db), secrets, backends, egress);
  return new NextcloudShareJudge({
    db,
    documents: new DocumentRepository(db),
    links: new ShareLinkRepository(db),
    accounts,
    accessFor: (viewer) => new DocumentAccess(viewer, new CourseAccess(config, viewer), new EntityReferences(config, viewer, 'erp')),
    activity: new ActivityTrail(new ActivityRepository(db)),
    log: createLogger('test'),
  });
}

describe('Nextcloud shares', () => {
  it('are created through the OCS API, served by Nextcloud, and revoked there', async () => {
    const documentId = await upload('the offer, as sent');
    const expiresAt = inDays(5);
    const created = await docs.call('maya.manager', SHARE, { id: documentId, expiresAt });
    expect(created.body.errors).toBeUndefined();
    const link = created.body.data.createShareLink;
    expect(link).toMatchObject({ provider: 'nextcloud', hasPassword: false, revokedAt: null });
    expect(link.url).toMatch(new RegExp(`^${nextcloud.url}/s/[0-9a-f]+$`));

    const row = await db.selectFrom('documents.share_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    const share = nextcloud.shares.get(row.external_id!)!;
    const key = (await db.selectFrom('documents.documents').select('storage_key').where('id', '=', documentId).executeTakeFirstOrThrow()).storage_key;
    expect(share).toMatchObject({ path: `/bheem/${key}`, shareType: 3, permissions: 1, expireDate: expiresAt.slice(0, 10), password: null });
    expect(row).toMatchObject({ provider: 'nextcloud', external_url: link.url });
    expect(nextcloud.requests.every((request) => request.authorized && request.ocsHeader)).toBe(true);

    const download = await fetch(`${link.url}/download`);
    expect(await download.text()).toBe('the offer, as sent');
    // Our own share URL never serves a Nextcloud share.
    const ours = new ShareTokens(docs.platform.config.documents.urlSigningSecret, docs.platform.config.publicUrl).urlOf(link.id);
    expect((await fetch(docs.onService(ours))).status).toBe(404);

    const revoked = await docs.call('maya.manager', `mutation { revokeShareLink(id: "${link.id}") { revokedAt provider } }`);
    expect(revoked.body.data.revokeShareLink.revokedAt).not.toBeNull();
    expect(nextcloud.shares.has(row.external_id!)).toBe(false);
    expect((await fetch(`${link.url}/download`)).status).toBe(404);

    const { rows } = await sql<{ topic: string; payload: any }>`
      SELECT topic, payload FROM events.outbox WHERE topic LIKE 'documents.share.%' AND payload->>'share_id' = ${link.id} ORDER BY position`.execute(db);
    expect(rows.map((event) => [event.topic, event.payload.provider])).toEqual([
      ['documents.share.created', 'nextcloud'],
      ['documents.share.revoked', 'nextcloud'],
    ]);
  });

  it('pass the password to Nextcloud, whose policy may refuse it, and keep no link then', async () => {
    const documentId = await upload('priced offer');
    const before = await linkCount();
    const weak = await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(2), password: 'nine char' });
    expect(weak.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(weak.body.errors?.[0]?.message).toMatch(/at least 10 characters/);
    expect(await linkCount()).toBe(before);
    const strong = await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(2), password: 'a long passphrase' });
    expect(strong.body.data.createShareLink).toMatchObject({ provider: 'nextcloud', hasPassword: true });
    const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', strong.body.data.createShareLink.id).executeTakeFirstOrThrow();
    expect(nextcloud.shares.get(row.external_id!)!.password).toBe('a long passphrase');
  });

  it('are deleted in Nextcloud when the document goes to the trash', async () => {
    const documentId = await upload('to be trashed');
    const link = (await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) })).body.data.createShareLink;
    const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(nextcloud.shares.has(row.external_id!)).toBe(true);
    await docs.call('maya.manager', `mutation { deleteDocument(id: "${documentId}") { id } }`);
    expect(nextcloud.shares.has(row.external_id!)).toBe(false);
    const restored = await docs.call('maya.manager', `mutation { restoreDocument(id: "${documentId}") { shareLinks { id revokedAt } } }`);
    expect(restored.body.data.restoreDocument.shareLinks[0].revokedAt).not.toBeNull();
  });

  it('stay, there and here, when a write committed while the trash waited makes it refuse', async () => {
    const documentId = await upload('raced to the trash');
    const link = (await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) })).body.data.createShareLink;
    const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', link.id).executeTakeFirstOrThrow();
    // Moved to Maya's HR record while her deleteDocument waits for the row: the trash was judged elsewhere, and is refused.
    const trash = () => docs.call('maya.manager', `mutation { deleteDocument(id: "${documentId}") { id } }`);
    const answer = await whileRowHeld(db, documentId, trash, async (trx) => {
      await sql`update documents.documents set entity_type = 'employee', entity_id = '8' where id = ${documentId}`.execute(trx);
    });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const document = await db.selectFrom('documents.documents').select('deleted_at').where('id', '=', documentId).executeTakeFirstOrThrow();
    expect(document.deleted_at).toBeNull();
    expect(nextcloud.shares.has(row.external_id!)).toBe(true);
    expect(await (await fetch(`${link.url}/download`)).text()).toBe('raced to the trash');
    const listed = await docs.call('maya.manager', `{ document(id: "${documentId}") { shareLinks { id revokedAt } } }`);
    expect(listed.body.data.document.shareLinks).toEqual([{ id: link.id, revokedAt: null }]);
  });

  it('are revoked, there and here, when the document moves where their maker may not read it', async () => {
    const documentId = await upload('task notes, shared');
    const share = async (who: string) => {
      const link = (await docs.call(who, SHARE, { id: documentId, expiresAt: inDays(1) })).body.data.createShareLink;
      const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', link.id).executeTakeFirstOrThrow();
      return { ...link, externalId: row.external_id! };
    };
    const emils = await share('emil.employee');
    const mayas = await share('maya.manager');
    // To Maya's HR record: Emil may not read it; Maya may.
    const moved = await docs.call('maya.manager', `mutation { moveDocument(id: "${documentId}", entityType: "employee", entityId: "8") { id } }`);
    expect(moved.body.errors).toBeUndefined();
    expect(nextcloud.shares.has(emils.externalId)).toBe(false);
    expect((await fetch(`${emils.url}/download`)).status).toBe(404);
    expect(await (await fetch(`${mayas.url}/download`)).text()).toBe('task notes, shared');
    const listed = await docs.call('maya.manager', `{ document(id: "${documentId}") { shareLinks { id revokedAt } } }`);
    const revokedAt = Object.fromEntries(listed.body.data.document.shareLinks.map((link: { id: string; revokedAt: string | null }) => [link.id, link.revokedAt]));
    expect(revokedAt[emils.id]).not.toBeNull();
    expect(revokedAt[mayas.id]).toBeNull();
    const trail = await db
      .selectFrom('documents.document_activity')
      .select(['action', 'details'])
      .where('document_id', '=', documentId)
      .where('action', '=', 'share_revoked')
      .execute();
    expect(trail).toEqual([{ action: 'share_revoked', details: { shareLinkId: emils.id, reason: 'its maker may not read documents of employee 8' } }]);
  });

  it('are revoked, there and here, by the next judging when the document left their maker’s reach another way', async () => {
    const documentId = await upload('moved another way');
    const emils = await shareOf('emil.employee', documentId);
    const mayas = await shareOf('maya.manager', documentId);
    const judge = shareJudge();
    expect(await judge.run()).toEqual({ revoked: 0 });
    expect(nextcloud.shares.has(emils.externalId)).toBe(true);

    // Relinked to Maya's HR record without moveDocument (as a repair or an import would): Emil may not read it there.
    await db.updateTable('documents.documents').set({ entity_type: 'employee', entity_id: '8' }).where('id', '=', documentId).execute();
    expect(await judge.run()).toEqual({ revoked: 1 });
    expect(nextcloud.shares.has(emils.externalId)).toBe(false);
    expect((await fetch(`${emils.url}/download`)).status).toBe(404);
    expect(await (await fetch(`${mayas.url}/download`)).text()).toBe('moved another way');
    const listed = await docs.call('maya.manager', `{ document(id: "${documentId}") { shareLinks { id status } } }`);
    expect(Object.fromEntries(listed.body.data.document.shareLinks.map((link: { id: string; status: string }) => [link.id, link.status]))).toEqual({
      [emils.id]: 'REVOKED',
      [mayas.id]: 'SERVING',
    });
    const trail = await db
      .selectFrom('documents.document_activity')
      .select(['action', 'details'])
      .where('document_id', '=', documentId)
      .where('action', '=', 'share_revoked')
      .execute();
    expect(trail).toEqual([{ action: 'share_revoked', details: { shareLinkId: emils.id, reason: 'its maker may not read documents of employee 8' } }]);
    const announced = await sql<{ count: string }>`select count(*) from events.outbox where topic = 'documents.share.revoked' and payload->>'share_id' = ${emils.id}`.execute(db);
    expect(announced.rows[0]!.count).toBe('1');
    // Judged again: nothing more to revoke.
    expect(await judge.run()).toEqual({ revoked: 0 });
  });

  it('are revoked by the next judging when an older share’s document left the record it was pinned to', async () => {
    const documentId = await upload('an older share');
    const older = await shareOf('maya.manager', documentId);
    // As a share from before makers were kept, pinned to the task by the migration.
    await db
      .updateTable('documents.share_links')
      .set({ created_by_roles: null, legacy_attachment: `task:${DEMO_ERP.tasks[0].id}` })
      .where('id', '=', older.id)
      .execute();
    expect(await shareJudge().run()).toEqual({ revoked: 0 });
    await db.updateTable('documents.documents').set({ entity_id: DEMO_ERP.tasks[1].id }).where('id', '=', documentId).execute();
    expect(await shareJudge().run()).toEqual({ revoked: 1 });
    expect(nextcloud.shares.has(older.externalId)).toBe(false);
  });

  it('are revoked by the next judging when their maker’s role in the course ends in academy', async () => {
    const document = await docs.uploadAs('tara.teacher', { entityType: 'course', entityId: '101', filename: 'handout.txt' }, 'course handout', 'id storageBackend');
    expect(document.storageBackend).toBe('webdav');
    const taras = await shareOf('tara.teacher', document.id);
    expect(await shareJudge().run()).toEqual({ revoked: 0 });
    // Tara's enrolment in PHY101 suspended in Moodle: academy no longer gives her a role there (and announces nothing).
    const moodle = db.withSchema(docs.platform.config.moodle.schema) as unknown as Kysely<any>;
    const enrol = await moodle.selectFrom('mdl_enrol').select('id').where('courseid', '=', '101').executeTakeFirstOrThrow();
    const enrolment = await moodle.selectFrom('mdl_user_enrolments').selectAll().where('enrolid', '=', enrol.id).where('userid', '=', '3').executeTakeFirstOrThrow();
    await moodle.updateTable('mdl_user_enrolments').set({ status: 1 }).where('id', '=', enrolment.id).execute();
    try {
      expect(await shareJudge().run()).toEqual({ revoked: 1 });
      expect(nextcloud.shares.has(taras.externalId)).toBe(false);
    } finally {
      await moodle.updateTable('mdl_user_enrolments').set({ status: enrolment.status }).where('id', '=', enrolment.id).execute();
    }
  });

  it('leave documents on other backends to our own links', async () => {
    const local = DEMO_DOCUMENTS.find((document) => document.company === 'bheem' && document.entityType === 'project')!;
    const link = (await docs.call('maya.manager', SHARE, { id: local.id, expiresAt: inDays(1) })).body.data.createShareLink;
    expect(link.provider).toBe('documents');
    expect((await fetch(docs.onService(link.url))).status).toBe(200);
  });

  it('can still be revoked after the company turns new Nextcloud shares off', async () => {
    const documentId = await upload('shared before the switch');
    const link = (await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) })).body.data.createShareLink;
    const row = await db.selectFrom('documents.share_links').select('external_id').where('id', '=', link.id).executeTakeFirstOrThrow();
    const off = await docs.call('admin', SET, { input: { ...settings(), nextcloudShares: false, nextcloudAppPassword: undefined } });
    expect(off.body.data.setCompanyStorageSettings).toEqual({ nextcloudShares: false, hasNextcloudAppPassword: true });
    expect((await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) })).body.data.createShareLink.provider).toBe('documents');
    const revoked = await docs.call('maya.manager', `mutation { revokeShareLink(id: "${link.id}") { revokedAt } }`);
    expect(revoked.body.errors).toBeUndefined();
    expect(nextcloud.shares.has(row.external_id!)).toBe(false);
    await docs.call('admin', SET, { input: settings() });
  });

  it('fail clearly, keeping no link, when Nextcloud refuses the account or is down', async () => {
    const documentId = await upload('unshareable');
    const before = await linkCount();
    await docs.call('admin', SET, { input: settings('not-the-app-password') });
    const refused = await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(refused.body.errors?.[0]?.message).toMatch(/refused the company's account \(bheem-docs\)/);
    expect(JSON.stringify(refused.body)).not.toContain('not-the-app-password');
    await docs.call('admin', SET, { input: settings() });
    await nextcloud.stop();
    const down = await docs.call('maya.manager', SHARE, { id: documentId, expiresAt: inDays(1) });
    expect(down.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(down.body.errors?.[0]?.message).toMatch(/Nextcloud cannot be reached/);
    expect(await linkCount()).toBe(before);
  });
});
