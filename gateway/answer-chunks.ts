/**
 * The client's JSON answer as a few strings of bounded length instead of
 * one, for the socket to encode one after the other. V8 puts a string of
 * more than 128 kB (over 128 k characters one-byte, or 64 k two-byte, as
 * one emoji makes it) in its large-object space, and building it costs
 * far more than its size: in-process, flattening and encoding
 * JSON.stringify's 116 kB course list took ~0.3 ms, the same with one
 * emoji in a course's name ~1.5 ms, and an ASCII answer of 232 kB ~2.4 ms
 * where two of 116 kB take 0.6. Chunks of at most CHUNK characters (a
 * piece larger than that aside) stay small strings.
 *
 * The text is JSON.stringify's, byte for byte: only `data` is taken apart,
 * down the lists of objects and the objects too large for one chunk, and
 * everything else is stringified whole.
 *
 * An answer holding subgraph text (execution/raw-json.ts) names the objects
 * and lists that hold it (`spliced`): those are written key by key and item
 * by item, the text copied in, and the rest stringified as above.
 */
import { RawJson } from './execution/raw-json.js';

type Json = Record<string, unknown>;
type Spliced = ReadonlySet<object> | undefined;

/** Characters a chunk is closed at; one piece may pass it by up to twice that, so a chunk stays under 100 kB two-byte. */
export const CHUNK = 16_384;

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';

class Chunks {
  readonly done: string[] = [];
  private current = '';

  add(text: string): void {
    this.current += text;
    if (this.current.length >= CHUNK) {
      this.done.push(this.current);
      this.current = '';
    }
  }

  finish(): string[] {
    if (this.current.length > 0 || this.done.length === 0) this.done.push(this.current);
    return this.done;
  }
}

/** A list of objects is taken apart (addList); another value only when its text is over a chunk. */
function addValue(value: unknown, into: Chunks, inList: boolean, spliced: Spliced): void {
  if (spliced !== undefined) {
    if (value instanceof RawJson) return into.add(value.text());
    if (typeof value === 'object' && value !== null && spliced.has(value)) {
      return Array.isArray(value) ? addItems(value, into, spliced) : addObject(value as Json, into, spliced);
    }
  }
  if (Array.isArray(value) && value.length > 1 && isContainer(value[0])) return addList(value, into);
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return into.add(inList ? 'null' : ''); // a function or undefined: as JSON.stringify leaves it
  if (text.length <= 2 * CHUNK || !isContainer(value)) into.add(text);
  else if (Array.isArray(value)) addList(value, into);
  else addObject(value as Json, into, undefined);
}

/** A list holding subgraph text: item by item. */
function addItems(list: readonly unknown[], into: Chunks, spliced: Spliced): void {
  into.add('[');
  for (let index = 0; index < list.length; index++) {
    if (index > 0) into.add(',');
    addValue(list[index], into, true, spliced);
  }
  into.add(']');
}

/**
 * A list of objects in runs of items whose text should make about a chunk (the first item's text telling how
 * many): a few JSON.stringify calls, not one per item. A run that turns out too large is taken apart item by item.
 */
function addList(list: readonly unknown[], into: Chunks): void {
  const firstLength = (JSON.stringify(list[0]) as string | undefined)?.length ?? 4;
  const run = Math.max(1, Math.floor(CHUNK / Math.max(firstLength, 1)));
  into.add('[');
  for (let start = 0; start < list.length; start += run) {
    if (start > 0) into.add(',');
    if (run === 1) {
      addValue(list[start], into, true, undefined);
      continue;
    }
    const items = list.slice(start, start + run);
    const text = JSON.stringify(items);
    if (text.length <= 2 * CHUNK) into.add(text.slice(1, -1));
    else
      for (let index = 0; index < items.length; index++) {
        if (index > 0) into.add(',');
        addValue(items[index], into, true, undefined);
      }
  }
  into.add(']');
}

function addObject(object: Json, into: Chunks, spliced: Spliced): void {
  into.add('{');
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    into.add(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    addValue(value, into, false, spliced);
  }
  into.add('}');
}

/**
 * `{ errors, data, extensions }` as JSON.stringify writes it, then a newline, in chunks of about CHUNK characters;
 * `spliced`: the containers of `data` holding subgraph text (plan-executor.ts's SplicedResult).
 */
export function answerChunks(answer: { errors?: unknown; data?: unknown; extensions?: unknown }, spliced?: ReadonlySet<object>): string[] {
  const into = new Chunks();
  const { errors, data, extensions } = answer;
  const head = errors === undefined ? '{' : `{"errors":${JSON.stringify(errors)}`;
  if (data === undefined) into.add(head);
  else {
    into.add(head === '{' ? '{"data":' : `${head},"data":`);
    if (isContainer(data) && !Array.isArray(data)) addObject(data as Json, into, spliced);
    else addValue(data, into, false, spliced);
  }
  if (extensions !== undefined) into.add(`${head === '{' && data === undefined ? '' : ','}"extensions":${JSON.stringify(extensions)}`);
  into.add('}\n');
  return into.finish();
}
