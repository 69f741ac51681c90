/**
 * tus requests racing for one upload, through the gateway as a browser
 * sends them. @tus/server takes one request per upload at a time: a newer
 * one (PATCH, HEAD) asks the older to let go, which then ends with the bytes
 * it kept (204 and its Upload-Offset), while the newer goes on from there.
 * What must hold: every request gets an answer that says what happened
 * (never a 5xx or a dropped connection), no byte is lost or counted twice
 * (the stored file's SHA-256 is the file's), and an upload already stored
 * says so rather than that it does not exist.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { exchange, heldExchange, type RawRequest } from '../../../test/support/raw-http.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

const SIZE = 1_000_000;
const FILE = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7 + (i >> 11)) & 0xff));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let platform: TestPlatform;
let port: number;
const staging = mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-races-'));
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['erp', 'documents'], env: { DOCUMENTS_RESUMABLE_STAGING_DIR: staging } });
  port = Number(new URL(platform.gateway!.url).port);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(staging, { recursive: true, force: true });
});

/** A resumable upload of FILE, created (POST) through the gateway; its requests. */
async function createdUpload(filename: string) {
  const { data, errors } = await platform.query('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId token } }', {
    input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename, size: SIZE, checksum: sha256(FILE) },
  });
  expect(errors).toBeUndefined();
  const { uploadId, token } = data.createResumableUpload as { uploadId: string; token: string };
  const tus: [string, string][] = [
    ['tus-resumable', '1.0.0'],
    ['upload-token', token],
  ];
  const created = await exchange(port, { method: 'POST', target: '/files/tus', headers: [...tus, ['upload-length', String(SIZE)]] });
  expect(created).toMatchObject({ status: 201 });
  const target = `/files/tus/${uploadId}`;
  return {
    staged: path.join(staging, uploadId),
    patch: (offset: number, body = FILE.subarray(offset)): RawRequest => ({
      method: 'PATCH',
      target,
      headers: [...tus, ['upload-offset', String(offset)], ['content-type', 'application/offset+octet-stream']],
      body,
    }),
    head: (): RawRequest => ({ method: 'HEAD', target, headers: tus }),
    terminate: (): RawRequest => ({ method: 'DELETE', target, headers: tus }),
  };
}

/** A PATCH of the whole file of which `bytes` came and were staged; the client then stalls. */
async function stalledPatch(upload: Awaited<ReturnType<typeof createdUpload>>, bytes: number) {
  const held = heldExchange(port, upload.patch(0), { sendBytes: bytes });
  while (!existsSync(upload.staged) || statSync(upload.staged).size < bytes) await new Promise((resolve) => setTimeout(resolve, 20));
  return held;
}

/** The stored document's bytes, read back through the gateway. */
async function storedSha256(documentId: string): Promise<string> {
  const { data, errors } = await platform.query('maya.manager', 'query($id: ID!) { document(id: $id) { downloadUrl } }', { id: documentId });
  expect(errors).toBeUndefined();
  const url = new URL(data.document.downloadUrl);
  const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`);
  expect(response.status).toBe(200);
  return sha256(Buffer.from(await response.arrayBuffer()));
}

it('a PATCH interrupted by a newer one ends at the bytes it kept; the newer is told the offset moved; the file lands whole', async () => {
  const upload = await createdUpload('interrupted.bin');
  const older = await stalledPatch(upload, 300_000);
  const newer = await exchange(port, upload.patch(0));
  expect(newer).toMatchObject({ status: 409, body: expect.stringMatching(/Upload-Offset/) });
  expect(await older.outcome).toMatchObject({ status: 204, headers: { 'upload-offset': '300000' } });
  const head = await exchange(port, upload.head());
  expect(head).toMatchObject({ status: 200, headers: { 'upload-offset': '300000' } });
  const last = await exchange(port, upload.patch(300_000));
  expect(last).toMatchObject({ status: 204, headers: { 'upload-offset': String(SIZE), 'document-sha256': sha256(FILE) } });
  expect(await storedSha256((last as { headers: Record<string, string> }).headers['document-id']!)).toBe(sha256(FILE));
});

it('a HEAD during a PATCH ends the PATCH where it is, and both say the same offset', async () => {
  const upload = await createdUpload('head-during.bin');
  const patch = await stalledPatch(upload, 200_000);
  const head = await exchange(port, upload.head());
  expect(head).toMatchObject({ status: 200, headers: { 'upload-offset': '200000', 'upload-length': String(SIZE) } });
  expect(await patch.outcome).toMatchObject({ status: 204, headers: { 'upload-offset': '200000' } });
  // The client that stalled sends the rest of its body late: it is not counted (its request was answered).
  patch.rest();
  expect(await exchange(port, upload.head())).toMatchObject({ status: 200, headers: { 'upload-offset': '200000' } });
});

it('two clients sending the whole file at once: one stores it, the other is told of the conflict', async () => {
  const upload = await createdUpload('both-at-once.bin');
  const answers = await Promise.all([exchange(port, upload.patch(0)), exchange(port, upload.patch(0))]);
  for (const answer of answers) expect(answer).toMatchObject({ status: expect.toBeOneOf([204, 409]) });
  const stored = answers.filter((answer) => 'status' in answer && answer.status === 204);
  // One of them may have been interrupted by the other (a 204 at a partial offset): the rest comes from HEAD's offset.
  let documentId = stored.map((answer) => (answer as { headers: Record<string, string> }).headers['document-id']).find(Boolean);
  if (!documentId) {
    const head = (await exchange(port, upload.head())) as { headers: Record<string, string> };
    const offset = Number(head.headers['upload-offset']);
    const last = (await exchange(port, upload.patch(offset))) as { status: number; headers: Record<string, string> };
    expect(last.status).toBe(204);
    documentId = last.headers['document-id'];
  }
  expect(await storedSha256(documentId!)).toBe(sha256(FILE));
});

it('a PATCH or DELETE after the upload was stored is told it is stored, not that it does not exist', async () => {
  const upload = await createdUpload('after-the-end.bin');
  const whole = await exchange(port, upload.patch(0));
  expect(whole).toMatchObject({ status: 204, headers: { 'upload-offset': String(SIZE) } });
  for (const request of [upload.patch(0), upload.patch(SIZE, Buffer.alloc(0)), upload.terminate()]) {
    const answer = await exchange(port, request);
    expect(answer, `${request.method} ${request.headers?.find(([name]) => name === 'upload-offset')?.[1] ?? ''}`).toMatchObject({
      status: 409,
      body: expect.stringMatching(/already completed/),
    });
  }
  expect(await exchange(port, upload.head())).toMatchObject({ status: 200, headers: { 'upload-offset': String(SIZE) } });
});
