/**
 * A company's own storage server as an admin gives it: a WebDAV server
 * (Nextcloud's remote.php/dav/files/<user>, or any other) or an S3 bucket.
 * Non-secret settings are checked and normalised here; the secret (password
 * or secret access key) travels apart, to be encrypted.
 */
import { badInput } from '../../../platform/errors.js';
import type { StorageProfileSettings } from '../database.js';
import type { NewStorageProfile } from './storage-profiles.js';

export interface StorageServerInput {
  url?: string | null;
  username?: string | null;
  root?: string | null;
  bucket?: string | null;
  region?: string | null;
  accessKeyId?: string | null;
  forcePathStyle?: boolean | null;
  secret?: string | null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on loopback; never credentials, a query or a fragment in the URL. */
export function parseServerUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput(`${field} must be an absolute URL`, field);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)));
  if (!secure) throw badInput(`${field} must use https`, field);
  if (url.username || url.password) throw badInput(`${field} must not carry credentials: give them in their own fields`, field);
  if (url.search || url.hash) throw badInput(`${field} must not have a query or fragment`, field);
  return url.toString().replace(/\/+$/, '');
}

function text(value: string | null | undefined, field: string, pattern: RegExp, hint: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > 200 || !pattern.test(trimmed)) throw badInput(`${field} ${hint}`, field);
  return trimmed;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

export function parseStorageServer(backend: string, input: StorageServerInput): NewStorageProfile {
  if (backend !== 'webdav' && backend !== 's3') throw badInput('Only webdav and s3 can be a company\u2019s own server', 'server');
  const secret = input.secret ?? null;
  if (secret !== null && (secret.length < 1 || secret.length > 500)) throw badInput('server.secret must have 1 to 500 characters', 'server.secret');
  let settings: StorageProfileSettings;
  if (backend === 'webdav') {
    if (!input.url) throw badInput('A WebDAV server needs server.url', 'server.url');
    const root = text(input.root, 'server.root', /^\/?[A-Za-z0-9._ -]+(\/[A-Za-z0-9._ -]+)*\/?$/, 'must be a plain folder path') ?? '/bheem-documents';
    if (root.split('/').some((part) => part === '..' || part === '.')) throw badInput('server.root must be a plain folder path', 'server.root');
    settings = {
      url: parseServerUrl(input.url, 'server.url'),
      username: text(input.username, 'server.username', /^[^\u0000-\u001f\u007f:]+$/, 'must have no control characters or colons'),
      root: `/${root.replace(/^\/+|\/+$/g, '')}`,
    };
  } else {
    const bucket = text(input.bucket, 'server.bucket', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name');
    if (!bucket) throw badInput('An S3 server needs server.bucket', 'server.bucket');
    settings = {
      bucket,
      ...(input.url && { endpoint: parseServerUrl(input.url, 'server.url') }),
      region: text(input.region, 'server.region', /^[a-z0-9-]+$/, 'must be a region name') ?? 'us-east-1',
      accessKeyId: text(input.accessKeyId, 'server.accessKeyId', PRINTABLE, 'must have no control characters'),
      forcePathStyle: input.forcePathStyle ?? !!input.url,
    };
  }
  return { backend, settings: JSON.parse(JSON.stringify(settings)) as StorageProfileSettings, secret };
}

/** Same server, same account: then a left-out secret means "keep the stored one". */
export function sameServer(a: StorageProfileSettings, b: StorageProfileSettings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof StorageProfileSettings>;
  return [...keys].every((key) => a[key] === b[key]);
}
