/**
 * Objects in S3 or an S3-compatible store (MinIO) through the AWS SDK v3.
 * Uploads stream as multipart (`@aws-sdk/lib-storage` Upload: a few parts in
 * flight, never the whole file); an object only appears once complete.
 */
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../../platform/config/s3-settings.js';
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import { requireWhenUsed } from '../../../platform/lazy-require.js';
import { createS3Client, s3Sdk } from '../../../platform/storage/s3-client.js';
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

const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

export class S3StorageBackend implements StorageBackend {
  readonly name = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;

  /** `egress` for a company's own bucket (an address a user gave). */
  constructor(settings: S3Settings, egress?: EgressPolicy) {
    this.bucket = settings.bucket;
    this.client = createS3Client(settings, egress);
  }

  private keyOf(key: string): string {
    assertStorageKey(key);
    return key;
  }

  private wrap(error: unknown): Error {
    const status = statusOf(error);
    if (status === undefined || status >= 500) return new StorageUnavailableError(this.name, error);
    return error as Error;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const metered = meterBody(body, options.maxBytes);
    const { Upload } = requireWhenUsed('@aws-sdk/lib-storage') as typeof import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.keyOf(key), Body: metered.stream, ContentType: 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      metered.stream.destroy();
      const failure = metered.failure();
      if (failure instanceof ObjectTooLargeError) throw failure;
      if (failure && statusOf(error) === undefined) throw failure;
      throw this.wrap(error);
    }
    const failure = metered.failure();
    if (failure) {
      await this.delete(key).catch(() => {});
      throw failure;
    }
    return metered.stream.result();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key: this.keyOf(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (statusOf(error) === 404) throw new ObjectNotFoundError(key);
      throw this.wrap(error);
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const head = await this.client.send(new (s3Sdk().HeadObjectCommand)({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return { size: Number(head.ContentLength ?? 0) };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw this.wrap(error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: this.keyOf(key) }));
    } catch (error) {
      if (statusOf(error) !== 404) throw this.wrap(error);
    }
  }

  async check(): Promise<void> {
    try {
      // A listing, not HeadBucket: any web server answers HEAD with 200, only S3 names the bucket it listed.
      const listing = await this.client.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: this.bucket, MaxKeys: 1 }));
      if (listing.Name !== this.bucket) throw new Error('The endpoint did not answer as S3');
    } catch (error) {
      throw new StorageUnavailableError(this.name, error);
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
