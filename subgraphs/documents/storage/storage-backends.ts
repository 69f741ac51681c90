/**
 * The backends this process can talk to, built from configuration, and the
 * choice of backend for a company's new files (its row in
 * documents.company_storage, else the configured default). Existing files are
 * always read from the backend their row names.
 */
import type { DocumentsConfig, StorageBackendName } from '../../../platform/config.js';
import { LocalStorageBackend } from './local-backend.js';
import { S3StorageBackend } from './s3-backend.js';
import type { StorageBackend } from './storage-backend.js';
import { WebDavStorageBackend } from './webdav-backend.js';

export class StorageBackends {
  private readonly backends = new Map<StorageBackendName, StorageBackend>();

  constructor(backends: StorageBackend[]) {
    for (const backend of backends) this.backends.set(backend.name, backend);
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
export async function createStorageBackends(config: DocumentsConfig): Promise<StorageBackends> {
  const backends: StorageBackend[] = [new LocalStorageBackend(config.storageDir)];
  if (config.webdav) backends.push(new WebDavStorageBackend(config.webdav));
  if (config.s3) backends.push(new S3StorageBackend(config.s3));
  return new StorageBackends(backends);
}
