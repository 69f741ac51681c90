/**
 * The bytes a backend sends for a download, held to what we stored: exactly
 * the answer's Content-Length, and for a whole file the checksum recorded at
 * upload. Browsable backends (WebDAV, Nextcloud) are edited by people, so the
 * object under a key can change behind our back. Without this guard a longer
 * file ran past Content-Length onto the keep-alive connection (where the next
 * answer is read from: the gateway pools its connections to this service), a
 * shorter one left the client waiting, and a file of the same size went out
 * as if it were the one we stored.
 *
 * On a mismatch the stream fails, which cuts the answer: the client sees an
 * incomplete transfer, never the changed bytes as a complete file (the last
 * chunk of a whole file is held back until its checksum is known).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** The stored object no longer is what was uploaded (another size or other bytes). */
export class StoredObjectChangedError extends Error {}

/** `checksum`: the stored SHA-256 (hex) when the whole file is sent, null for a range. */
export function verifiedBody(length: number, checksum: string | null): Transform {
  const hash = checksum && /^[0-9a-f]{64}$/.test(checksum) ? createHash('sha256') : null;
  let received = 0;
  let held: Buffer | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > length) return callback(new StoredObjectChangedError(`the backend sent more than the ${length} bytes stored`));
      if (!hash) return callback(null, chunk);
      hash.update(chunk);
      const previous = held;
      held = chunk;
      callback(null, previous ?? undefined);
    },
    flush(callback) {
      if (received < length) return callback(new StoredObjectChangedError(`the backend sent ${received} of the ${length} bytes stored`));
      if (hash && hash.digest('hex') !== checksum) return callback(new StoredObjectChangedError('the bytes the backend sent do not match the checksum stored'));
      callback(null, held ?? undefined);
    },
  });
}
