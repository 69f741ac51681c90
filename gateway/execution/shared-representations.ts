/**
 * Entity fetches of one run that would send the same representations: the
 * course list's calendar and meet fetches both ask `... on Course {
 * __typename id viewerRole }` of the same 100 courses, side by side in one
 * Parallel node. The first builds the list (`requires` per entity) and the
 * second takes the same list, until anything is merged into the run's data
 * (which may change what `requires` reads); the list's JSON text is then
 * written once for both request bodies (request-body.ts). Only fetches
 * whose representations are not rewritten afterwards (no input rewrite, no
 * context) share: the shared list and its objects are never written to.
 */
import type { CompiledFetch } from './compiled-plan.js';

type Json = Record<string, unknown>;

interface Shared<Part> {
  merges: number;
  part: Part;
}

/** Per run: how many merges so far, and the parts built since, by requires and path. */
class RunParts<Part> {
  merges = 0;
  readonly parts = new Map<string, Shared<Part>>();
}

/** By the run's data (a deferred part's run is another object over the same data). */
const runs = new WeakMap<object, RunParts<unknown>>();

/** Lists that more than one fetch may send: their JSON text, once written ('' until then). */
const texts = new WeakMap<readonly unknown[], string>();

/** Whether `fetch`'s representations may be shared: built by requires alone, never rewritten. */
export const mayShare = (fetch: CompiledFetch) => fetch.requiresKey !== undefined && !fetch.inputRewrite && !fetch.context;

/**
 * The part an earlier fetch over `data` (a run's) built for the same requires at the same path with no merge since, or the one
 * `build` makes now (then kept for the next). `representations` says where a part's list is, whose text is then kept.
 */
export function sharedPart<Part>(data: object, key: string, build: () => Part | undefined, representations: (part: Part) => readonly Json[]): Part | undefined {
  let state = runs.get(data) as RunParts<Part> | undefined;
  if (!state) {
    state = new RunParts<Part>();
    runs.set(data, state);
  }
  const known = state.parts.get(key);
  if (known && known.merges === state.merges) return known.part;
  const part = build();
  if (part) {
    state.parts.set(key, { merges: state.merges, part });
    // Its text is kept from the first body on: that body is written before a second fetch asks for the list.
    texts.set(representations(part), '');
  } else state.parts.delete(key);
  return part;
}

/** To be called whenever something is merged into a run's `data`: parts built before no longer hold. */
export function noteMerge(data: object): void {
  const state = runs.get(data);
  if (state) state.merges++;
}

/** The JSON text of `list` when more than one fetch may send it (written at the first call), else undefined. */
export function sharedListText(list: readonly unknown[]): string | undefined {
  const text = texts.get(list);
  if (text === undefined) return undefined;
  if (text !== '') return text;
  const written = JSON.stringify(list);
  texts.set(list, written);
  return written;
}
