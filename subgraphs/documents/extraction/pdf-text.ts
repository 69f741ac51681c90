/**
 * A PDF's text, page by page, with pdf.js (Mozilla's PDF reader, in the
 * serverless build `unpdf` ships). Loaded on first use: processes that never
 * index a PDF do not carry it. The file is untrusted input: no XFA forms,
 * no system or web fonts (this pdf.js never evaluates font code). Stops
 * reading pages once enough text is kept or the deadline has passed. Its
 * console warnings are off: a file it cannot read throws.
 */
import { checkDeadline, type ExtractionLimits } from './extract-text.js';

export async function pdfText(bytes: Uint8Array, limits: ExtractionLimits): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  // pdf.js takes the buffer over (transfers it): give it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { disableFontFace: true, useSystemFonts: false, enableXfa: false, verbosity: 0 });
  try {
    const pages: string[] = [];
    let length = 0;
    for (let number = 1; number <= pdf.numPages && length < limits.maxChars; number++) {
      checkDeadline(limits);
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      page.cleanup();
      pages.push(text);
      length += text.length + 1;
    }
    return pages.join('\n');
  } finally {
    await pdf.loadingTask.destroy();
  }
}
