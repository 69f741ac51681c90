/** A Word (DOCX) document's text with mammoth (its raw text: paragraphs, tables, lists), loaded on first use. */
import type { ExtractionLimits } from './extract-text.js';
import { checkUnpackedSize } from './zip-entries.js';

export async function docxText(bytes: Uint8Array, limits: ExtractionLimits): Promise<string> {
  checkUnpackedSize(bytes, limits.maxUnpackedBytes);
  const mammoth = await import('mammoth');
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  return result.value;
}
