/**
 * The text of a stored file, for the search index, by its sniffed type:
 * PDF (pdf.js through unpdf), DOCX (mammoth), ODT (its content.xml), and
 * plain text (txt, csv, tsv, markdown, json). Other types have no text we
 * read. Uploads are typed from their first 4 KiB: an office file whose
 * archive lists its type last (the `docx` library writes them so) is typed
 * application/zip there, and is typed again here from all its bytes. Extraction stops at `maxChars` and at `deadline`; a broken file
 * throws, and the indexer records why.
 */
import { docxText } from './docx-text.js';
import { odtText } from './odt-text.js';
import { pdfText } from './pdf-text.js';
import { plainText } from './plain-text.js';
import { cleanText } from './clean-text.js';

export interface ExtractionLimits {
  /** Characters of text kept (the rest is not indexed). */
  maxChars: number;
  /** Epoch milliseconds after which extraction gives up (ExtractionTimeoutError). */
  deadline: number;
  /** Most bytes an archive (DOCX, ODT) may say it unpacks to. */
  maxUnpackedBytes: number;
}

export type Extracted = { supported: true; text: string } | { supported: false };

type Extractor = (bytes: Uint8Array, limits: ExtractionLimits) => Promise<string>;

const EXTRACTORS: Record<string, Extractor> = {
  'application/pdf': pdfText,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': docxText,
  'application/vnd.oasis.opendocument.text': odtText,
  'text/plain': plainText,
  'text/csv': plainText,
  'text/tab-separated-values': plainText,
  'text/markdown': plainText,
  'application/json': plainText,
};

export class ExtractionTimeoutError extends Error {
  constructor() {
    super('Text extraction took too long');
  }
}

const ARCHIVE = 'application/zip';

/** Whether files of this type may have text we can index. */
export const hasExtractor = (mimeType: string | null): boolean => !!mimeType && (mimeType in EXTRACTORS || mimeType === ARCHIVE);

export async function extractText(bytes: Uint8Array, sniffedType: string | null, limits: ExtractionLimits): Promise<Extracted> {
  const mimeType = sniffedType === ARCHIVE ? ((await (await import('file-type')).fileTypeFromBuffer(bytes))?.mime ?? ARCHIVE) : sniffedType;
  const extractor = mimeType ? EXTRACTORS[mimeType] : undefined;
  if (!extractor) return { supported: false };
  return { supported: true, text: cleanText(await extractor(bytes, limits), limits.maxChars) };
}

/** Throws once the deadline has passed: extractors call it between pages or parts. */
export function checkDeadline(limits: ExtractionLimits): void {
  if (Date.now() > limits.deadline) throw new ExtractionTimeoutError();
}
