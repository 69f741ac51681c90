/**
 * The content type of stored bytes, sniffed from their head with `file-type`
 * (magic numbers). What the client claims is never used: a file served from
 * our origin with a type of the uploader's choosing is an XSS vector. Text
 * has no magic number; valid UTF-8 without NUL bytes is text, typed by its
 * extension among a few harmless text types, text/plain otherwise.
 */

/** file-type needs at most this many bytes. */
export const SNIFF_BYTES = 4100;

const TEXT_TYPES: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  md: 'text/markdown',
  json: 'application/json',
};

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the head: ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= Math.min(3, head.length); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}

export async function sniffContentType(head: Buffer, filename: string): Promise<string> {
  const detected = await (await import('file-type')).fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.length > 0 && looksLikeText(head)) {
    const extension = filename.toLowerCase().split('.').pop() ?? '';
    return TEXT_TYPES[extension] ?? 'text/plain';
  }
  return 'application/octet-stream';
}
