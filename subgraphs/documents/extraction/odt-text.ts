/**
 * An OpenDocument text's words: content.xml from the archive, paragraphs,
 * headings and table cells as lines, tabs and `text:s` as spaces, every
 * other tag dropped and XML entities decoded. Styles carry no text.
 */
import type { ExtractionLimits } from './extract-text.js';
import { readEntry } from './zip-entries.js';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  });
}

export function odtXmlText(xml: string): string {
  const body = xml.slice(Math.max(0, xml.indexOf('<office:body')));
  return decodeEntities(
    body
      .replace(/<text:(?:tab|s)\b[^>]*\/>/g, ' ')
      .replace(/<text:line-break\b[^>]*\/>/g, '\n')
      .replace(/<\/(?:text:p|text:h|table:table-cell|text:list-item)>/g, '\n')
      .replace(/<[^>]*>/g, ''),
  );
}

export async function odtText(bytes: Uint8Array, limits: ExtractionLimits): Promise<string> {
  const content = readEntry(bytes, 'content.xml', limits.maxUnpackedBytes);
  if (!content) throw new Error('Not an OpenDocument file: no content.xml');
  return odtXmlText(new TextDecoder('utf-8').decode(content));
}
