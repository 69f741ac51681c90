/**
 * Keeps the supergraph's names in V8's compact one-byte strings. A string
 * cut out of a source holding any character past Latin-1 (a `…` in one
 * description is enough) is stored two bytes per character, and V8 keeps
 * the first copy of a name it interns: parsed straight from the SDL, every
 * field name would be a two-byte string, and so would every answer
 * JSON.stringify builds with them as keys. Such an answer costs twice the
 * memory, is re-measured and re-encoded slowly when written to the socket
 * (the largest cost of a 100 kB answer, measured), and grows every later
 * string it touches. Interning one-byte copies of the names first makes the
 * parser's copies resolve to them.
 */

/** Strings of letters, digits and `_`: GraphQL names, and more (harmless). */
const NAME = /[_A-Za-z][_0-9A-Za-z]*/g;

/** A one-byte copy of `text` when every character fits in Latin-1; `text` itself otherwise. */
export function oneByte(text: string): string {
  // Decoding latin1 always yields a one-byte string; the test keeps non-Latin-1 text as it is.
  return /^[\x00-\xff]*$/.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : text;
}

/**
 * Interns one-byte copies of every name in `sdl`, before anything parses it. Returns them: hold the result
 * until the schemas built from `sdl` are built (they then hold the names themselves).
 */
export function internOneByteNames(sdl: string): object {
  // Names are ASCII: blank out the rest, so the copy of the whole text, and every match cut from it, is one-byte.
  const ascii = oneByte(sdl.replace(/[^\x00-\x7f]/g, ' '));
  const interned: Record<string, true> = Object.create(null);
  // A property key is interned: from now on, the same name cut from any source resolves to this copy.
  for (const [name] of ascii.matchAll(NAME)) interned[name] = true;
  return interned;
}
