/** Text files (txt, csv, tsv, markdown, json): UTF-8, invalid bytes replaced, no more read than can be kept. */
import type { ExtractionLimits } from './extract-text.js';

export async function plainText(bytes: Uint8Array, limits: ExtractionLimits): Promise<string> {
  // A character is at most 4 bytes of UTF-8: this many bytes hold the characters kept.
  return new TextDecoder('utf-8').decode(bytes.subarray(0, limits.maxChars * 4));
}
