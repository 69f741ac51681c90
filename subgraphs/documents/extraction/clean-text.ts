/**
 * Extracted text as it is stored and indexed: no control characters (NUL
 * cannot be stored; the others would be mistaken for the snippet's
 * highlight markers), runs of blanks folded, at most `maxChars` characters,
 * never cutting a surrogate pair.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/g;

export function cleanText(text: string, maxChars: number): string {
  let cleaned = text
    .replace(CONTROL, ' ')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n[ \n]*/g, '\n')
    .trim();
  if (cleaned.length > maxChars) {
    const cut = /[\ud800-\udbff]/.test(cleaned[maxChars - 1] ?? '') ? maxChars - 1 : maxChars;
    cleaned = cleaned.slice(0, cut);
  }
  return cleaned;
}
