/**
 * The S3 (or MinIO, or any S3-compatible) bucket LiveKit egress uploads
 * recordings to: the upload settings handed to egress, presigned GETs for
 * playing, and deletion.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Upload } from 'livekit-server-sdk';
import type { S3Settings } from '../../../platform/config/s3-settings.js';
import { requireWhenUsed } from '../../../platform/lazy-require.js';
import { livekitSdk } from '../livekit/sdk.js';
import { createS3Client, s3Sdk } from '../../../platform/storage/s3-client.js';
import { contentDisposition } from '../../../platform/http/content-disposition.js';

export class RecordingBucket {
  private readonly client: S3Client;
  /** Signs URLs for browsers: the same bucket under the origin they can reach (signing needs no connection). */
  private readonly presigner: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = createS3Client(settings);
    this.presigner = settings.publicEndpoint ? createS3Client({ ...settings, endpoint: settings.publicEndpoint }) : this.client;
  }

  /** Where and how egress uploads (it needs its own credentials: it is another process, often another host). */
  egressUpload(): S3Upload {
    const { bucket, endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = this.settings;
    const { S3Upload } = livekitSdk();
    return new S3Upload({ bucket, endpoint: endpoint ?? '', region, accessKey: accessKeyId ?? '', secret: secretAccessKey ?? '', forcePathStyle });
  }

  /** A GET URL signed with the bucket's credentials (SigV4 query), valid `ttlSeconds`: the player fetches S3 directly. */
  presignedGet(key: string, ttlSeconds: number, fileName: string): Promise<string> {
    const { getSignedUrl } = requireWhenUsed('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');
    const command = new (s3Sdk().GetObjectCommand)({
      Bucket: this.settings.bucket,
      Key: key,
      ResponseContentType: 'video/mp4',
      // The name is LiveKit's (an adopted egress's own): any Unicode, quotes included, so RFC 6266's two forms.
      ResponseContentDisposition: contentDisposition(fileName, 'inline'),
    });
    return getSignedUrl(this.presigner, command, { expiresIn: ttlSeconds });
  }

  /** Removes the object; S3 answers a missing key with success too. */
  async remove(key: string): Promise<void> {
    await this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.settings.bucket, Key: key }));
  }
}
