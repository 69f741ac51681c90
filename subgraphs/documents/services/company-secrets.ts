/**
 * A company's secrets at rest (its Nextcloud app password, its own storage
 * server's password or secret key): the platform's AES-256-GCM credential
 * cipher (the one CalDAV app passwords use), with the company and the
 * secret's purpose bound in as additional data, so a value copied to another
 * company's row, another purpose, or a CalDAV account does not decrypt.
 */
import { CredentialCipher } from '../../../platform/crypto/credential-cipher.js';

export type SecretPurpose = 'nextcloud' | `storage-profile:${string}`;

const ownerOf = (companyId: string, purpose: SecretPurpose) => `documents:${purpose}:${companyId}`;

export class CompanySecrets {
  private readonly cipher: CredentialCipher;

  constructor(keyMaterial: string, previousKeyMaterial: readonly string[] = []) {
    this.cipher = new CredentialCipher(keyMaterial, previousKeyMaterial);
  }

  encrypt(companyId: string, purpose: SecretPurpose, secret: string): string {
    return this.cipher.encrypt(secret, ownerOf(companyId, purpose));
  }

  decrypt(companyId: string, purpose: SecretPurpose, stored: string): string {
    return this.cipher.decrypt(stored, ownerOf(companyId, purpose));
  }
}
