/**
 * The contract every StorageBackend must keep, as a vitest suite to run
 * against each real backend: round trip with checksum, ranges, size limits,
 * a large file streamed both ways in bounded memory, and a clear error when
 * the backend is down.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  numberedName,
  ObjectNotFoundError,
  ObjectTooLargeError,
  readableKey,
  StorageUnavailableError,
  storageKey,
  type StorageBackend,
} from '../../subgraphs/documents/storage/storage-backend.js';
import { generated, peakMemoryGrowth } from './streams.js';

export interface ContractTarget {
  backend: () => StorageBackend;
  /** Makes the backend unreachable (stops its server, points it at nothing). */
  takeDown: () => Promise<StorageBackend>;
  /** Where a key's folder is on the server's disk, for backends people browse. */
  folderOf?: (key: string) => string;
}

const key = () => storageKey(randomUUID(), randomUUID(), randomUUID());

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const LARGE_FILE_BYTES = 200 * 1024 * 1024;
/** Far below the file size: streaming holds a few parts at most (S3 multipart keeps 4 x 8 MB in flight). */
export const MEMORY_BUDGET_BYTES = 120 * 1024 * 1024;

export function describeStorageContract(name: string, target: ContractTarget): void {
  describe(`${name} storage backend`, () => {
    it('stores and returns the exact bytes, with size and sha256 measured while streaming', async () => {
      const backend = target.backend();
      const bytes = randomBytes(300_000);
      const objectKey = key();
      const stored = await backend.put(objectKey, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]));
      expect(stored).toEqual({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      expect(await backend.stat(objectKey)).toEqual({ size: bytes.length });
      expect(await backend.exists(objectKey)).toBe(true);
      expect(await readAll(await backend.get(objectKey))).toEqual(bytes);
      await backend.delete(objectKey);
      expect(await backend.exists(objectKey)).toBe(false);
      expect(await backend.stat(objectKey)).toBeNull();
      await expect(backend.get(objectKey)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await backend.delete(objectKey); // deleting twice is fine
    });

    it('returns byte ranges', async () => {
      const backend = target.backend();
      const bytes = randomBytes(10_000);
      const objectKey = key();
      await backend.put(objectKey, Readable.from([bytes]));
      expect(await readAll(await backend.get(objectKey, { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
      expect(await readAll(await backend.get(objectKey, { start: 9_990, end: 9_999 }))).toEqual(bytes.subarray(9_990));
      await backend.delete(objectKey);
    });

    it('keeps readable keys (company / record / name) with the exact name, and refuses keys that could leave their folder', async () => {
      const backend = target.backend();
      const company = randomUUID();
      for (const name of ['Quote Q-14 #2 (final) 100%.pdf', 'Zeugnis für Émile – 2026.txt', numberedName(`${'a'.repeat(300)}.txt`, 1), numberedName('report.csv', 2)]) {
        const objectKey = readableKey(company, { entityType: 'task', entityId: randomUUID() }, name);
        const bytes = randomBytes(1000);
        await backend.put(objectKey, Readable.from([bytes]));
        expect(await readAll(await backend.get(objectKey))).toEqual(bytes);
        await backend.delete(objectKey);
        expect(await backend.exists(objectKey)).toBe(false);
      }
      for (const bad of [
        `${company}/task-1/..`,
        `${company}/task-1/.`,
        `${company}/../etc/passwd`,
        `${company}/task-1/a/b`,
        `${company}/task-1/a\\b`,
        `${company}/task-1/`,
        `${company}/planet-1/x`,
        `../${company}/task-1/x`,
        `${company}/task-1/x\u0000`,
        `${company}/task-1/con:x`,
      ]) {
        await expect(backend.put(bad, Readable.from([Buffer.from('x')])), bad).rejects.toThrow(/Refusing storage key/);
        await expect(backend.get(bad), bad).rejects.toThrow(/Refusing storage key/);
      }
      expect(() => readableKey(company, { entityType: 'task', entityId: 'x' }, '../x')).toThrow(/Refusing storage key/);
    });

    if (target.folderOf) {
      it('removes a folder with its last object, and only then', async () => {
        const backend = target.backend();
        const company = randomUUID();
        const record = { entityType: 'project', entityId: randomUUID() };
        const [first, second] = [readableKey(company, record, 'a.txt'), readableKey(company, record, 'b.txt')];
        await backend.put(first, Readable.from([Buffer.from('a')]));
        await backend.put(second, Readable.from([Buffer.from('b')]));
        await backend.delete(first);
        expect(existsSync(target.folderOf!(second))).toBe(true);
        await backend.delete(second);
        expect(existsSync(target.folderOf!(second))).toBe(false);
        expect(existsSync(path.dirname(target.folderOf!(second)))).toBe(false); // the company's folder, empty too
        // And a folder removed under a running backend is made again on the next upload.
        await backend.put(first, Readable.from([Buffer.from('again')]));
        expect((await readAll(await backend.get(first))).toString()).toBe('again');
        await backend.delete(first);
      });
    }

    it('cuts off a body past the size limit and keeps nothing of it', async () => {
      const backend = target.backend();
      const objectKey = key();
      await expect(backend.put(objectKey, Readable.from([randomBytes(600), randomBytes(600)]), { maxBytes: 1000 })).rejects.toBeInstanceOf(ObjectTooLargeError);
      expect(await backend.exists(objectKey)).toBe(false);
    });

    it(`streams a ${LARGE_FILE_BYTES / 1024 / 1024} MB file both ways in bounded memory`, { timeout: 240_000 }, async () => {
      const backend = target.backend();
      const objectKey = key();
      const source = generated(LARGE_FILE_BYTES);
      const upload = await peakMemoryGrowth(() => backend.put(objectKey, source.stream));
      expect(upload.result).toEqual({ size: LARGE_FILE_BYTES, sha256: source.sha256() });
      expect(upload.growthBytes).toBeLessThan(MEMORY_BUDGET_BYTES);
      const download = await peakMemoryGrowth(async () => {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of await backend.get(objectKey)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        return { size, sha256: hash.digest('hex') };
      });
      expect(download.result).toEqual(upload.result);
      expect(download.growthBytes).toBeLessThan(MEMORY_BUDGET_BYTES);
      await backend.delete(objectKey);
    });

    it('reports a backend that is down as unavailable', async () => {
      const down = await target.takeDown();
      await expect(down.put(key(), Readable.from([Buffer.from('hello')]))).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(down.check()).rejects.toBeInstanceOf(StorageUnavailableError);
    });
  });
}
