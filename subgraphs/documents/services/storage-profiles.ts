/**
 * Backends for companies' own servers: built from a storage profile (its
 * settings and decrypted secret) on first use and kept, since a profile
 * never changes. A new profile is made whenever a company points its
 * storage somewhere else, so objects stored before stay reachable.
 */
import { randomUUID } from 'node:crypto';
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import type { StorageProfileSettings } from '../database.js';
import type { StorageProfileRepository } from '../repositories/storage-profile-repository.js';
import { S3StorageBackend } from '../storage/s3-backend.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import { WebDavStorageBackend } from '../storage/webdav-backend.js';
import type { CompanySecrets } from './company-secrets.js';

export interface NewStorageProfile {
  backend: 'webdav' | 's3';
  settings: StorageProfileSettings;
  secret: string | null;
}

/** Companies' servers are addresses their admins gave: every connection obeys the outbound policy. */
export function buildProfileBackend(backend: string, settings: StorageProfileSettings, secret: string | null, egress: EgressPolicy): StorageBackend {
  if (backend === 'webdav') {
    return new WebDavStorageBackend({ url: settings.url!, username: settings.username, password: secret ?? undefined, root: settings.root ?? '/bheem-documents' }, egress);
  }
  return new S3StorageBackend(
    {
      bucket: settings.bucket!,
      endpoint: settings.endpoint,
      region: settings.region ?? 'us-east-1',
      accessKeyId: settings.accessKeyId,
      secretAccessKey: secret ?? undefined,
      forcePathStyle: settings.forcePathStyle ?? !!settings.endpoint,
    },
    egress,
  );
}

export class StorageProfiles {
  private readonly cache = new Map<string, Promise<StorageBackend>>();

  constructor(
    private readonly repository: StorageProfileRepository,
    private readonly secrets: CompanySecrets,
    readonly egress: EgressPolicy,
  ) {}

  /** The backend of a profile (a ProfileResolver for StorageBackends). */
  resolve = (profileId: string): Promise<StorageBackend> => {
    let backend = this.cache.get(profileId);
    if (!backend) {
      backend = this.load(profileId);
      this.cache.set(profileId, backend);
      backend.catch(() => this.cache.delete(profileId));
    }
    return backend;
  };

  private async load(profileId: string): Promise<StorageBackend> {
    const row = await this.repository.find(profileId);
    if (!row) throw new Error(`No storage profile ${profileId}`);
    const secret = row.secret_encrypted ? this.secrets.decrypt(row.company_id, `storage-profile:${row.id}`, row.secret_encrypted) : null;
    return buildProfileBackend(row.backend, row.settings, secret, this.egress);
  }

  async create(companyId: string, profile: NewStorageProfile, createdBy: string): Promise<string> {
    const id = randomUUID();
    await this.repository.insert({
      id,
      companyId,
      backend: profile.backend,
      settings: profile.settings,
      createdBy,
      secretEncrypted: profile.secret === null ? null : this.secrets.encrypt(companyId, `storage-profile:${id}`, profile.secret),
    });
    return id;
  }
}
