import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** What egress does at the end with an S3Upload output: put the file in that bucket. Returns the object's location. */
export async function uploadToS3(upload: Record<string, any>, key: string, body: string | Buffer): Promise<string> {
  const client = new S3Client({
    endpoint: upload.endpoint || undefined,
    region: upload.region || 'us-east-1',
    forcePathStyle: !!upload.forcePathStyle,
    credentials: { accessKeyId: String(upload.accessKey ?? ''), secretAccessKey: String(upload.secret ?? '') },
  });
  try {
    await client.send(new PutObjectCommand({ Bucket: upload.bucket, Key: key, Body: body, ContentType: 'video/mp4' }));
  } finally {
    client.destroy();
  }
  return `${String(upload.endpoint ?? '').replace(/\/$/, '')}/${upload.bucket}/${key}`;
}
