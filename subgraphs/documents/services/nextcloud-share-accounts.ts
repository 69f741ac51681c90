/**
 * Which share links become Nextcloud shares: those of documents whose
 * current version is on the WebDAV backend, in companies whose settings turn
 * Nextcloud shares on with an account (URL, user, encrypted app password).
 * The WebDAV backend must be that account's files (remote.php/dav/files/<user>),
 * so that the object's WebDAV path is its path in Nextcloud.
 */
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import type { DocumentModel } from '../models.js';
import type { CompanyStorageRepository } from '../repositories/company-storage-repository.js';
import type { StorageBackends } from '../storage/storage-backends.js';
import { WebDavStorageBackend } from '../storage/webdav-backend.js';
import { NextcloudShares } from './nextcloud-shares.js';
import type { CompanySecrets } from './company-secrets.js';

export class NextcloudShareAccounts {
  constructor(
    private readonly companyStorage: CompanyStorageRepository,
    private readonly secrets: CompanySecrets,
    private readonly backends: StorageBackends,
    private readonly egress: EgressPolicy,
  ) {}

  /**
   * The company's Nextcloud share client: for new links when its settings ask
   * for Nextcloud shares, for revoking existing ones whenever the account is
   * still configured (turning new shares off must not strand live ones). Null otherwise.
   */
  async clientFor(companyId: string, purpose: 'create' | 'revoke'): Promise<NextcloudShares | null> {
    const settings = await this.companyStorage.find(companyId);
    if ((purpose === 'create' && !settings.nextcloudShares) || !settings.nextcloudUrl || !settings.nextcloudUsername || !settings.nextcloudPasswordEncrypted) return null;
    return new NextcloudShares(
      {
        url: settings.nextcloudUrl,
        username: settings.nextcloudUsername,
        appPassword: this.secrets.decrypt(companyId, 'nextcloud', settings.nextcloudPasswordEncrypted),
      },
      this.egress,
    );
  }

  /** The document's current object as a path in the Nextcloud account's files; null when it is not on WebDAV. */
  async pathOf(document: DocumentModel): Promise<string | null> {
    if (document.storageBackend !== 'webdav') return null;
    const backend = await this.backends.of({ storage_backend: document.storageBackend, storage_profile: document.storageProfile });
    return backend instanceof WebDavStorageBackend ? backend.pathOf(document.storageKey) : null;
  }
}
