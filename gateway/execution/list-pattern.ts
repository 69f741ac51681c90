/**
 * A list of objects of leaves checked in its text by one sticky regular
 * expression, made once per list shape: the list in JSON.stringify's form
 * (the fields asked, in order, no whitespace), each leaf a string without
 * escape or control character (a String, an ID or a custom scalar), a
 * boolean, `__typename`'s value, or null where the type allows it. Irregexp
 * runs through a string's characters several times faster than a scan in
 * JavaScript (the course list's kept lists, bench/README-results.md), and
 * checks every character of the strings, so that no other pass needs to
 * look for control characters in them.
 *
 * Lists the pattern does not take (numbers, enums, escapes, a shape it
 * cannot express) are left to entity-answer-reader.ts's own scan. In an
 * ASCII text the same check runs over the bytes instead (list-scan.ts,
 * list-template.ts, cheaper still); the pattern stays for other texts and
 * where WebAssembly is not there (`node --jitless`).
 *
 * In a text known to hold no backslash and no control character (its
 * bytes looked over by control-bytes.ts, its backslashes by
 * wide-escapes.ts), a string's pattern looks for its closing quote alone:
 * the class of the quote alone costs irregexp ~2.3 instructions a character
 * less (bench/README-results.md), and what it lets through is not there.
 */
import { acceptsAnything, type TypeFields, type ValueShape } from './response-shape.js';

/** A JSON string with no escape and no control character: as JSON.stringify writes such a string. */
const PLAIN_STRING = /"[^"\\\x00-\x1f]*"/.source;
/** The same in a text with no backslash and no control character anywhere. */
const STRING_IN_PLAIN_TEXT = /"[^"]*"/.source;

const escaped = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/"-]/g, '\\$&');
const orNull = (pattern: string, nonNull: boolean) => (nonNull ? pattern : `(?:${pattern}|null)`);

function leafPattern(shape: ValueShape, plainText: boolean): string | undefined {
  if (shape.typeName === 'String' || shape.typeName === 'ID' || shape.isValid === acceptsAnything) return orNull(plainText ? STRING_IN_PLAIN_TEXT : PLAIN_STRING, shape.nonNull);
  if (shape.typeName === 'Boolean') return orNull('(?:true|false)', shape.nonNull);
  return undefined;
}

function itemPattern(type: TypeFields, plainText: boolean): string | undefined {
  const fields: string[] = [];
  for (const field of type.fields) {
    const value = field.isTypename ? `"${escaped(type.typeName)}"` : leafPattern(field.value, plainText);
    if (value === undefined) return undefined;
    fields.push(`"${escaped(field.responseName)}":${value}`);
  }
  return `\\{${fields.join(',')}\\}`;
}

const patterns = new WeakMap<ValueShape, RegExp | null>();
const plainTextPatterns = new WeakMap<ValueShape, RegExp | null>();

/**
 * The pattern of a list of `type`'s objects with the shape `list`, or undefined when one cannot say it;
 * `plainText`: for a text with no backslash and no control character anywhere (see above).
 */
export function listPattern(list: ValueShape, type: TypeFields, plainText = false): RegExp | undefined {
  const made = plainText ? plainTextPatterns : patterns;
  let pattern = made.get(list);
  if (pattern === undefined) {
    const item = itemPattern(type, plainText);
    const one = item === undefined ? undefined : orNull(item, list.item!.nonNull);
    pattern = one === undefined ? null : new RegExp(`\\[(?:${one}(?:,${one})*)?\\]`, 'y');
    made.set(list, pattern);
  }
  return pattern ?? undefined;
}

/** Where the list matching `pattern` at `at` ends, or -1 (a list too long for irregexp's stack too). */
export function matchedEnd(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  try {
    return pattern.test(text) ? pattern.lastIndex : -1;
  } catch {
    return -1;
  }
}
