/**
 * A pass-through stream that hashes and counts what flows through it, and
 * fails the pipeline the moment the byte count passes a limit (so an
 * oversized upload is cut off, not stored and then measured).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { ObjectTooLargeError, type StoredObject } from './storage-backend.js';

export interface MeteredStream extends Transform {
  result(): StoredObject;
}

export function meteredStream(maxBytes = Number.POSITIVE_INFINITY): MeteredStream {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new ObjectTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  }) as MeteredStream;
  stream.result = () => {
    digest ??= hash.digest('hex');
    return { size, sha256: digest };
  };
  return stream;
}
