/**
 * Resumable uploads (tus 1.0 over @tus/server): a 200 MB file sent with
 * tus-js-client to each backend (local disk, rclone WebDAV, s3rver), cut
 * mid-request at random points and resumed from the server's Upload-Offset,
 * then read back and checked by SHA-256; tokens that must not work; a wrong
 * checksum; and abandoned partial uploads removed by the cleanup job.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { startS3Server, startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { peakMemoryGrowth } from '../../../test/storage/streams.js';
import { TusTokens } from '../http/tus-tokens.js';
import { cleanupAbandonedUploads } from '../jobs/cleanup-uploads.js';
import { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { createTusStaging } from '../storage/tus-staging.js';
import { documentsSubgraph } from '../subgraph.js';
import { startDocumentsPlatform, sha256, type DocumentsPlatform } from './documents-platform.js';
import { generatedSha256, generatedSlice, uploadInterrupted } from './tus-client.js';

const MB = 1000 * 1000;
const LARGE = 200 * MB;
const CHUNK = 8 * 1024 * 1024;
const MEMORY_BUDGET = 150 * MB;
const PROJECT = DEMO_ERP.projects[0].id;
const GLOBEX_PROJECT = DEMO_ERP.projects[2].id;

const CREATE = `mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId endpoint token expiresAt maxBytes } }`;
const CREATE_VERSION = `mutation($input: RequestDocumentVersionUploadInput!) { createResumableVersionUpload(input: $input) { uploadId endpoint token maxBytes } }`;

let docs: DocumentsPlatform;
let webdav: StorageServer;
let s3: StorageServer;
let stagingDir: string;
let db: DocumentsPlatform['db'];

beforeAll(async () => {
  stagingDir = mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-'));
  [webdav, s3] = await Promise.all([startWebDavServer(), startS3Server('documents')]);
  docs = await startDocumentsPlatform({ ...storageEnv({ webdav, s3 }), DOCUMENTS_RESUMABLE_STAGING_DIR: stagingDir });
  db = docs.db;
});
afterAll(async () => {
  await docs?.stop();
  for (const server of [webdav, s3]) {
    await server?.stop();
    await server?.remove();
  }
  rmSync(stagingDir, { recursive: true, force: true });
});

async function ok(username: string, query: string, variables?: Record<string, unknown>) {
  const { body } = await docs.call(username, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function createResumable(username: string, input: Record<string, unknown>) {
  return (await ok(username, CREATE, { input: { entityType: 'project', entityId: PROJECT, ...input } })).createResumableUpload;
}

/** One tus request, without a body or with a small one. */
async function tus(method: string, url: string, headers: Record<string, string>, body?: Buffer) {
  const target = url.startsWith('/') ? docs.onService(`http://public${url}`) : url.startsWith(docs.platform.config.publicUrl) ? docs.onService(url) : url;
  const response = await fetch(target, {
    method,
    headers: { 'Tus-Resumable': '1.0.0', ...(body && { 'Content-Type': 'application/offset+octet-stream' }), ...headers },
    body: body && new Uint8Array(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function createTus(upload: { endpoint: string; token: string }, length: number) {
  const created = await tus('POST', upload.endpoint, { 'Upload-Token': upload.token, 'Upload-Length': String(length) });
  expect(created.status).toBe(201);
  return created.headers.get('location')!;
}

/** GETs a URL and hashes the body as it streams in. */
function download(url: string): Promise<{ status: number; size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, async (response) => {
        const hash = createHash('sha256');
        let size = 0;
        try {
          for await (const chunk of response) {
            hash.update(chunk as Buffer);
            size += (chunk as Buffer).length;
          }
          resolve({ status: response.statusCode ?? 0, size, sha256: hash.digest('hex') });
        } catch (error) {
          reject(error);
        }
      })
      .once('error', reject);
  });
}

/** Points inside distinct request chunks, a random way into each (never at a chunk's edge). */
function randomCuts(count: number): number[] {
  const chunks = Math.floor(LARGE / CHUNK);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(Math.random() * (chunks - 1)));
  return [...picked].map((chunk) => chunk * CHUNK + Math.floor(CHUNK * (0.2 + Math.random() * 0.6)));
}

describe('a 200 MB resumable upload, interrupted and resumed', () => {
  const expected = generatedSha256(LARGE);

  for (const backend of ['local', 'webdav', 's3'] as const) {
    it(`lands on ${backend} whole, as a document`, { timeout: 300_000 }, async () => {
      await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "${backend}" }) { backend } }`);
      const upload = await createResumable('maya.manager', { filename: `${backend}-large.bin`, size: LARGE, tags: ['tus'] });
      expect(upload.maxBytes).toBe(LARGE);
      expect(upload.endpoint).toMatch(/\/files\/tus$/);
      const started = Date.now();
      const { result, growthBytes } = await peakMemoryGrowth(() =>
        uploadInterrupted({
          endpoint: docs.onService(upload.endpoint),
          token: upload.token,
          total: LARGE,
          chunkSize: CHUNK,
          interruptAt: randomCuts(3),
          label: `tus ${backend}`,
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `tus ${backend}: ${LARGE / MB} MB in ${seconds.toFixed(1)} s with ${result.interruptions.length} interruptions, stored and completed included (RSS +${(growthBytes / MB).toFixed(0)} MB)`,
      );
      // Client and service stream: a few request chunks in memory, never the file.
      expect(growthBytes).toBeLessThan(MEMORY_BUDGET);

      // Each cut resumed from what the server had kept: nothing it had acknowledged lost, nothing unread counted
      // (how much of the request in flight it kept depends on timing: see 'keeps the bytes of a request cut mid-way';
      // the SHA-256 below proves no byte was counted that was not sent).
      expect(result.interruptions).toHaveLength(3);
      for (const { sentAt, resumedFrom, readBeforeResume } of result.interruptions) {
        expect(resumedFrom).toBeGreaterThanOrEqual(Math.floor(sentAt / CHUNK) * CHUNK);
        expect(resumedFrom).toBeLessThanOrEqual(readBeforeResume);
      }
      const documentId = result.lastResponse.getHeader('Document-Id');
      expect(result.lastResponse.getHeader('Document-Sha256')).toBe(expected);

      const { document } = await ok('maya.manager', `query($id: ID!) { document(id: $id) { id filename size checksum storageBackend tags version downloadUrl } }`, {
        id: documentId,
      });
      expect(document).toMatchObject({ filename: `${backend}-large.bin`, size: LARGE, checksum: expected, storageBackend: backend, tags: ['tus'], version: 1 });
      const progress = (await ok('maya.manager', `{ documentUpload(id: "${upload.uploadId}") { status receivedBytes } }`)).documentUpload;
      expect(progress).toEqual({ status: 'completed', receivedBytes: LARGE });
      // Completion by GraphQL as well answers the same document (one completion for both ways of uploading).
      expect((await ok('maya.manager', `mutation { completeDocumentUpload(uploadId: "${upload.uploadId}") { id } }`)).completeDocumentUpload.id).toBe(documentId);

      const read = await download(docs.onService(document.downloadUrl));
      expect(read).toEqual({ status: 200, size: LARGE, sha256: expected });
      // Nothing stays staged once the file is stored.
      expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(false);
      // A client that lost the final answer and asks again sees the upload whole.
      const head = await tus('HEAD', `/files/tus/${upload.uploadId}`, { 'Upload-Token': upload.token });
      expect([head.status, head.headers.get('upload-offset')]).toEqual([200, String(LARGE)]);
    });
  }

  it('keeps the bytes of a request cut mid-way, and resumes after them', async () => {
    await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "local" }) { backend } }`);
    const total = 4 * 1024 * 1024;
    const upload = await createResumable('maya.manager', { filename: 'cut.bin', size: total, checksum: generatedSha256(total) });
    const location = await createTus(upload, total);
    const staged = path.join(stagingDir, upload.uploadId);
    // A PATCH announcing the whole file, of which 1.5 MB arrive before the connection drops.
    const request = http.request(docs.onService(`http://public${location}`), {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Token': upload.token, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(total) },
    });
    request.on('error', () => {});
    request.write(generatedSlice(0, 1_500_000));
    while (!existsSync(staged) || statSync(staged).size < 1_500_000) await new Promise((resolve) => setTimeout(resolve, 20));
    request.destroy();
    let offset = 0;
    // The server lets go of the cut request (its lock) and answers where to go on.
    while (offset === 0) offset = Number((await tus('HEAD', location, { 'Upload-Token': upload.token })).headers.get('upload-offset'));
    expect(offset).toBe(1_500_000);
    const rest = await tus('PATCH', location, { 'Upload-Token': upload.token, 'Upload-Offset': String(offset) }, generatedSlice(offset, total));
    expect([rest.status, rest.headers.get('document-sha256')]).toEqual([204, generatedSha256(total)]);
  });

  it('adds a new version the same way', async () => {
    await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "local" }) { backend } }`);
    const first = Buffer.from('version one');
    const upload = await createResumable('maya.manager', { filename: 'plan.txt', size: first.length, checksum: sha256(first) });
    const location = await createTus(upload, first.length);
    const finished = await tus('PATCH', location, { 'Upload-Token': upload.token, 'Upload-Offset': '0' }, first);
    expect(finished.status).toBe(204);
    const documentId = finished.headers.get('document-id')!;
    const second = Buffer.from('version two, longer');
    const next = (await ok('maya.manager', CREATE_VERSION, { input: { documentId, size: second.length, replacesVersion: 1 } })).createResumableVersionUpload;
    const nextLocation = await createTus(next, second.length);
    const half = second.length >> 1;
    expect((await tus('PATCH', nextLocation, { 'Upload-Token': next.token, 'Upload-Offset': '0' }, second.subarray(0, half))).status).toBe(204);
    const head = await tus('HEAD', nextLocation, { 'Upload-Token': next.token });
    expect(head.headers.get('upload-offset')).toBe(String(half));
    const last = await tus('PATCH', nextLocation, { 'Upload-Token': next.token, 'Upload-Offset': String(half) }, second.subarray(half));
    expect([last.status, last.headers.get('document-id'), last.headers.get('document-version')]).toEqual([204, documentId, '2']);
    const { document } = await ok('maya.manager', `query($id: ID!) { document(id: $id) { version checksum size } }`, { id: documentId });
    expect(document).toEqual({ version: 2, checksum: sha256(second), size: second.length });
  });
});

describe('who may upload', () => {
  it('is checked at creation exactly as for a signed upload', async () => {
    const student = await docs.call('sam.student', CREATE, { input: { entityType: 'project', entityId: PROJECT, filename: 'x.bin', size: 10 } });
    expect(student.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherCompanysRecord = await docs.call('globex.admin', CREATE, { input: { entityType: 'project', entityId: PROJECT, filename: 'x.bin', size: 10 } });
    expect(otherCompanysRecord.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const tooLarge = await docs.call('maya.manager', CREATE, { input: { entityType: 'project', entityId: PROJECT, filename: 'x.bin', size: 2 * 1024 ** 4 } });
    expect(tooLarge.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("refuses tus requests without the upload token, with another upload's or another company's, or an expired one", async () => {
    const mine = await createResumable('maya.manager', { filename: 'mine.bin', size: 8 });
    const location = await createTus(mine, 8);
    expect((await tus('PATCH', location, { 'Upload-Offset': '0' }, Buffer.from('12345678'))).status).toBe(401);
    expect((await tus('PATCH', location, { 'Upload-Token': 'not-a-token', 'Upload-Offset': '0' }, Buffer.from('12345678'))).status).toBe(401);
    // A token forged with another key, however well formed.
    const forged = await new TusTokens('not the secret').sign(mine.uploadId, { userId: 'x', companyId: 'y', roles: ['admin'] }, new Date(Date.now() + 60_000));
    expect((await tus('HEAD', location, { 'Upload-Token': forged })).status).toBe(401);
    const colleague = await createResumable('maya.manager', { filename: 'other.bin', size: 8 });
    expect((await tus('PATCH', location, { 'Upload-Token': colleague.token, 'Upload-Offset': '0' }, Buffer.from('12345678'))).status).toBe(403);
    const globex = (await ok('globex.admin', CREATE, { input: { entityType: 'project', entityId: GLOBEX_PROJECT, filename: 'g.bin', size: 8 } })).createResumableUpload;
    expect((await tus('HEAD', location, { 'Upload-Token': globex.token })).status).toBe(403);
    expect((await tus('DELETE', location, { 'Upload-Token': globex.token })).status).toBe(403);
    const signer = new TusTokens(docs.platform.config.documents.urlSigningSecret);
    const viewer = { userId: 'maya', companyId: 'bheem', roles: ['manager'] };
    const expired = await signer.sign(mine.uploadId, viewer, new Date(Date.now() - 1000));
    const refused = await tus('PATCH', location, { 'Upload-Token': expired, 'Upload-Offset': '0' }, Buffer.from('12345678'));
    expect([refused.status, JSON.parse(refused.text).error]).toEqual([401, 'The upload token has expired']);
    // None of that moved a byte.
    expect((await tus('HEAD', location, { 'Upload-Token': mine.token })).headers.get('upload-offset')).toBe('0');
    // A second creation with the same token is refused; the length must be the declared one.
    expect((await tus('POST', mine.endpoint, { 'Upload-Token': mine.token, 'Upload-Length': '8' })).status).toBe(409);
    expect((await tus('POST', colleague.endpoint, { 'Upload-Token': colleague.token, 'Upload-Length': '9' })).status).toBe(413);
    // Extensions we do not offer (a deferred length, concatenation) are the client's error, not a 5xx; the upload may still be created.
    const extensions: Record<string, string>[] = [{ 'Upload-Defer-Length': '1' }, { 'Upload-Concat': 'partial' }, { 'Upload-Concat': 'final;/files/tus/a /files/tus/b' }];
    for (const extension of extensions) {
      const refused = await tus('POST', colleague.endpoint, { 'Upload-Token': colleague.token, 'Upload-Length': '8', ...extension });
      expect([refused.status, refused.text], JSON.stringify(extension)).toEqual([
        400,
        JSON.stringify({ error: 'Upload-Defer-Length and Upload-Concat are not supported: send Upload-Length, the declared size' }),
      ]);
    }
    const created = await tus('POST', colleague.endpoint, { 'Upload-Token': colleague.token, 'Upload-Length': '8' });
    expect(created.status).toBe(201);
    // Upload-Length on a PATCH is how a client gives a deferred length: refused as such (tus said 501), nothing written.
    const located = created.headers.get('location')!;
    for (const length of ['8', '4']) {
      const deferred = await tus('PATCH', located, { 'Upload-Token': colleague.token, 'Upload-Offset': '0', 'Upload-Length': length }, Buffer.from('1234'));
      expect([deferred.status, deferred.text], length).toEqual([400, 'Not supported here: creation-defer-length extension is not (yet) supported.\n']);
    }
    expect((await tus('HEAD', located, { 'Upload-Token': colleague.token })).headers.get('upload-offset')).toBe('0');
  });
});

describe('checksums', () => {
  it('refuses a file whose bytes differ from the SHA-256 declared at creation, and lets it start over', async () => {
    const body = Buffer.from('the real bytes');
    const upload = await createResumable('maya.manager', { filename: 'sum.txt', size: body.length, checksum: sha256(Buffer.from('other bytes!!!')) });
    const location = await createTus(upload, body.length);
    const refused = await tus('PATCH', location, { 'Upload-Token': upload.token, 'Upload-Offset': '0' }, body);
    expect(refused.status).toBe(460);
    expect((await ok('maya.manager', `{ documentUpload(id: "${upload.uploadId}") { status } }`)).documentUpload.status).toBe('pending');
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(false);
    // Started over with the same token: refused again for the same reason, never stored.
    const again = await createTus(upload, body.length);
    expect((await tus('PATCH', again, { 'Upload-Token': upload.token, 'Upload-Offset': '0' }, body)).status).toBe(460);
    const listed = (await ok('maya.manager', `{ documents(entityType: "project", entityId: "${PROJECT}", search: "sum.txt") { id } }`)).documents;
    expect(listed).toEqual([]);
  });
});

describe('uploads finished by their creation', () => {
  // tus read the upload again after it was stored (for an Upload-Expires header) and found its staged bytes gone:
  // a 404 for a stored file, so the client started again into a 409.
  it('an empty file, and a file sent whole with its POST (creation-with-upload): 201 with the document', async () => {
    const whole = Buffer.from('sent whole with the POST');
    for (const body of [Buffer.alloc(0), whole]) {
      const upload = await createResumable('maya.manager', { filename: `whole-${body.length}.txt`, size: body.length, checksum: sha256(body) });
      const created = await tus(
        'POST',
        upload.endpoint,
        { 'Upload-Token': upload.token, 'Upload-Length': String(body.length), ...(body.length > 0 && { 'Content-Type': 'application/offset+octet-stream' }) },
        body.length > 0 ? body : undefined,
      );
      expect([created.status, created.headers.get('document-sha256')], `${body.length} bytes`).toEqual([201, sha256(body)]);
      const documentId = created.headers.get('document-id');
      const { document } = await ok('maya.manager', `{ document(id: "${documentId}") { size downloadUrl } }`);
      expect(document.size).toBe(body.length);
      const read = await download(docs.onService(document.downloadUrl));
      expect([read.status, read.sha256]).toEqual([200, sha256(body)]);
    }
  });
});

describe('termination and expiration', () => {
  it('a terminated upload loses its staged bytes and may be created again', async () => {
    const upload = await createResumable('maya.manager', { filename: 'gone.bin', size: 10 });
    const location = await createTus(upload, 10);
    await tus('PATCH', location, { 'Upload-Token': upload.token, 'Upload-Offset': '0' }, generatedSlice(0, 4));
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(true);
    expect((await tus('DELETE', location, { 'Upload-Token': upload.token })).status).toBe(204);
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(false);
    expect((await tus('HEAD', location, { 'Upload-Token': upload.token })).status).toBe(404);
    await createTus(upload, 10);
  });

  it('abandoned partial uploads are removed by the cleanup job, and so are expired staged ones', async () => {
    const upload = await createResumable('maya.manager', { filename: 'half.bin', size: 1000 });
    const location = await createTus(upload, 1000);
    expect((await tus('PATCH', location, { 'Upload-Token': upload.token, 'Upload-Offset': '0' }, generatedSlice(0, 400))).status).toBe(204);
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(true);
    const sessions = new UploadSessionRepository(db);
    const backends = await createStorageBackends(docs.platform.config.documents);
    const log = createLogger('test');
    const { resumableUploadTtlSeconds } = docs.platform.config.documents;
    const staging = createTusStaging(stagingDir, resumableUploadTtlSeconds);
    // Not yet: the upload may still be resumed.
    await cleanupAbandonedUploads(sessions, backends, log, { staging });
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(true);
    const later = new Date(Date.now() + (resumableUploadTtlSeconds + 2 * 86_400) * 1000);
    expect((await cleanupAbandonedUploads(sessions, backends, log, { now: later, staging })).removed).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(stagingDir, upload.uploadId))).toBe(false);
    expect(existsSync(path.join(stagingDir, `${upload.uploadId}.json`))).toBe(false);
    expect((await tus('HEAD', location, { 'Upload-Token': upload.token })).status).toBe(404);
    expect((await ok('maya.manager', `{ documentUpload(id: "${upload.uploadId}") { status } }`)).documentUpload).toBeNull();

    // tus' own expiration: a staged upload past it goes, whatever its session.
    const stale = await createResumable('maya.manager', { filename: 'stale.bin', size: 50 });
    const staleLocation = await createTus(stale, 50);
    await tus('PATCH', staleLocation, { 'Upload-Token': stale.token, 'Upload-Offset': '0' }, generatedSlice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const expiring = createTusStaging(stagingDir, 0.01);
    expect((await cleanupAbandonedUploads(sessions, backends, log, { staging: expiring })).expiredStaged).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(stagingDir, stale.uploadId))).toBe(false);
  });
});

describe('several replicas', () => {
  /** Another documents process on the same database, with its own staging directory (its own disk). */
  async function startReplica() {
    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const directory = mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-replica-'));
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      ...storageEnv({ webdav, s3 }),
      DATABASE_URL: docs.platform.database.url,
      DOCUMENTS_RESUMABLE_STAGING_DIR: directory,
      DOCUMENTS_INTERNAL_URL: url,
    };
    const config = loadConfig(env);
    config.subgraphUrls = { ...docs.platform.config.subgraphUrls };
    const running = await startSubgraph(documentsSubgraph, { config, databaseUrl: docs.platform.database.url, log: createLogger('test') }, { port });
    return { url, directory, stop: () => running.stop(), remove: () => rmSync(directory, { recursive: true, force: true }) };
  }
  const at = (replica: { url: string }, url: string) => `${replica.url}${new URL(url, 'http://public').pathname}`;

  it('go on with an upload wherever its requests land, the bytes staying on the replica that created it', async () => {
    await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "local" }) { backend } }`);
    const [one, two] = [await startReplica(), await startReplica()];
    try {
      const body = generatedSlice(0, 3000);
      const upload = await createResumable('maya.manager', { filename: 'replicas.bin', size: body.length, checksum: sha256(body) });
      const headers = { 'Upload-Token': upload.token };
      const created = await tus('POST', at(one, upload.endpoint), { ...headers, 'Upload-Length': String(body.length) });
      expect(created.status).toBe(201);
      const location = created.headers.get('location')!;
      expect((await tus('PATCH', at(one, location), { ...headers, 'Upload-Offset': '0' }, body.subarray(0, 1000))).status).toBe(204);
      // The other replica answers for the one that holds the bytes.
      expect((await tus('HEAD', at(two, location), headers)).headers.get('upload-offset')).toBe('1000');
      expect((await tus('PATCH', at(two, location), { ...headers, 'Upload-Offset': '1000' }, body.subarray(1000, 2000))).status).toBe(204);
      expect((await tus('POST', at(two, upload.endpoint), { ...headers, 'Upload-Length': String(body.length) })).status).toBe(409);
      expect(existsSync(path.join(two.directory, upload.uploadId))).toBe(false);
      const last = await tus('PATCH', at(two, location), { ...headers, 'Upload-Offset': '2000' }, body.subarray(2000));
      expect([last.status, last.headers.get('document-sha256')]).toEqual([204, sha256(body)]);
      expect(existsSync(path.join(one.directory, upload.uploadId))).toBe(false);

      // The replica holding the bytes stops: they are lost, and the upload starts again elsewhere.
      const again = await createResumable('maya.manager', { filename: 'replicas-2.bin', size: body.length });
      const againHeaders = { 'Upload-Token': again.token };
      const first = (await tus('POST', at(one, again.endpoint), { ...againHeaders, 'Upload-Length': String(body.length) })).headers.get('location')!;
      await tus('PATCH', at(one, first), { ...againHeaders, 'Upload-Offset': '0' }, body.subarray(0, 1500));
      await one.stop();
      expect((await tus('HEAD', at(two, first), againHeaders)).status).toBe(410);
      const restarted = await tus('POST', at(two, again.endpoint), { ...againHeaders, 'Upload-Length': String(body.length) });
      expect(restarted.status).toBe(201);
      const done = await tus('PATCH', at(two, restarted.headers.get('location')!), { ...againHeaders, 'Upload-Offset': '0' }, body);
      expect([done.status, done.headers.get('document-sha256')]).toEqual([204, sha256(body)]);
    } finally {
      await one.stop().catch(() => {});
      await two.stop();
      one.remove();
      two.remove();
    }
  });
});
