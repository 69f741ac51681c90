/**
 * Files on a WebDAV server (Nextcloud, or any RFC 4918 server) through the
 * `webdav` client. Uploads stream to a temporary name and are MOVEd into
 * place once complete, so a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path/posix';
import { Readable } from 'node:stream';
import type { FileStat, WebDAVClient } from 'webdav';
import type { DocumentsConfig } from '../../../platform/config.js';
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import { meterBody, statusOf } from './stream-errors.js';
import {
  assertStorageKey,
  ObjectNotFoundError,
  ObjectTooLargeError,
  StorageUnavailableError,
  type ByteRange,
  type PutOptions,
  type StorageBackend,
  type StoredObject,
} from './storage-backend.js';

type WebDavSettings = NonNullable<DocumentsConfig['webdav']>;

export class WebDavStorageBackend implements StorageBackend {
  readonly name = 'webdav' as const;
  readonly browsable = true;
  private readonly settings: WebDavSettings;
  private readonly egress: EgressPolicy | undefined;
  private clientLoaded: Promise<WebDAVClient> | undefined;
  private readonly root: string;
  private readonly knownDirectories = new Set<string>();

  /** `egress` for a company's own server (an address a user gave). */
  constructor(settings: WebDavSettings, egress?: EgressPolicy) {
    this.settings = settings;
    this.egress = egress;
    this.root = `/${settings.root.replace(/^\/+|\/+$/g, '')}`;
  }

  /** The client, made at first use: the `webdav` package (ES modules, about 0.4 s of CPU) loads only where WebDAV is used. */
  private client(): Promise<WebDAVClient> {
    const { url, username, password } = this.settings;
    this.clientLoaded ??= import('webdav').then(({ createClient }) => createClient(url, { username, password, ...this.egress?.agents() }));
    return this.clientLoaded;
  }

  /** The object's path below the server's URL: with Nextcloud, the path in that account's files (its share API takes it). */
  pathOf(key: string): string {
    assertStorageKey(key);
    return `${this.root}/${key}`;
  }

  /** Our errors for theirs: a status of 404 is "missing", anything without a status (or a 5xx) is "unavailable". */
  private wrap(error: unknown): Error {
    const status = statusOf(error);
    if (status === undefined || status >= 500) return new StorageUnavailableError(this.name, error);
    return error as Error;
  }

  private async ensureDirectory(directory: string): Promise<void> {
    if (this.knownDirectories.has(directory)) return;
    await (await this.client()).createDirectory(directory, { recursive: true });
    this.knownDirectories.add(directory);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const target = this.pathOf(key);
    const partial = `${target}.${randomUUID()}.part`;
    const metered = meterBody(body, options.maxBytes);
    try {
      await this.ensureDirectory(path.dirname(target));
      await (await this.client()).putFileContents(partial, metered.stream, { overwrite: true }).catch((error: unknown) => {
        // 409: the folder is gone (emptied and removed since we made it): forget it, so the next attempt makes it again.
        if (statusOf(error) === 409) this.knownDirectories.delete(path.dirname(target));
        throw error;
      });
      const failure = metered.failure();
      if (failure) throw failure;
      await (await this.client()).moveFile(partial, target, { overwrite: true });
      return metered.stream.result();
    } catch (error) {
      metered.stream.destroy();
      await (await this.client()).deleteFile(partial).catch(() => {});
      const failure = metered.failure();
      if (failure instanceof ObjectTooLargeError) throw failure;
      if (failure && statusOf(error) === undefined) throw failure; // the client's body failed (e.g. it went away)
      throw this.wrap(error);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const response = await (await this.client()).customRequest(this.pathOf(key), {
        method: 'GET',
        headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
      });
      if (range && response.status !== 206) throw new StorageUnavailableError(this.name, new Error(`expected 206, got ${response.status}`));
      const body = (response as unknown as { body: unknown }).body;
      return body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
    } catch (error) {
      if (statusOf(error) === 404) throw new ObjectNotFoundError(key);
      throw this.wrap(error);
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const stat = (await (await this.client()).stat(this.pathOf(key))) as FileStat;
      return { size: stat.size };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw this.wrap(error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await (await this.client()).deleteFile(file);
    } catch (error) {
      if (statusOf(error) !== 404) throw this.wrap(error);
    }
    await this.removeEmptyFolders(path.dirname(file));
  }

  /**
   * The record's folder, then the company's, while they are empty (never the
   * root). Best effort: a folder that is not empty, or that fails, stays.
   */
  private async removeEmptyFolders(directory: string): Promise<void> {
    for (let folder = directory; folder.startsWith(`${this.root}/`); folder = path.dirname(folder)) {
      try {
        const entries = (await (await this.client()).getDirectoryContents(folder)) as FileStat[];
        if (entries.length > 0) return;
        await (await this.client()).deleteFile(folder);
        this.knownDirectories.delete(folder);
      } catch {
        return;
      }
    }
  }

  async check(): Promise<void> {
    try {
      await this.ensureDirectory(this.root);
    } catch (error) {
      this.knownDirectories.delete(this.root);
      throw this.wrap(error);
    }
  }
}
