/**
 * The documents subgraph behind the real gateway: entity fields planned
 * across subgraphs (Task and Project from erp, Course with `viewerRole`
 * required from academy) and file transfers forwarded under /files/.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { MEMORY_BUDGET_BYTES } from '../../../test/storage/storage-contract.js';
import { generated, peakMemoryGrowth, putStream } from '../../../test/storage/streams.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { sha256 } from './documents-platform.js';

let platform: TestPlatform;
let onGateway: (publicUrl: string) => string;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'documents'] });
  platform.config.subgraphUrls.academy = platform.subgraphs.academy!.url;
  // What PUBLIC_URL does in production: signed URLs name the gateway.
  const gateway = new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')).origin;
  onGateway = (publicUrl) => `${gateway}${new URL(publicUrl).pathname}${new URL(publicUrl).search}`;
});
afterAll(() => platform?.stop());

const WIREFRAME = DEMO_DOCUMENTS.find((document) => document.filename === 'home-page-wireframe-notes.txt')!;
const SYLLABUS = DEMO_DOCUMENTS.find((document) => document.filename === 'PHY101 syllabus.pdf')!;

describe('documents through the gateway', () => {
  it('pages every listed document\u2019s versions, share links and activity with one statement each', async () => {
    const PAGES =
      'id versionsConnection(first: 2) { edges { cursor node { version } } pageInfo { hasNextPage endCursor } } shareLinksConnection(first: 2) { edges { node { id } } pageInfo { hasNextPage } } activity(first: 2) { edges { node { action } } pageInfo { hasNextPage endCursor } }';
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const listed = await platform.query('maya.manager', `{ documents { ${PAGES} } }`);
    stop();
    expect(listed.errors).toBeUndefined();
    const documents = listed.data.documents as { id: string }[];
    expect(documents.length).toBeGreaterThan(3);
    for (const table of ['"document_versions"', '"share_links"', '"document_activity"']) {
      expect(
        statements.filter((sql) => sql.includes(table) && sql.includes('row_number()')),
        table,
      ).toHaveLength(1);
    }
    // The same pages as asked one document at a time, next pages included.
    for (const document of documents) {
      const alone = await platform.query('maya.manager', `query($id: ID!) { document(id: $id) { ${PAGES} } }`, { id: document.id });
      expect(alone.data.document).toEqual(document);
    }
    const paged = documents.find((document: any) => document.versionsConnection.pageInfo.hasNextPage) as any;
    if (paged) {
      const next = await platform.query(
        'maya.manager',
        `query($id: ID!, $after: String) { document(id: $id) { versionsConnection(first: 2, after: $after) { edges { node { version } } } } }`,
        { id: paged.id, after: paged.versionsConnection.pageInfo.endCursor },
      );
      expect(next.data.document.versionsConnection.edges[0].node.version).toBeLessThan(paged.versionsConnection.edges.at(-1).node.version);
    }
  });

  it('adds documents to ERP tasks and projects', async () => {
    const { data, errors } = await platform.query(
      'maya.manager',
      `{
      task(id: "${DEMO_ERP.tasks[0].id}") { title documents { filename downloadUrl } }
      projects { name documents { filename } }
    }`,
    );
    expect(errors).toBeUndefined();
    expect(data.task.documents.map((d: any) => d.filename)).toEqual([WIREFRAME.filename]);
    const lab = data.projects.find((project: any) => project.name === 'Physics lab equipment');
    expect(lab.documents.map((d: any) => d.filename)).toEqual(['equipment-budget.csv']);
    const download = await fetch(onGateway(data.task.documents[0].downloadUrl));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe(WIREFRAME.versions[0]!.content);
  });

  it('shows course documents to the enrolled, with the role academy gives the gateway', async () => {
    const enrolled = await platform.query('sam.student', '{ course(id: "101") { shortname documents { filename } } }');
    expect(enrolled.errors).toBeUndefined();
    expect(enrolled.data.course.documents).toEqual([{ filename: SYLLABUS.filename }]);
    const notEnrolled = await platform.query('neil.student', '{ course(id: "101") { shortname documents { filename } } }');
    expect(notEnrolled.data.course).toEqual({ shortname: 'PHY101', documents: [] });
  });

  it('adds documents to quotes, invoices and employees', async () => {
    const token = await platform.tokenFor('maya.manager');
    for (const [entityType, entityId, filename] of [
      ['quote', DEMO_ERP.quotes[0].id, 'signed quote.txt'],
      ['invoice', DEMO_ERP.invoices[0].id, 'invoice.txt'],
    ]) {
      const requested = await platform.request({
        token,
        query: `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`,
        variables: { input: { entityType, entityId, filename, size: 2 } },
      });
      const ticket = requested.body.data.requestDocumentUpload;
      expect((await fetch(onGateway(ticket.uploadUrl), { method: 'PUT', body: 'ok' })).status).toBe(200);
      const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { id } }` });
      expect(completed.body.errors).toBeUndefined();
    }
    const records = `{
      quote(id: "${DEMO_ERP.quotes[0].id}") { number documents { filename } }
      invoice(id: "${DEMO_ERP.invoices[0].id}") { number documents { filename } }
      employee(id: "9") { jobTitle documents { filename } }
    }`;
    const manager = await platform.query('maya.manager', records);
    expect(manager.errors).toBeUndefined();
    expect(manager.data).toEqual({
      quote: { number: 'Q-2026-014', documents: [{ filename: 'signed quote.txt' }] },
      invoice: { number: 'INV-2026-031', documents: [{ filename: 'invoice.txt' }] },
      employee: { jobTitle: 'Web developer', documents: [{ filename: 'Emil Nair \u2013 employment contract.txt' }] },
    });
    const himself = await platform.query('emil.employee', '{ employee(id: "9") { documents { filename } } }');
    expect(himself.data.employee.documents).toEqual([{ filename: 'Emil Nair \u2013 employment contract.txt' }]);
    // Another company's quote is not there for them, documents or not.
    const foreign = await platform.query('globex.admin', `{ quote(id: "${DEMO_ERP.quotes[0].id}") { documents { filename } } }`);
    expect(foreign.data.quote).toBeNull();
  });

  it('uploads through the gateway\u2019s /files/ forwarding', async () => {
    const bytes = Buffer.from('minutes of the kickoff\n');
    const token = await platform.tokenFor('maya.manager');
    const requested = await platform.request({
      token,
      query: `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`,
      variables: { input: { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename: 'kickoff.txt', size: bytes.length } },
    });
    const ticket = requested.body.data.requestDocumentUpload;
    const put = await fetch(onGateway(ticket.uploadUrl), { method: 'PUT', body: bytes });
    expect(put.status).toBe(200);
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { checksum downloadUrl } }` });
    expect(completed.body.data.completeDocumentUpload.checksum).toBe(sha256(bytes));
    const download = await fetch(onGateway(completed.body.data.completeDocumentUpload.downloadUrl));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  // The bound is on memory; the timeout only catches a hang (46 s at load 19 on two cores, and it grows with load).
  it('streams a large file up and down through gateway and service in bounded memory', { timeout: 600_000 }, async () => {
    const size = 150 * 1024 * 1024;
    const token = await platform.tokenFor('maya.manager');
    const requested = await platform.request({
      token,
      query: `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`,
      variables: { input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename: 'dataset.bin', size } },
    });
    const ticket = requested.body.data.requestDocumentUpload;
    const source = generated(size);
    const upload = await peakMemoryGrowth(() => putStream(onGateway(ticket.uploadUrl), source.stream));
    expect(upload.result.status).toBe(200);
    expect(upload.growthBytes).toBeLessThan(MEMORY_BUDGET_BYTES);
    const completed = await platform.request({ token, query: `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { size checksum downloadUrl } }` });
    const document = completed.body.data.completeDocumentUpload;
    expect(document).toMatchObject({ size, checksum: source.sha256() });
    const download = await peakMemoryGrowth(async () => {
      const hash = createHash('sha256');
      for await (const chunk of (await fetch(onGateway(document.downloadUrl))).body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
      return hash.digest('hex');
    });
    expect(download.result).toBe(document.checksum);
    expect(download.growthBytes).toBeLessThan(MEMORY_BUDGET_BYTES);
  });

  it('forwards the tus requests of a resumable upload, its Location relative to the public origin', async () => {
    const token = await platform.tokenFor('maya.manager');
    const bytes = Buffer.from('resumed through the gateway');
    const created = await platform.request({
      token,
      query: `mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId endpoint token } }`,
      variables: { input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename: 'resumed.txt', size: bytes.length, checksum: sha256(bytes) } },
    });
    const upload = created.body.data.createResumableUpload;
    const tus = (method: string, url: string, headers: Record<string, string> = {}, body?: Buffer) =>
      fetch(onGateway(url), { method, body: body && new Uint8Array(body), headers: { 'Tus-Resumable': '1.0.0', 'Upload-Token': upload.token, ...headers } });
    const options = await fetch(onGateway(upload.endpoint), { method: 'OPTIONS' });
    expect([options.status, options.headers.get('tus-extension')]).toEqual([204, 'creation,creation-with-upload,termination,expiration']);
    const posted = await tus('POST', upload.endpoint, { 'Upload-Length': String(bytes.length) });
    expect(posted.status).toBe(201);
    const location = posted.headers.get('location')!;
    expect(location).toBe(`/files/tus/${upload.uploadId}`);
    const url = new URL(location, upload.endpoint).toString();
    const octets = { 'Content-Type': 'application/offset+octet-stream' };
    expect((await tus('PATCH', url, { ...octets, 'Upload-Offset': '0' }, bytes.subarray(0, 10))).status).toBe(204);
    expect((await tus('HEAD', url)).headers.get('upload-offset')).toBe('10');
    const last = await tus('PATCH', url, { ...octets, 'Upload-Offset': '10' }, bytes.subarray(10));
    expect(last.status).toBe(204);
    const { data } = await platform.query('maya.manager', `{ document(id: "${last.headers.get('document-id')}") { filename checksum downloadUrl } }`);
    expect(data.document).toMatchObject({ filename: 'resumed.txt', checksum: sha256(bytes) });
    expect(Buffer.from(await (await fetch(onGateway(data.document.downloadUrl))).arrayBuffer())).toEqual(bytes);
  });

  it('takes a share password in X-Share-Password as UTF-8 bytes, and Latin-1 bytes still', async () => {
    const token = await platform.tokenFor('maya.manager');
    // What curl or a browser's fetch puts on the wire for a header: the password's bytes; Node hands them over one character per byte.
    const wire = (password: string, encoding: BufferEncoding) => Buffer.from(password, encoding).toString('latin1');
    for (const password of ['Pässwörd€', '我的密码很安全的啊', 'café crème']) {
      const created = await platform.request({
        token,
        query: `mutation($id: ID!, $expiresAt: DateTime!, $password: String) { createShareLink(documentId: $id, expiresAt: $expiresAt, password: $password) { url } }`,
        variables: { id: WIREFRAME.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), password },
      });
      const url = onGateway(created.body.data.createShareLink.url);
      const byHeader = await fetch(url, { headers: { 'x-share-password': wire(password, 'utf8') } });
      expect([password, byHeader.status]).toEqual([password, 200]);
      await byHeader.arrayBuffer();
      const byForm = await fetch(url, { method: 'POST', body: new URLSearchParams({ password }) });
      expect([password, byForm.status]).toEqual([password, 200]);
      await byForm.arrayBuffer();
    }
    // A Latin-1-only password sent as Latin-1 bytes (not valid UTF-8) is read as Latin-1, as before.
    const latin1 = await platform.request({
      token,
      query: `mutation($id: ID!, $expiresAt: DateTime!) { createShareLink(documentId: $id, expiresAt: $expiresAt, password: "naïve façade") { url } }`,
      variables: { id: WIREFRAME.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const url = onGateway(latin1.body.data.createShareLink.url);
    const old = await fetch(url, { headers: { 'x-share-password': wire('naïve façade', 'latin1') } });
    expect(old.status).toBe(200);
    await old.arrayBuffer();
    expect((await fetch(url, { headers: { 'x-share-password': wire('naive facade', 'latin1') } })).status).toBe(403);
  });
});
