/**
 * Files on the local disk under one root directory. Writes go to a temporary
 * file renamed into place once complete, so a reader never sees half a file
 * and a failed upload leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { meteredStream } from './metered-stream.js';
import { assertStorageKey, ObjectNotFoundError, StorageUnavailableError, type ByteRange, type PutOptions, type StorageBackend, type StoredObject } from './storage-backend.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export class LocalStorageBackend implements StorageBackend {
  readonly name = 'local' as const;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const file = this.pathOf(key);
    const partial = `${file}.${randomUUID()}.part`;
    const meter = meteredStream(options.maxBytes);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await pipeline(body, meter, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => {});
      // The disk's failures (full, read-only, missing mount) make the backend unavailable; the body's are the caller's.
      if ((error as NodeJS.ErrnoException).path !== undefined) throw new StorageUnavailableError(this.name, error);
      throw error;
    }
    return meter.result();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      await access(file);
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw new StorageUnavailableError(this.name, error);
    }
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw new StorageUnavailableError(this.name, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root);
    } catch (error) {
      throw new StorageUnavailableError(this.name, error);
    }
  }
}
