/**
 * Office files are ZIP archives: their entries are read with fflate, after
 * checking what the archive says it unpacks to, so that a small "zip bomb"
 * never unpacks to gigabytes in memory.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';

export class ArchiveTooLargeError extends Error {
  constructor(limit: number) {
    super(`The archive unpacks to more than ${limit} bytes`);
  }
}

/** Throws ArchiveTooLargeError when the entries' declared sizes add up to more than `maxBytes`. */
export function checkUnpackedSize(bytes: Uint8Array, maxBytes: number): void {
  let total = 0;
  unzipSync(bytes, {
    filter: (file: UnzipFileInfo) => {
      total += file.originalSize;
      return false;
    },
  });
  if (total > maxBytes) throw new ArchiveTooLargeError(maxBytes);
}

/** One entry's bytes (null when absent), within the size limit. */
export function readEntry(bytes: Uint8Array, name: string, maxBytes: number): Uint8Array | null {
  checkUnpackedSize(bytes, maxBytes);
  const entries = unzipSync(bytes, { filter: (file) => file.name === name });
  const entry = entries[name];
  // fflate trusts the declared size only as a hint: check what came out.
  if (entry && entry.length > maxBytes) throw new ArchiveTooLargeError(maxBytes);
  return entry ?? null;
}
