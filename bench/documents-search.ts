/**
 * Full-text search inside documents on 10,000 documents: how fast the
 * background indexer works through them (documents per second, from their
 * `documents.document.created` events to their text in the index, with the
 * real consumer, extractors and local storage), and how long a search takes
 * through the documents subgraph's GraphQL (p50/p99 per kind of search, the
 * page of 20 with ranks and snippets, as a client asks for it).
 *
 *   npm run bench -- --only documents-search
 *   BENCH_SEARCH_DOCUMENTS=2000 BENCH_SEARCH_QUERIES=100 node --import tsx bench/documents-search.ts
 *
 * The corpus is made here: text files, PDFs, DOCX and ODT documents of
 * ~300 words drawn from a 5,000-word vocabulary with a Zipf-like
 * distribution (a few words in most documents, most words in few).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { Viewer } from '../platform/auth/viewer.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { loadConfig } from '../platform/config.js';
import { closePools, createKysely } from '../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../platform/demo/demo-ids.js';
import { callSubgraph } from '../platform/federation/subgraph-call.js';
import { createLogger } from '../platform/logger.js';
import { startSubgraph } from '../platform/subgraph/start-subgraph.js';
import { startSearchIndexConsumer } from '../subgraphs/documents/consumers/search-index-consumer.js';
import type { DocumentsDatabase } from '../subgraphs/documents/database.js';
import { SearchRepository } from '../subgraphs/documents/repositories/search-repository.js';
import { ContentIndexer } from '../subgraphs/documents/services/content-indexer.js';
import { publishDocumentEvent } from '../subgraphs/documents/services/document-events.js';
import { LocalStorageBackend } from '../subgraphs/documents/storage/local-backend.js';
import { storageKey } from '../subgraphs/documents/storage/storage-backend.js';
import { createStorageBackends } from '../subgraphs/documents/storage/storage-backends.js';
import { documentsSubgraph } from '../subgraphs/documents/subgraph.js';
import { sampleDocx, sampleOdt, samplePdf } from '../subgraphs/documents/test/sample-files.js';
import { percentile } from './support/percentile.js';
import { throwawayDatabase } from './support/throwaway-database.js';

export interface DocumentsSearchBenchResult {
  documents: number;
  indexSeconds: number;
  docsPerSecond: number;
  queries: { kind: string; p50: number; p99: number; hits: number }[];
}

/** A small deterministic PRNG (mulberry32): the same corpus on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ten', 'su', 'vor', 'pe', 'di', 'nam', 'qu', 'zel', 'bri', 'tho', 'gan', 'wey'];

function vocabulary(size: number, next: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(next() * 3);
    words.add(Array.from({ length }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

/** Word i is drawn with weight 1/(i+1): word 0 in most documents, the last ones in a handful. */
function zipfPicker(words: string[], next: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let index = 0; index < words.length; index++) cumulative.push((total += 1 / (index + 1)));
  return () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return words[low]!;
  };
}

type Kind = 'txt' | 'pdf' | 'docx' | 'odt';

async function fileOf(kind: Kind, lines: string[]): Promise<Buffer> {
  switch (kind) {
    case 'pdf':
      return samplePdf(lines);
    case 'docx':
      return sampleDocx(lines);
    case 'odt':
      return sampleOdt(lines);
    default:
      return Buffer.from(lines.join('\n'));
  }
}

const MIME: Record<Kind, string> = {
  txt: 'text/plain',
  pdf: 'application/pdf',
  // As uploads type files of the docx library (their archive lists its types last): see extract-text.ts.
  docx: 'application/zip',
  odt: 'application/vnd.oasis.opendocument.text',
};

export async function runDocumentsSearchBench(options: { documents?: number; queries?: number; print?: (line: string) => void } = {}): Promise<DocumentsSearchBenchResult> {
  const total = options.documents ?? Number(process.env.BENCH_SEARCH_DOCUMENTS ?? 10_000);
  const perKind = options.queries ?? Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
  const print = options.print ?? ((line: string) => console.log(line));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bheem-bench-search-'));
  const database = await throwawayDatabase('search', print);
  const log = createLogger('bench', 'warn');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    DOCUMENTS_STORAGE_DIR: path.join(scratch, 'files'),
    DOCUMENTS_JOB_INTERVAL_SECONDS: '0',
    // The bench runs the indexer itself, to time it; the service only answers queries.
    DOCUMENTS_INDEX_CONTENT: 'false',
  });
  const deps = { config, databaseUrl: database.url, log };
  const db = createKysely<DocumentsDatabase>(database.url);
  let service: Awaited<ReturnType<typeof startSubgraph>> | undefined;
  let consumer: Awaited<ReturnType<typeof startSearchIndexConsumer>> | undefined;
  try {
    print(`documents-search bench: ${total} documents, ${perKind} searches of each kind`);
    await prepareDatabase(deps, [documentsSubgraph], { seed: false });
    const companyId = DEMO_COMPANIES.bheem.id;
    const task = DEMO_ERP.tasks[0].id;
    const next = random(42);
    const words = vocabulary(5000, next);
    const pick = zipfPicker(words, next);
    const storage = new LocalStorageBackend(config.documents.storageDir);

    // The corpus: files on local storage, rows and their created events in transactions of 500.
    const made = Date.now();
    const batch = 500;
    for (let start = 0; start < total; start += batch) {
      const rows: { id: string; versionId: string; key: string; filename: string; kind: Kind; size: number; checksum: string }[] = [];
      for (let index = start; index < Math.min(total, start + batch); index++) {
        const kind: Kind = index % 20 === 0 ? 'pdf' : index % 20 === 1 ? 'docx' : index % 20 === 2 ? 'odt' : 'txt';
        const lines = Array.from({ length: 10 }, () => Array.from({ length: 30 }, pick).join(' '));
        const bytes = await fileOf(kind, lines);
        const id = randomUUID();
        const versionId = randomUUID();
        const key = storageKey(companyId, id, versionId);
        const stored = await storage.put(key, Readable.from([bytes]));
        const filename = `${pick()}-${pick()}-${index}.${kind}`;
        rows.push({ id, versionId, key, filename, kind, size: stored.size, checksum: stored.sha256 });
      }
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const inserted = await trx
            .insertInto('documents.documents')
            .values({
              id: row.id,
              company_id: companyId,
              filename: row.filename,
              original_filename: row.filename,
              mime_type: MIME[row.kind],
              size: row.size,
              checksum: row.checksum,
              tags: [],
              entity_type: 'task',
              entity_id: task,
              storage_backend: 'local',
              storage_key: row.key,
              uploaded_by: '8',
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('documents.document_versions')
            .values({
              id: row.versionId,
              document_id: row.id,
              company_id: companyId,
              version: 1,
              filename: row.filename,
              mime_type: MIME[row.kind],
              size: row.size,
              checksum: row.checksum,
              storage_backend: 'local',
              storage_key: row.key,
              uploaded_by: '8',
            })
            .execute();
          await publishDocumentEvent(trx, 'documents.document.created', inserted, null);
        }
      });
      print(`  corpus: ${Math.min(total, start + batch)}/${total} documents stored (${Math.round((Date.now() - made) / 1000)} s)`);
    }

    // Indexing: the real consumer group, from the events to the text in the index.
    const search = new SearchRepository(db);
    const backends = await createStorageBackends(config.documents);
    const indexer = new ContentIndexer({ db, search, backends, config: config.documents.search, log });
    const indexed = async () =>
      Number(
        (
          await db
            .selectFrom('documents.document_search')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '<>', 'pending')
            .executeTakeFirstOrThrow()
        ).n,
      );
    print(`indexing with ${config.documents.search.concurrency} lanes (DOCUMENTS_INDEX_CONCURRENCY)...`);
    const started = process.hrtime.bigint();
    consumer = await startSearchIndexConsumer({ config, databaseUrl: database.url, indexer, log });
    let done = 0;
    let lastPrint = Date.now();
    while (done < total) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = await indexed();
      if (Date.now() - lastPrint >= 2000 || done >= total) {
        lastPrint = Date.now();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        print(`  indexed ${done}/${total} (${Math.round(done / seconds)} docs/s, ${seconds.toFixed(1)} s)`);
      }
    }
    const indexSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await consumer.stop();
    consumer = undefined;
    const outcomes = await db
      .selectFrom('documents.document_search')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    print(`  outcomes: ${outcomes.map((row) => `${row.status} ${row.n}`).join(', ')}`);
    await sql`ANALYZE documents.document_search`.execute(db);
    await sql`ANALYZE documents.documents`.execute(db);

    // Searching: through the subgraph's GraphQL, one at a time, a page of 20 with ranks and snippets.
    service = await startSubgraph(documentsSubgraph, deps);
    config.subgraphUrls.documents = service.url;
    const viewer: Viewer = { userId: 'bench', companyId, roles: ['manager', 'employee'], moodleUserId: '8' };
    const QUERY = `query($search: String!) { documentsConnection(search: $search, first: 20) { edges { node { id filename searchRank searchSnippet { text highlights { start length } } } } } }`;
    const pickRare = () => words[2000 + Math.floor(next() * 3000)]!;
    const kinds: { kind: string; text: () => string }[] = [
      { kind: 'common word', text: () => words[Math.floor(next() * 5)]! },
      { kind: 'rare word', text: pickRare },
      { kind: 'two words', text: () => `${words[Math.floor(next() * 50)]} ${words[50 + Math.floor(next() * 500)]}` },
      { kind: 'phrase', text: () => `"${words[Math.floor(next() * 20)]} ${words[Math.floor(next() * 20)]}"` },
      { kind: 'part of a name', text: () => `${pickRare().slice(1, 4)}` },
    ];
    const queries: DocumentsSearchBenchResult['queries'] = [];
    for (const { kind, text } of kinds) {
      const samples: number[] = [];
      let hits = 0;
      for (let round = 0; round < perKind + 10; round++) {
        const began = process.hrtime.bigint();
        const data = await callSubgraph<{ documentsConnection: { edges: unknown[] } }>(config, 'documents', viewer, QUERY, { search: text() });
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        if (round >= 10) {
          samples.push(ms); // the first 10 warm up
          hits += data.documentsConnection.edges.length;
        }
      }
      samples.sort((a, b) => a - b);
      const row = { kind, p50: round1(percentile(samples, 50)), p99: round1(percentile(samples, 99)), hits: round1(hits / perKind) };
      queries.push(row);
      print(`  ${kind}: p50 ${row.p50} ms, p99 ${row.p99} ms (${row.hits} results per page on average)`);
    }
    const result = { documents: total, indexSeconds: round1(indexSeconds), docsPerSecond: Math.round(total / indexSeconds), queries };
    print('');
    print(`indexing: ${total} documents in ${result.indexSeconds} s, ${result.docsPerSecond} docs/s`);
    print('search            p50 ms   p99 ms   results/page');
    for (const row of queries) print(`${row.kind.padEnd(16)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(8)} ${String(row.hits).padStart(14)}`);
    return result;
  } finally {
    await consumer?.stop();
    await service?.stop();
    await db.destroy();
    await closePools();
    await database.drop();
    await database.embedded?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDocumentsSearchBench().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
