/**
 * `x-bheem-tus-forwarded` tells a documents replica that another replica
 * forwarded a tus request to it: it handles the request itself instead of
 * forwarding it to the replica that holds the upload's bytes. Only replicas
 * may say so. Here the upload is staged on a second documents process, and
 * the client, through the real gateway (whose documents is another replica),
 * sends the marker itself: the gateway drops it, so the request still reaches
 * the bytes, and the upload goes on and lands whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { FORWARDED_HEADER } from '../http/replica-forward.js';
import { documentsSubgraph } from '../subgraph.js';
import { sha256 } from './documents-platform.js';

const FILE = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 13) & 0xff));
const directories = [mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-marker-')), mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-marker-'))];
let platform: TestPlatform;
let holder: RunningSubgraph;
let holderUrl: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  // The gateway's documents: a replica whose peers would reach it at an address of its own (never used here).
  platform = await startTestPlatform({
    subgraphs: ['erp', 'documents'],
    env: { DOCUMENTS_RESUMABLE_STAGING_DIR: directories[0]!, DOCUMENTS_INTERNAL_URL: 'http://127.0.0.1:9/behind-the-gateway' },
  });
  // The replica that holds the upload's bytes, on the same database.
  const port = await freePort();
  holderUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: platform.database.url, DOCUMENTS_RESUMABLE_STAGING_DIR: directories[1]!, DOCUMENTS_INTERNAL_URL: holderUrl });
  config.subgraphUrls = { ...platform.config.subgraphUrls };
  holder = await startSubgraph(documentsSubgraph, { config, databaseUrl: platform.database.url, log: createLogger('test') }, { port });
});
afterAll(async () => {
  await holder?.stop();
  await platform?.stop();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

async function tus(base: string, method: string, target: string, headers: Record<string, string>, body?: Buffer) {
  const response = await fetch(`${base}${target}`, {
    method,
    headers: { 'tus-resumable': '1.0.0', ...(body && { 'content-type': 'application/offset+octet-stream' }), ...headers },
    body: body && new Uint8Array(body),
  });
  return { status: response.status, offset: response.headers.get('upload-offset'), sha256: response.headers.get('document-sha256'), text: await response.text() };
}

it("a client's own x-bheem-tus-forwarded goes no further than the gateway: the upload is still served where its bytes are", async () => {
  const gateway = new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')).origin;
  const { data, errors } = await platform.query('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId token } }', {
    input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename: 'marker.bin', size: FILE.length, checksum: sha256(FILE) },
  });
  expect(errors).toBeUndefined();
  const { uploadId, token } = data.createResumableUpload as { uploadId: string; token: string };
  const target = `/files/tus/${uploadId}`;
  const auth = { 'upload-token': token };
  // Started on the holder: its bytes are staged there.
  expect((await tus(holderUrl, 'POST', '/files/tus', { ...auth, 'upload-length': String(FILE.length) })).status).toBe(201);
  expect((await tus(holderUrl, 'PATCH', target, { ...auth, 'upload-offset': '0' }, FILE.subarray(0, 1000))).status).toBe(204);

  const forged = { ...auth, [FORWARDED_HEADER]: '1' };
  expect(await tus(gateway, 'HEAD', target, forged)).toMatchObject({ status: 200, offset: '1000' });
  expect(await tus(gateway, 'PATCH', target, { ...forged, 'upload-offset': '1000' }, FILE.subarray(1000))).toMatchObject({ status: 204, sha256: sha256(FILE) });
});
