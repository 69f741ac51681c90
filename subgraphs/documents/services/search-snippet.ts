/**
 * ts_headline's passage as text and highlight ranges: PostgreSQL marks the
 * matched words with control characters that extracted text never contains
 * (clean-text.ts), so the markers cannot be forged by a document, and the
 * client decides how to show them (no HTML to trust or escape on our side).
 */
import type { SearchSnippetModel } from '../models.js';
import { SNIPPET_START, SNIPPET_STOP } from '../repositories/search-repository.js';

export function parseHeadline(headline: string): SearchSnippetModel {
  let text = '';
  const highlights: SearchSnippetModel['highlights'] = [];
  let start = -1;
  for (const char of headline) {
    if (char === SNIPPET_START) {
      start = text.length;
    } else if (char === SNIPPET_STOP) {
      if (start >= 0 && text.length > start) highlights.push({ start, length: text.length - start });
      start = -1;
    } else {
      text += char;
    }
  }
  return { text, highlights };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** The passage as HTML: the text escaped, each highlight in <mark>. */
export function snippetHtml(snippet: SearchSnippetModel): string {
  let html = '';
  let at = 0;
  for (const { start, length } of snippet.highlights) {
    html += `${escapeHtml(snippet.text.slice(at, start))}<mark>${escapeHtml(snippet.text.slice(start, start + length))}</mark>`;
    at = start + length;
  }
  return html + escapeHtml(snippet.text.slice(at));
}
