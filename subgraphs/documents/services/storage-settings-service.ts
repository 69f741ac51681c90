/**
 * A company's storage settings through the API, for its admins only: the
 * backend new files go to, on the server-configured backend or the
 * company's own WebDAV or S3 server (existing documents keep the backend and
 * server their rows name), the company's size limit, and Nextcloud sharing.
 * Passwords and secret keys are stored encrypted and never returned.
 */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { STORAGE_BACKEND_NAMES, type DocumentsConfig, type StorageBackendName } from '../../../platform/config.js';
import { badInput, forbidden } from '../../../platform/errors.js';
import { outboundFailure } from '../../../platform/http/egress-policy.js';
import type { CompanyStorageSettingsModel } from '../models.js';
import type { CompanyStorageRepository } from '../repositories/company-storage-repository.js';
import type { StorageProfileRepository } from '../repositories/storage-profile-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import type { CompanySecrets } from './company-secrets.js';
import { parseServerUrl, parseStorageServer, sameServer, type StorageServerInput } from './storage-server-input.js';
import { buildProfileBackend, type StorageProfiles } from './storage-profiles.js';

export interface StorageSettingsInput {
  backend: string;
  server?: StorageServerInput | null;
  maxFileBytes?: number | null;
  nextcloudShares?: boolean | null;
  nextcloudUrl?: string | null;
  nextcloudUsername?: string | null;
  nextcloudAppPassword?: string | null;
}

export interface StorageSettingsDeps {
  repository: CompanyStorageRepository;
  profileRows: StorageProfileRepository;
  profiles: StorageProfiles;
  config: DocumentsConfig;
  backends: StorageBackends;
  secrets: CompanySecrets;
}

export class StorageSettingsService {
  constructor(
    private readonly viewer: Viewer,
    private readonly deps: StorageSettingsDeps,
  ) {}

  private requireAdmin(): void {
    if (!isAdmin(this.viewer)) throw forbidden('Only company admins manage storage settings');
  }

  async get(): Promise<CompanyStorageSettingsModel> {
    this.requireAdmin();
    const { config } = this.deps;
    const stored = await this.deps.repository.find(this.viewer.companyId);
    const profile = stored.storageProfile ? await this.deps.profileRows.find(stored.storageProfile) : null;
    return {
      backend: (stored.backend ?? config.defaultBackend) as StorageBackendName,
      isDefault: stored.backend === null,
      server: profile && {
        ...profile.settings,
        url: profile.settings.url ?? profile.settings.endpoint,
        hasSecret: profile.secret_encrypted !== null,
        createdAt: profile.created_at,
      },
      maxFileBytes: stored.maxFileBytes,
      effectiveMaxFileBytes: Math.min(config.maxUploadBytes, stored.maxFileBytes ?? Number.POSITIVE_INFINITY),
      availableBackends: this.deps.backends.all().map((b) => b.name),
      nextcloudShares: stored.nextcloudShares,
      nextcloudUrl: stored.nextcloudUrl,
      nextcloudUsername: stored.nextcloudUsername,
      hasNextcloudAppPassword: stored.nextcloudPasswordEncrypted !== null,
      updatedAt: stored.updatedAt,
    };
  }

  /** The profile new files go to: the current one when the server is unchanged and no new secret is given, else a new one that works. */
  private async storageProfile(backend: string, server: StorageServerInput, current: string | null): Promise<string> {
    const wanted = parseStorageServer(backend, server);
    const existing = current ? await this.deps.profileRows.find(current) : null;
    const unchanged = existing && existing.backend === backend && sameServer(existing.settings, wanted.settings);
    if (unchanged && wanted.secret === null) return existing.id;
    try {
      await buildProfileBackend(backend, wanted.settings, wanted.secret, this.deps.profiles.egress).check();
    } catch (error) {
      // Unreachable, refused credentials, a missing bucket: one answer whatever the reason (no scanning through this).
      throw outboundFailure(error, `${backend} server`, 'server');
    }
    return this.deps.profiles.create(this.viewer.companyId, wanted, this.viewer.userId);
  }

  async set(input: StorageSettingsInput): Promise<CompanyStorageSettingsModel> {
    this.requireAdmin();
    const { config, backends } = this.deps;
    const backend = input.backend.trim().toLowerCase();
    if (!(STORAGE_BACKEND_NAMES as readonly string[]).includes(backend)) throw badInput(`backend must be one of ${STORAGE_BACKEND_NAMES.join(', ')}`, 'backend');
    if (!input.server && !backends.has(backend)) throw badInput(`The ${backend} backend is not configured on this server: give the company's own server`, 'backend');
    const maxFileBytes = input.maxFileBytes ?? null;
    if (maxFileBytes !== null && (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > config.maxUploadBytes)) {
      throw badInput(`maxFileBytes must be a whole number from 1 to ${config.maxUploadBytes}`, 'maxFileBytes');
    }
    const nextcloudUrl = input.nextcloudUrl ? parseServerUrl(input.nextcloudUrl, 'nextcloudUrl') : null;
    const nextcloudUsername = input.nextcloudUsername?.trim() || null;
    if (nextcloudUsername && (nextcloudUsername.length > 200 || /[\u0000-\u001f\u007f:]/.test(nextcloudUsername))) {
      throw badInput('nextcloudUsername must be at most 200 characters, without control characters or colons', 'nextcloudUsername');
    }
    const password = input.nextcloudAppPassword;
    if (password != null && (password.length < 1 || password.length > 500)) throw badInput('nextcloudAppPassword must have 1 to 500 characters', 'nextcloudAppPassword');
    const stored = await this.deps.repository.find(this.viewer.companyId);
    // A new account (or server) without a new password must not inherit the old account's password.
    const sameAccount = nextcloudUsername === stored.nextcloudUsername && nextcloudUrl === stored.nextcloudUrl;
    const keepsPassword = password == null && sameAccount && stored.nextcloudPasswordEncrypted !== null;
    const nextcloudShares = input.nextcloudShares ?? false;
    if (nextcloudShares) {
      if (!backends.has('webdav') && !(backend === 'webdav' && input.server)) throw badInput('Nextcloud shares need a WebDAV backend', 'nextcloudShares');
      if (!nextcloudUrl || !nextcloudUsername || (password == null && !keepsPassword)) {
        throw badInput('Nextcloud shares need nextcloudUrl, nextcloudUsername and nextcloudAppPassword', 'nextcloudShares');
      }
    }
    const storageProfile = input.server ? await this.storageProfile(backend, input.server, stored.storageProfile) : null;
    await this.deps.repository.upsert(this.viewer.companyId, {
      backend,
      storageProfile,
      maxFileBytes,
      nextcloudShares,
      nextcloudUrl,
      nextcloudUsername,
      updatedBy: this.viewer.userId,
      nextcloudPasswordEncrypted: password != null ? this.deps.secrets.encrypt(this.viewer.companyId, 'nextcloud', password) : keepsPassword ? undefined : null,
    });
    return this.get();
  }
}
