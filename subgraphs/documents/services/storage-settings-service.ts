/**
 * A company's storage settings through the API, for its admins only: the
 * backend new files go to (existing documents keep the backend their rows
 * name), the company's size limit, and Nextcloud sharing with an app
 * password that is stored encrypted and never returned.
 */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { STORAGE_BACKEND_NAMES, type DocumentsConfig, type StorageBackendName } from '../../../platform/config.js';
import { badInput, forbidden } from '../../../platform/errors.js';
import type { CompanyStorageSettingsModel } from '../models.js';
import type { CompanyStorageRepository } from '../repositories/company-storage-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import type { ShareCredentials } from './share-credentials.js';

export interface StorageSettingsInput {
  backend: string;
  maxFileBytes?: number | null;
  nextcloudShares?: boolean | null;
  nextcloudUrl?: string | null;
  nextcloudUsername?: string | null;
  nextcloudAppPassword?: string | null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on loopback; never credentials, a query or a fragment in the URL. */
export function parseNextcloudUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput('nextcloudUrl must be an absolute URL', 'nextcloudUrl');
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure) throw badInput('nextcloudUrl must use https', 'nextcloudUrl');
  if (url.username || url.password) throw badInput('nextcloudUrl must not carry credentials: use nextcloudUsername and nextcloudAppPassword', 'nextcloudUrl');
  if (url.search || url.hash) throw badInput('nextcloudUrl must not have a query or fragment', 'nextcloudUrl');
  return url.toString().replace(/\/+$/, '');
}

export class StorageSettingsService {
  constructor(
    private readonly viewer: Viewer,
    private readonly repository: CompanyStorageRepository,
    private readonly config: DocumentsConfig,
    private readonly backends: StorageBackends,
    private readonly credentials: ShareCredentials,
  ) {}

  private requireAdmin(): void {
    if (!isAdmin(this.viewer)) throw forbidden('Only company admins manage storage settings');
  }

  async get(): Promise<CompanyStorageSettingsModel> {
    this.requireAdmin();
    const stored = await this.repository.find(this.viewer.companyId);
    const backend = (stored.backend ?? this.config.defaultBackend) as StorageBackendName;
    return {
      backend,
      isDefault: stored.backend === null,
      maxFileBytes: stored.maxFileBytes,
      effectiveMaxFileBytes: Math.min(this.config.maxUploadBytes, stored.maxFileBytes ?? Number.POSITIVE_INFINITY),
      availableBackends: this.backends.all().map((b) => b.name),
      nextcloudShares: stored.nextcloudShares,
      nextcloudUrl: stored.nextcloudUrl,
      nextcloudUsername: stored.nextcloudUsername,
      hasNextcloudAppPassword: stored.nextcloudPasswordEncrypted !== null,
      updatedAt: stored.updatedAt,
    };
  }

  async set(input: StorageSettingsInput): Promise<CompanyStorageSettingsModel> {
    this.requireAdmin();
    const backend = input.backend.trim().toLowerCase();
    if (!(STORAGE_BACKEND_NAMES as readonly string[]).includes(backend)) throw badInput(`backend must be one of ${STORAGE_BACKEND_NAMES.join(', ')}`, 'backend');
    if (!this.backends.has(backend)) throw badInput(`The ${backend} backend is not configured on this server`, 'backend');
    const maxFileBytes = input.maxFileBytes ?? null;
    if (maxFileBytes !== null && (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > this.config.maxUploadBytes)) {
      throw badInput(`maxFileBytes must be a whole number from 1 to ${this.config.maxUploadBytes}`, 'maxFileBytes');
    }
    const nextcloudUrl = input.nextcloudUrl ? parseNextcloudUrl(input.nextcloudUrl) : null;
    const nextcloudUsername = input.nextcloudUsername?.trim() || null;
    if (nextcloudUsername && (nextcloudUsername.length > 200 || /[\u0000-\u001f\u007f:]/.test(nextcloudUsername))) {
      throw badInput('nextcloudUsername must be at most 200 characters, without control characters or colons', 'nextcloudUsername');
    }
    const password = input.nextcloudAppPassword;
    if (password != null && (password.length < 1 || password.length > 500)) throw badInput('nextcloudAppPassword must have 1 to 500 characters', 'nextcloudAppPassword');
    const stored = await this.repository.find(this.viewer.companyId);
    // A new account (or server) without a new password must not inherit the old account's password.
    const sameAccount = nextcloudUsername === stored.nextcloudUsername && nextcloudUrl === stored.nextcloudUrl;
    const keepsPassword = password == null && sameAccount && stored.nextcloudPasswordEncrypted !== null;
    const nextcloudShares = input.nextcloudShares ?? false;
    if (nextcloudShares) {
      if (!this.backends.has('webdav')) throw badInput('Nextcloud shares need the WebDAV backend configured on this server', 'nextcloudShares');
      if (!nextcloudUrl || !nextcloudUsername || (password == null && !keepsPassword)) {
        throw badInput('Nextcloud shares need nextcloudUrl, nextcloudUsername and nextcloudAppPassword', 'nextcloudShares');
      }
    }
    await this.repository.upsert(this.viewer.companyId, {
      backend, maxFileBytes, nextcloudShares, nextcloudUrl, nextcloudUsername, updatedBy: this.viewer.userId,
      nextcloudPasswordEncrypted: password != null ? this.credentials.encrypt(this.viewer.companyId, password) : keepsPassword ? undefined : null,
    });
    return this.get();
  }
}
