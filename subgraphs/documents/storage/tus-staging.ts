/**
 * Where resumable uploads wait for their last byte: a @tus/file-store
 * directory (the bytes, plus a small JSON file per upload), on local disk
 * whatever the company's backend. With several replicas it must be a shared
 * volume, or tus requests of one upload must reach the same replica (the
 * upload lock is in memory).
 *
 * @tus/file-store loads at the first resumable upload (or the first cleanup
 * that finds something staged), not with the documents subgraph: a start
 * that sees none does not pay for loading it (platform/lazy-require.ts).
 */
import { readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileStore } from '@tus/file-store';

export class TusStaging {
  private store?: Promise<FileStore>;

  constructor(
    readonly directory: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The @tus/file-store itself, made (and the package loaded) at first use. */
  fileStore(): Promise<FileStore> {
    this.store ??= import('@tus/file-store').then(({ FileStore }) => {
      const store = new FileStore({ directory: this.directory, expirationPeriodInMilliseconds: this.ttlSeconds * 1000 });
      // What we serve (tus 1.0 creation, termination, expiration): the length is always declared up front.
      store.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
      return store;
    });
    return this.store;
  }

  async read(uploadId: string): Promise<Readable> {
    return (await this.fileStore()).read(uploadId);
  }

  async remove(uploadId: string): Promise<void> {
    await (await this.fileStore()).remove(uploadId);
  }

  async getUpload(uploadId: string) {
    return (await this.fileStore()).getUpload(uploadId);
  }

  /** Removes unfinished uploads past their expiration; how many. With nothing staged, the package is not loaded for it. */
  async deleteExpired(): Promise<number> {
    if (!this.store && (await readdir(this.directory).catch(() => [])).length === 0) return 0;
    return (await this.fileStore()).deleteExpired();
  }
}

export function createTusStaging(directory: string, ttlSeconds: number): TusStaging {
  return new TusStaging(directory, ttlSeconds);
}
