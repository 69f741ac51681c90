/**
 * Where resumable uploads wait for their last byte: a @tus/file-store
 * directory (the bytes, plus a small JSON file per upload), on local disk
 * whatever the company's backend. With several replicas it must be a shared
 * volume, or tus requests of one upload must reach the same replica (the
 * upload lock is in memory).
 */
import { FileStore } from '@tus/file-store';

export function createTusStaging(directory: string, ttlSeconds: number): FileStore {
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: ttlSeconds * 1000 });
  // What we serve (tus 1.0 creation, termination, expiration): the length is always declared up front.
  store.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  return store;
}
