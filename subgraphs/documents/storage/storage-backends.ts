/**
 * The backends this process can talk to, built from configuration, and the
 * choice of backend for a company's new files (its row in
 * documents.company_storage, else the configured default). Existing files are
 * always read from the backend their row names, on the company's own server
 * when the row names a storage profile.
 */
import type { DocumentsConfig, StorageBackendName } from '../../../platform/config.js';
import { LocalStorageBackend } from './local-backend.js';
import { S3StorageBackend } from './s3-backend.js';
import type { StorageBackend } from './storage-backend.js';
import { WebDavStorageBackend } from './webdav-backend.js';

/** The backend of a company's own server (a storage profile), by the profile's id. */
export type ProfileResolver = (profileId: string) => Promise<StorageBackend>;

/** Where an object is: a backend name, and the company's own server when it has one. */
export interface StoredAt {
  storage_backend: string;
  storage_profile?: string | null;
}

export class StorageBackends {
  private readonly backends = new Map<StorageBackendName, StorageBackend>();

  constructor(
    backends: StorageBackend[],
    private readonly resolveProfile?: ProfileResolver,
  ) {
    for (const backend of backends) this.backends.set(backend.name, backend);
  }

  /** The backend an object (a document version, an upload) is on. */
  async of(object: StoredAt): Promise<StorageBackend> {
    if (!object.storage_profile) return this.get(object.storage_backend);
    if (!this.resolveProfile) throw new Error(`Storage profile ${object.storage_profile} cannot be resolved in this process`);
    return this.resolveProfile(object.storage_profile);
  }

  get(name: string): StorageBackend {
    const backend = this.backends.get(name as StorageBackendName);
    if (!backend) throw new Error(`The ${name} storage backend is not configured in this process`);
    return backend;
  }

  has(name: string): boolean {
    return this.backends.has(name as StorageBackendName);
  }

  all(): StorageBackend[] {
    return [...this.backends.values()];
  }
}

/** Every backend the configuration names (local always; WebDAV and S3 when configured). */
export async function createStorageBackends(config: DocumentsConfig, resolveProfile?: ProfileResolver): Promise<StorageBackends> {
  const backends: StorageBackend[] = [new LocalStorageBackend(config.storageDir)];
  if (config.webdav) backends.push(new WebDavStorageBackend(config.webdav));
  if (config.s3) backends.push(new S3StorageBackend(config.s3));
  return new StorageBackends(backends, resolveProfile);
}
