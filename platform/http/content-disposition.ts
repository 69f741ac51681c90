/**
 * Content-Disposition per RFC 6266 (downloads of documents and recordings): an ASCII `filename` for old clients and
 * the exact name as `filename*` (RFC 8187, UTF-8, percent-encoded).
 */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii =
    filename
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%]/g, '_')
      .trim() || 'download';
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(filename)}`;
}
