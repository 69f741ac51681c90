/**
 * Documents throughput, per storage backend: uploading and downloading a
 * file through the documents service (signed PUT, completion, signed GET)
 * against writing and reading the same bytes to the backend directly. The
 * difference is what the service costs on top of the storage.
 *
 *   node --import tsx bench/documents.ts            (BENCH_DOCUMENTS_MB=256 for a bigger file)
 *
 * Everything runs on this machine: PostgreSQL (DATABASE_URL's server, in a
 * throwaway database, or an embedded one), rclone's WebDAV server and s3rver.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig, type StorageBackendName } from '../platform/config.js';
import type { Viewer } from '../platform/auth/viewer.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { closePools, createKysely } from '../platform/database/connection.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../platform/database/embedded-postgres.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../platform/demo/demo-ids.js';
import { callSubgraph } from '../platform/federation/subgraph-call.js';
import { createLogger } from '../platform/logger.js';
import { startSubgraph } from '../platform/subgraph/start-subgraph.js';
import type { DocumentsDatabase } from '../subgraphs/documents/database.js';
import { storageKey } from '../subgraphs/documents/storage/storage-backend.js';
import { createStorageBackends } from '../subgraphs/documents/storage/storage-backends.js';
import { documentsSubgraph } from '../subgraphs/documents/subgraph.js';
import { erpSubgraph } from '../subgraphs/erp/subgraph.js';
import { putStream } from '../test/storage/streams.js';
import { startS3Server, startWebDavServer, storageEnv } from '../test/storage/storage-servers.js';

export interface DocumentsBenchRow {
  backend: StorageBackendName;
  megabytes: number;
  /** MB/s */
  directWrite: number;
  serviceUpload: number;
  directRead: number;
  serviceDownload: number;
}

const MB = 1024 * 1024;
const BACKENDS: StorageBackendName[] = ['local', 'webdav', 's3'];

/** `total` bytes made as they are read, reporting progress every 10 %. */
function generated(total: number, label: string, print: (line: string) => void): Readable {
  const pattern = randomBytes(MB);
  let produced = 0;
  let reported = 0;
  return new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const chunk = Buffer.from(pattern.subarray(0, Math.min(MB, total - produced)));
      produced += chunk.length;
      const tenth = Math.floor((produced / total) * 10);
      if (tenth > reported) {
        reported = tenth;
        print(`  ${label}: ${tenth * 10}%`);
      }
      this.push(chunk);
    },
  });
}

async function drain(stream: AsyncIterable<unknown>): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Uint8Array);
    size += (chunk as Uint8Array).length;
  }
  return { size, sha256: hash.digest('hex') };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function database(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bheem_bench_${process.pid}`;
  let embedded: EmbeddedServer | undefined;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    const parsed = new URL(process.env.DATABASE_URL);
    parsed.pathname = '/postgres';
    serverUrl = parsed.toString();
  } else {
    embedded = await startEmbeddedPostgres(path.resolve('.data/bench', String(process.pid)), () => {}, { ephemeral: true });
    serverUrl = embedded.url('postgres');
  }
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await closePools();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}

export async function runDocumentsBench(options: { megabytes?: number; print?: (line: string) => void } = {}): Promise<DocumentsBenchRow[]> {
  const megabytes = options.megabytes ?? Number(process.env.BENCH_DOCUMENTS_MB ?? 100);
  const print = options.print ?? ((line: string) => console.log(line));
  const size = megabytes * MB;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bheem-bench-'));
  print(`documents bench: ${megabytes} MB per transfer, backends ${BACKENDS.join(', ')}`);

  const [webdav, s3, db] = await Promise.all([startWebDavServer(), startS3Server('bench'), database()]);
  const log = createLogger('bench', 'warn');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    DOCUMENTS_STORAGE_DIR: path.join(scratch, 'files'),
    DOCUMENTS_MAX_UPLOAD_BYTES: String(size),
    DOCUMENTS_JOB_INTERVAL_SECONDS: '0',
    ...storageEnv({ webdav, s3, bucket: 'bench' }),
  });
  const deps = { config, databaseUrl: db.url, log };
  const rows: DocumentsBenchRow[] = [];
  let service: Awaited<ReturnType<typeof startSubgraph>> | undefined;
  let erp: Awaited<ReturnType<typeof startSubgraph>> | undefined;
  try {
    // erp's demo records: uploads attach to a demo task, which erp confirms exists.
    await prepareDatabase(deps, [erpSubgraph], { seed: true });
    await prepareDatabase(deps, [documentsSubgraph], { seed: false });
    erp = await startSubgraph(erpSubgraph, deps);
    config.subgraphUrls.erp = erp.url;
    service = await startSubgraph(documentsSubgraph, deps);
    config.subgraphUrls.documents = service.url;
    const origin = new URL(service.url).origin;
    const onService = (publicUrl: string) => `${origin}${new URL(publicUrl).pathname}${new URL(publicUrl).search}`;
    const kysely = createKysely<DocumentsDatabase>(db.url);
    const backends = await createStorageBackends(config.documents);
    const viewer: Viewer = { userId: 'bench', companyId: DEMO_COMPANIES.bheem.id, roles: ['manager', 'employee'], moodleUserId: '8' };
    const rate = (seconds: number) => Math.round((megabytes / seconds) * 10) / 10;

    for (const name of BACKENDS) {
      print(`${name}:`);
      await kysely
        .insertInto('documents.company_storage')
        .values({ company_id: viewer.companyId, backend: name, max_file_bytes: null })
        .onConflict((oc) => oc.column('company_id').doUpdateSet({ backend: name }))
        .execute();
      const backend = backends.get(name);
      const key = storageKey(viewer.companyId, randomUUID(), randomUUID());
      const directWrite = await timed(() => backend.put(key, generated(size, 'direct write', print)));
      const directRead = await timed(async () => drain(await backend.get(key)));
      await backend.delete(key);

      const upload = await timed(async () => {
        const { requestDocumentUpload: ticket } = await callSubgraph<{ requestDocumentUpload: { uploadId: string; uploadUrl: string } }>(
          config,
          'documents',
          viewer,
          'mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }',
          { input: { entityType: 'task', entityId: DEMO_ERP.tasks[0].id, filename: `bench-${name}.bin`, size } },
        );
        const response = await putStream(onService(ticket.uploadUrl), generated(size, 'upload via service', print));
        if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${response.text}`);
        const { completeDocumentUpload } = await callSubgraph<{ completeDocumentUpload: { downloadUrl: string; checksum: string } }>(
          config,
          'documents',
          viewer,
          `mutation { completeDocumentUpload(uploadId: "${ticket.uploadId}") { downloadUrl checksum } }`,
        );
        return completeDocumentUpload;
      });
      const download = await timed(async () => {
        const response = await fetch(onService(upload.result.downloadUrl));
        return drain(response.body as unknown as AsyncIterable<Uint8Array>);
      });
      if (download.result.sha256 !== upload.result.checksum || directRead.result.sha256 !== directWrite.result.sha256) {
        throw new Error(`${name}: the bytes read back differ from the bytes written`);
      }
      const row = {
        backend: name,
        megabytes,
        directWrite: rate(directWrite.seconds),
        serviceUpload: rate(upload.seconds),
        directRead: rate(directRead.seconds),
        serviceDownload: rate(download.seconds),
      };
      rows.push(row);
      print(`  ${name}: write ${row.directWrite} MB/s direct, ${row.serviceUpload} MB/s via service; read ${row.directRead} MB/s direct, ${row.serviceDownload} MB/s via service`);
    }
  } finally {
    await service?.stop();
    await erp?.stop();
    for (const server of [webdav, s3]) {
      await server.stop();
      await server.remove();
    }
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
  print('');
  print('backend   MB   write direct  upload service   read direct  download service   (MB/s)');
  for (const row of rows) {
    print(
      `${row.backend.padEnd(8)} ${String(row.megabytes).padStart(4)} ${String(row.directWrite).padStart(13)} ${String(row.serviceUpload).padStart(15)} ${String(row.directRead).padStart(13)} ${String(row.serviceDownload).padStart(17)}`,
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDocumentsBench().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
