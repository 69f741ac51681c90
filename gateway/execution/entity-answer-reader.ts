/**
 * Reads an `_entities` answer whose fields the client's answer takes as
 * they are, without parsing those fields: a list of objects of leaves (the
 * live classes of each course) is checked in its text against the shape it
 * has in the client's answer (the fields asked, in order, each value valid
 * for its type, as shape-response.ts's inShape decides) and kept as a
 * RawJson slice, which the answer's writer copies. Everything else of the
 * answer is parsed with JSON.parse, slice by slice.
 *
 * Only text in the form JSON.stringify writes qualifies, so that the copied
 * slice is byte for byte what stringifying the parsed value would give:
 * `{"data":{"_entities":[...]}}` with nothing else (no errors, no
 * extensions), no whitespace but at the end, no control character, numbers
 * as String(number) writes them, and in the copied lists no escape but the
 * `\uXXXX` ones subgraph-answer-text.ts writes for characters past Latin-1,
 * which the writer turns back into the characters (wide-escapes.ts). Any
 * other escape (a quote in a title) keeps its list parsed; one in a key,
 * the whole answer. Anything else returns undefined and the caller parses
 * the whole answer as before; a list not in its shape is parsed alone and
 * shaped as before. Invalid JSON anywhere throws inside and returns
 * undefined too, so that the caller's JSON.parse reports it as it always
 * has.
 */
import { listScanAvailable, ScannedText } from '../list-scan.js';
import { listPattern, matchedEnd } from './list-pattern.js';
import { listTemplate } from './list-template.js';
import { setterOf } from './property-setters.js';
import { RawJson } from './raw-json.js';
import { acceptsAnything, type TypeFields, type ValueShape } from './response-shape.js';
import { Backslashes } from './wide-escapes.js';

type Json = Record<string, unknown>;

const HEAD = '{"data":{"_entities":[';
const TAIL = ']}}';
const WHITESPACE = [0x20, 0x0a, 0x0d, 0x09];
const CONTROL = /[\u0000-\u001f]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** For the field `name` of the entity at `index`: the shape its value has in the client's answer, when it may stay text. */
export type PassThroughShape = (index: number, name: string) => ValueShape | undefined;

class Invalid extends Error {}

/**
 * The gateway's own copy of a key read from a text: the same characters, internalized once. A key sliced from the
 * answer is a fresh string, which V8 looked up in its string table at every property store and compared character
 * by character with the field names it was asked about: ~0.7 k instructions an entity once this is paid for, 200
 * entities a course list (bench/README-results.md, session 23). A copy, not the slice itself, so that no answer's text is kept alive by it.
 */
const ownKeys = new Map<string, string>();
/** Distinct keys kept; past that (a subgraph answering ever new keys), forgotten and begun again. */
const OWN_KEYS_KEPT = 10_000;

function ownKey(sliced: string): string {
  let key = ownKeys.get(sliced);
  if (key === undefined) {
    // A property's key is internalized: what Object.keys gives back is the table's copy.
    key = Object.keys({ [sliced]: true })[0]!;
    if (ownKeys.size >= OWN_KEYS_KEPT) ownKeys.clear();
    ownKeys.set(key, key);
  }
  return key;
}

/**
 * The index in `known` of the key at `at` (its opening quote), or -1: GraphQL names (letters, digits and
 * underscores, never `__proto__`), so a key equal to one holds no escape, quote or control character.
 */
function knownKey(text: string, at: number, known: readonly string[] | undefined): number {
  if (known === undefined || text.charCodeAt(at) !== QUOTE) return -1;
  for (let index = 0; index < known.length; index++) {
    const name = known[index]!;
    if (text.startsWith(name, at + 1) && text.charCodeAt(at + 1 + name.length) === QUOTE) return index;
  }
  return -1;
}

type Setter = (target: Json, value: unknown) => void;

/**
 * A store per known key (property-setters.ts), made once per list of known keys (one per planned fetch): the
 * entity's `entity[key] = value` was one megamorphic store site for every key (~0.25 k instructions an entity,
 * bench/README-results.md, session 27). By index, not looked up by name: the names are the list's own strings.
 */
const knownSetters = new WeakMap<readonly string[], readonly Setter[]>();

function settersOf(known: readonly string[]): readonly Setter[] {
  let setters = knownSetters.get(known);
  if (setters === undefined) {
    setters = known.map((name) => setterOf(name));
    knownSetters.set(known, setters);
  }
  return setters;
}

/** Where the JSON value at `at` ends (its validity is left to JSON.parse of the slice). */
function skipValue(text: string, at: number, escapes: Backslashes | undefined): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at, escapes);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let index = at;
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET) break;
    }
    return index;
  }
  let depth = 0;
  for (let index = at; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) index = stringEnd(text, index, escapes) - 1;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (--depth === 0) return index + 1;
    }
  }
  throw new Invalid();
}

/** Past the closing quote of the string at `at` (`escapes`: the text's backslashes, when it has any). */
function stringEnd(text: string, at: number, escapes: Backslashes | undefined): number {
  const end = escapes ? escapes.stringEnd(at) : text.indexOf('"', at + 1) + 1;
  if (end <= 0) throw new Invalid();
  return end;
}

/** The object shape of the items of a list of objects of leaves, when its static type decides it (not abstract). */
function leafItems(shape: ValueShape): TypeFields | undefined {
  const item = shape.item;
  if (item === undefined || item.object === undefined) return undefined;
  const type = item.object.fieldsFor(undefined);
  if (type === undefined || !type.valid || !type.leaves || type.typeName !== item.object.type.name) return undefined;
  return type;
}

/** Where a valid leaf value at `at` for `field` ends, or -1 (not valid there, or not in JSON.stringify's form). */
function leafEnd(text: string, at: number, shape: ValueShape, escapes: Backslashes | undefined): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) {
    const end = stringEnd(text, at, escapes);
    if (escapes?.has(at, end)) {
      if (!escapes.onlyWide(at, end)) return -1;
      if (shape.typeName === 'String' || shape.typeName === 'ID') return end;
      return shape.isValid!(JSON.parse(text.slice(at, end))) ? end : -1;
    }
    // Every string is a valid String, ID or custom scalar; an enum's must be one of its values.
    if (shape.typeName === 'String' || shape.typeName === 'ID' || shape.isValid === acceptsAnything) return end;
    return shape.isValid!(text.slice(at + 1, end - 1)) ? end : -1;
  }
  if (text.startsWith('null', at)) return shape.nonNull ? -1 : at + 4;
  if (text.startsWith('true', at)) return shape.isValid!(true) ? at + 4 : -1;
  if (text.startsWith('false', at)) return shape.isValid!(false) ? at + 5 : -1;
  NUMBER.lastIndex = at;
  if (!NUMBER.test(text)) return -1;
  const written = text.slice(at, NUMBER.lastIndex);
  const value = Number(written);
  return String(value) === written && shape.isValid!(value) ? NUMBER.lastIndex : -1;
}

/** Where the list at `at` ends when it is in its answer's shape (items in `type`'s form, or null where allowed), or -1. */
function listEnd(text: string, at: number, shape: ValueShape, type: TypeFields, escapes: Backslashes | undefined): number {
  if (text.charCodeAt(at) !== OPEN_BRACKET) return -1;
  let index = at + 1;
  if (text.charCodeAt(index) === CLOSE_BRACKET) return index + 1;
  const fields = type.fields;
  for (;;) {
    if (text.startsWith('null', index)) {
      if (shape.item!.nonNull) return -1;
      index += 4;
    } else {
      if (text.charCodeAt(index) !== OPEN_BRACE) return -1;
      index++;
      for (let position = 0; position < fields.length; position++) {
        const field = fields[position]!;
        const name = field.responseName;
        if (position > 0 && text.charCodeAt(index++) !== COMMA) return -1;
        if (text.charCodeAt(index) !== QUOTE || !text.startsWith(name, index + 1) || text.charCodeAt(index + 1 + name.length) !== QUOTE) return -1;
        index += name.length + 2;
        if (text.charCodeAt(index++) !== COLON) return -1;
        if (field.isTypename) {
          if (text.charCodeAt(index) !== QUOTE || !text.startsWith(type.typeName, index + 1) || text.charCodeAt(index + 1 + type.typeName.length) !== QUOTE) return -1;
          index += type.typeName.length + 2;
        } else {
          index = leafEnd(text, index, field.value, escapes);
          if (index < 0) return -1;
        }
      }
      if (text.charCodeAt(index++) !== CLOSE_BRACE) return -1;
    }
    const next = text.charCodeAt(index++);
    if (next === CLOSE_BRACKET) return index;
    if (next !== COMMA) return -1;
  }
}

/**
 * Where a list that may stay text ends, or -1: in an ASCII text by list-scan.ts's function over its bytes, else by
 * its pattern (list-pattern.ts), both checking every character of its strings; else by listEnd's scan, which does
 * not read every character of a string: a control character, which JSON.parse would refuse, is looked for in what it
 * keeps.
 */
function keptListEnd(
  text: string,
  at: number,
  shape: ValueShape,
  type: TypeFields,
  escapes: Backslashes | undefined,
  controlFree: boolean,
  scanned: ScannedText | undefined,
): number {
  const template = scanned && listTemplate(shape, type);
  let matched = -1;
  if (template !== undefined) matched = scanned!.listEnd(at, template, !shape.item!.nonNull);
  else {
    // A text with no backslash and no control character needs its strings checked for their closing quote alone.
    const pattern = listPattern(shape, type, controlFree && escapes === undefined);
    if (pattern) matched = matchedEnd(pattern, text, at);
  }
  if (matched >= 0) return matched;
  const end = listEnd(text, at, shape, type, escapes);
  if (end >= 0 && !controlFree && CONTROL.test(text.slice(at, end))) throw new Invalid();
  return end;
}

function readEntity(
  text: string,
  at: number,
  index: number,
  passThrough: PassThroughShape,
  into: unknown[],
  escapes: Backslashes | undefined,
  ascii: boolean,
  controlFree: boolean,
  knownKeys: readonly string[] | undefined,
  knownStores: readonly Setter[] | undefined,
  scanned: ScannedText | undefined,
): number {
  if (text.startsWith('null', at)) {
    into.push(null);
    return at + 4;
  }
  if (text.charCodeAt(at) !== OPEN_BRACE) throw new Invalid();
  const entity: Json = {};
  into.push(entity);
  let position = at + 1;
  if (text.charCodeAt(position) === CLOSE_BRACE) return position + 1;
  for (;;) {
    const known = knownKey(text, position, knownKeys);
    let key: string;
    let keyEnd: number;
    if (known >= 0) {
      key = knownKeys![known]!;
      keyEnd = position + key.length + 2;
      if (text.charCodeAt(keyEnd) !== COLON) throw new Invalid();
    } else {
      keyEnd = stringEnd(text, position, escapes);
      const sliced = text.slice(position + 1, keyEnd - 1);
      // A key JSON.parse would make an own property of, where assigning it would not; one it would unescape.
      if (sliced === '__proto__' || text.charCodeAt(keyEnd) !== COLON || escapes?.has(position, keyEnd) || (!controlFree && CONTROL.test(sliced))) throw new Invalid();
      key = ownKey(sliced);
    }
    const valueAt = keyEnd + 1;
    const shape = passThrough(index, key);
    const type = shape && leafItems(shape);
    let end = type ? keptListEnd(text, valueAt, shape!, type, escapes, controlFree, scanned) : -1;
    let value: unknown;
    if (end >= 0) value = new RawJson(text, valueAt, end, shape!, escapes?.has(valueAt, end) ?? false, ascii);
    else {
      end = skipValue(text, valueAt, escapes);
      value = JSON.parse(text.slice(valueAt, end));
    }
    if (known >= 0) knownStores![known]!(entity, value);
    else entity[key] = value;
    const next = text.charCodeAt(end);
    if (next === CLOSE_BRACE) return end + 1;
    if (next !== COMMA) throw new Invalid();
    position = end + 1;
  }
}

/**
 * The answer with the lists that may stay text kept so, or undefined when the text does not qualify (see above);
 * `ascii`: whether the answer's bytes were ASCII, `text` their Latin-1 decoding (the kept lists are then written as
 * Latin-1); `controlFree`: whether the text is known to hold no control character before its trailing whitespace
 * (its bytes looked over, subgraph-answer-text.ts), so that the kept lists' strings need no check for one;
 * `knownKeys`: GraphQL names the entities' keys likely are (the pass-through fields), taken as they are when equal.
 */
export function readEntityAnswer(
  text: string,
  passThrough: PassThroughShape,
  ascii = false,
  controlFree = false,
  knownKeys?: readonly string[],
): { data: { _entities: unknown[] } } | undefined {
  // The whitespace JSON allows after the value (subgraphs end their answer with a newline). The text is read up
  // to it, not sliced: every character read of a sliced string goes through its parent (~15 % of the meet
  // answer's read, bench/README-results.md), and the kept slices would hang off the slice.
  let length = text.length;
  while (length > 0 && WHITESPACE.includes(text.charCodeAt(length - 1))) length--;
  // No control character is looked for here: JSON.parse refuses one in what it reads, and readEntity in the keys
  // and the lists it keeps as text.
  if (length < HEAD.length + TAIL.length || !text.startsWith(HEAD) || !text.startsWith(TAIL, length - TAIL.length)) return undefined;
  const backslashes = new Backslashes(text);
  const escapes = backslashes.any ? backslashes : undefined;
  const entities: unknown[] = [];
  const knownStores = knownKeys && settersOf(knownKeys);
  const last = length - TAIL.length;
  // One byte a character, as the bytes were: the kept lists are checked over a copy of them (list-scan.ts), in a
  // text with no backslash and no control character for their closing quotes alone.
  const scanned = ascii && listScanAvailable ? new ScannedText(text, controlFree && escapes === undefined) : undefined;
  try {
    let at = HEAD.length;
    if (at < last) {
      for (let index = 0; ; index++) {
        at = readEntity(text, at, index, passThrough, entities, escapes, ascii, controlFree, knownKeys, knownStores, scanned);
        if (at === last) break;
        if (text.charCodeAt(at++) !== COMMA) return undefined;
      }
    }
    if (at !== last) return undefined;
  } catch {
    return undefined;
  }
  return { data: { _entities: entities } };
}
