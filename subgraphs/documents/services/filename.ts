/**
 * File names as users send them are data, not paths: we keep a sanitized
 * name (what we serve in Content-Disposition) and the original for display.
 * Storage keys never derive from either.
 */
import { badInput } from '../../../platform/errors.js';

const MAX_FILENAME_BYTES = 255;
const MAX_ORIGINAL_CHARS = 1000;
// C0 and C1 controls, DEL, and the bidirectional overrides that disguise extensions ("evil\u202Etxt.exe").
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /[<>:"|?*\\/]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let result = '';
  for (const char of text) {
    if (Buffer.byteLength(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

/** The display name: NFC, no control characters, bounded. */
export function cleanOriginalFilename(raw: string): string {
  return raw.normalize('NFC').replace(CONTROL, '').slice(0, MAX_ORIGINAL_CHARS);
}

/** A safe file name: last path segment only, no controls or reserved characters, NFC, at most 255 bytes (extension kept). */
export function sanitizeFilename(raw: string): string {
  const base = cleanOriginalFilename(raw).split(/[\\/]/).pop() ?? '';
  let name = base
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (!name) throw badInput('The file name is empty once path and control characters are removed', 'filename');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > MAX_FILENAME_BYTES) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = truncateUtf8(name.slice(0, name.length - extension.length), MAX_FILENAME_BYTES - Buffer.byteLength(extension)) + extension;
  }
  return name;
}
