/**
 * A company's Nextcloud app password at rest: the platform's AES-256-GCM
 * credential cipher (the one CalDAV app passwords use), with the company and
 * purpose bound in as additional data, so a value copied to another
 * company's row, or to a CalDAV account, does not decrypt.
 */
import { CredentialCipher } from '../../calendar/caldav/credentials.js';

const ownerOf = (companyId: string) => `documents:nextcloud:${companyId}`;

export class ShareCredentials {
  private readonly cipher: CredentialCipher;

  constructor(keyMaterial: string) {
    this.cipher = new CredentialCipher(keyMaterial);
  }

  encrypt(companyId: string, password: string): string {
    return this.cipher.encrypt(password, ownerOf(companyId));
  }

  decrypt(companyId: string, stored: string): string {
    return this.cipher.decrypt(stored, ownerOf(companyId));
  }
}
