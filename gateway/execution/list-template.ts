/**
 * The form of a list of objects of leaves as list-scan.ts's template, made
 * once per list shape: what list-pattern.ts's pattern says, in bytes (the
 * fields asked, in order, in JSON.stringify's form; strings without escape
 * or control character; booleans; `__typename`'s value; null where the type
 * allows). A shape the pattern could not say has no template either.
 */
import { BOOLEAN, LITERAL, STRING, storeTemplate } from '../list-scan.js';
import { acceptsAnything, type TypeFields, type ValueShape } from './response-shape.js';

/** Added to a leaf's byte where null is allowed too. */
const OR_NULL = 1;

/** A leaf's template byte, or undefined where only the reader's own scan can check it. */
function leafByte(shape: ValueShape): number | undefined {
  const kind = shape.typeName === 'String' || shape.typeName === 'ID' || shape.isValid === acceptsAnything ? STRING : shape.typeName === 'Boolean' ? BOOLEAN : undefined;
  return kind === undefined ? undefined : kind + (shape.nonNull ? 0 : OR_NULL);
}

/** JSON's punctuation and GraphQL names (ASCII, as the text's bytes), in runs of at most 16 (compared 16 at once). */
function text(value: string): number[] {
  const bytes: number[] = [];
  for (let from = 0; from < value.length; from += 16) {
    const run = Buffer.from(value.slice(from, from + 16), 'latin1');
    const mask = (1 << run.length) - 1;
    bytes.push(LITERAL, run.length, mask & 0xff, mask >> 8, ...run);
  }
  return bytes;
}
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function templateBytes(type: TypeFields): Uint8Array | undefined {
  if (!NAME.test(type.typeName)) return undefined;
  const bytes: number[] = [];
  // The item's own text up to its next leaf, as one run.
  let own = '{';
  for (const [position, field] of type.fields.entries()) {
    if (!NAME.test(field.responseName)) return undefined;
    own += `${position > 0 ? ',' : ''}"${field.responseName}":`;
    if (field.isTypename) own += `"${type.typeName}"`;
    else {
      const leaf = leafByte(field.value);
      if (leaf === undefined) return undefined;
      // A string that cannot be null: its quotes are the runs' around it, and the function finds where it ends.
      const quoted = leaf === STRING;
      bytes.push(...text(quoted ? `${own}"` : own), leaf);
      own = quoted ? '"' : '';
    }
  }
  bytes.push(...text(`${own}}`), 0);
  return Uint8Array.from(bytes);
}

const templates = new WeakMap<ValueShape, number | null>();

/** The address of the template of a list with the shape `list` of `type`'s objects, or undefined (none, or no room). */
export function listTemplate(list: ValueShape, type: TypeFields): number | undefined {
  let address = templates.get(list);
  if (address === undefined) {
    const bytes = templateBytes(type);
    address = (bytes && storeTemplate(bytes)) ?? null;
    templates.set(list, address);
  }
  return address ?? undefined;
}
