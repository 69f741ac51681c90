/**
 * Text no service stores: C0 control characters other than tab, line feed
 * and carriage return (PostgreSQL refuses NUL outright, "invalid byte
 * sequence for encoding UTF8", and the others are terminal escapes and
 * protocol breakers), and lone UTF-16 surrogates (encoded as U+FFFD on the
 * way out: silently changed data). Refused at the gateway with
 * BAD_USER_INPUT, in operation literals and variables alike.
 */
// One pass over UTF-16 code units: a forbidden control, a high surrogate without its low half, or a low one without its high half.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const CONTROL_CHARACTER_MESSAGE = 'Text may not contain control characters (other than tab and newlines) or unpaired surrogates';

export function isAcceptableText(value: string): boolean {
  return !FORBIDDEN.test(value);
}
