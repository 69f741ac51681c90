/**
 * @defer delivered incrementally (the format of the incremental delivery
 * RFC as Apollo Client and urql read it, `deferSpec=20220824`): the plan's
 * Defer node runs its primary part first, whose data is the initial payload
 * (`hasNext: true`); each deferred part then runs, and once its fetches are
 * done its data is sent as a subsequent payload, one item per object at its
 * path (`incremental: [{ data, path, label }]`), the last with
 * `hasNext: false`. A deferred part that holds a Defer of its own sends its
 * own primary, then starts its deferred parts. Clients that do not read
 * incremental delivery get every part in one answer instead
 * (execute-plan.ts runs a Defer as primary, then the rest).
 */
import type { GraphQLError } from 'graphql';
import type { CancelSignal } from '../cancellation.js';
import type { CompiledDefer, CompiledDeferred, CompiledNode } from './compiled-plan.js';
import type { Conditions } from './conditions.js';
import { executePlan, type PlanRun } from './execute-plan.js';
import type { SelectionShape } from './response-shape.js';
import { shapeObject } from './shape-response.js';

type Json = Record<string, unknown>;

export interface IncrementalItem {
  data: Json | null;
  path: (string | number)[];
  label?: string;
  errors?: GraphQLError[];
}

/** A payload after the initial one. */
export interface SubsequentPayload {
  hasNext: boolean;
  incremental?: IncrementalItem[];
}

/** Where a request that accepts incremental delivery receives the payloads after the first (gateway-context.ts). */
export interface IncrementalDelivery {
  /** Set by the executor when it answers incrementally; ends after the payload with `hasNext: false`. */
  rest?: AsyncIterable<SubsequentPayload>;
}

/** The shape of a selection (a Defer's `subselection`) of the objects at `queryPath`; `deferred` names a deferred part (its label, or the filter's), none the primary. */
export type DeferShapes = (
  subselection: string,
  queryPath: readonly string[],
  deferred?: { ref?: string },
  /** The query paths of the parts deferred within this one: its answer holds the objects they complete. */
  within?: readonly (readonly string[])[],
) => SelectionShape;

/** The Defer node the plan starts with (through Conditions, as the request's variables decide them), if any. */
export function rootDefer(node: CompiledNode, conditions: Conditions | undefined): CompiledDefer | undefined {
  let current: CompiledNode | undefined = node;
  while (current?.kind === 'Condition') current = conditions?.[current.variable] ? current.ifClause : current.elseClause;
  return current?.kind === 'Defer' ? current : undefined;
}

/** Payloads pushed by the deferred parts as they finish, read by the transport as an async iterable. */
class PayloadQueue implements AsyncIterable<SubsequentPayload> {
  private readonly queued: SubsequentPayload[] = [];
  private waiting: ((result: IteratorResult<SubsequentPayload>) => void) | undefined;
  private ended = false;

  push(payload: SubsequentPayload): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: payload, done: false });
    } else {
      this.queued.push(payload);
    }
    if (!payload.hasNext) this.end();
  }

  private end(): void {
    this.ended = true;
    if (this.queued.length === 0) this.waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<SubsequentPayload> {
    return {
      next: () => {
        const payload = this.queued.shift();
        if (payload) return Promise.resolve({ value: payload, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

/**
 * The objects at `queryPath` below the root, each with its path in the response (list indices included), fields
 * planned under an alias of ours (`clientNames`) named as the client names them.
 */
function objectsAt(
  data: Json,
  queryPath: readonly string[],
  isOfType: (typename: unknown, condition: string) => boolean,
  clientNames: ReadonlyMap<string, string> | undefined,
): { object: Json; path: (string | number)[] }[] {
  let found: { object: Json; path: (string | number)[] }[] = [{ object: data, path: [] }];
  const spread = (value: unknown, path: (string | number)[], into: typeof found) => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) spread(item, [...path, index], into);
    } else if (value !== null && typeof value === 'object') into.push({ object: value as Json, path });
  };
  for (const element of queryPath) {
    const next: typeof found = [];
    if (element.startsWith('... on ')) {
      const condition = element.slice('... on '.length);
      for (const entry of found) if (isOfType(entry.object.__typename, condition)) next.push(entry);
    } else {
      const responseName = clientNames?.get(element) ?? element;
      for (const { object, path } of found) spread(object[element], [...path, responseName], next);
    }
    found = next;
  }
  return found;
}

export interface DeferredRun {
  run: PlanRun;
  shapes: DeferShapes;
  isOfType: (typename: unknown, condition: string) => boolean;
  /** The errors of fields the authorization filter removed from a deferred part, named by its label or the filter's (removed-fields.ts). */
  unauthorized?: (queryPath: readonly string[], ref: string | undefined) => readonly GraphQLError[];
}

/**
 * Runs the deferred parts of a Defer whose primary part has run and been answered; the payloads go to the
 * returned iterable. `done` settles once every part has run.
 */
export function runDeferredParts(defer: CompiledDefer, context: DeferredRun): { rest: AsyncIterable<SubsequentPayload>; done: Promise<void> } {
  const queue = new PayloadQueue();
  let pending = defer.deferred.length;
  if (pending === 0) {
    queue.push({ hasNext: false });
    return { rest: queue, done: Promise.resolve() };
  }

  // An error is sent once: one the primary part sent, or a part before, is not sent again (a field removed from two parts).
  const sent = new Set(context.run.errors);
  const runPart = async (part: CompiledDeferred): Promise<void> => {
    const ref = part.ref ?? part.label;
    // A part's own errors go with its payload; the data it fetches merges into the one response.
    const run: PlanRun = { ...context.run, errors: [...(context.unauthorized?.(part.queryPath, ref) ?? [])] };
    const nested = part.node?.kind === 'Defer' ? part.node : undefined;
    const node = nested ? nested.primary.node : part.node;
    if (node) await executePlan(node, run);
    const within = nested?.deferred.map((inner) => inner.queryPath);
    const shape = context.shapes(nested ? (nested.primary.subselection ?? '{}') : (part.subselection ?? '{}'), part.queryPath, { ref }, within);
    const items = objectsAt(run.data, part.queryPath, context.isOfType, run.clientNames).map(({ object, path }): IncrementalItem => {
      const shaped = shapeObject(object, shape, path);
      return { data: shaped.data, path, ...(part.label !== undefined && { label: part.label }) };
    });
    // Each error with the item it is within; one of no item's (no path, or outside them all) with the first.
    for (const error of run.errors) {
      if (sent.has(error)) continue;
      sent.add(error);
      const item = items.find(({ path }) => error.path !== undefined && path.every((element, index) => error.path![index] === element)) ?? items[0];
      if (item) (item.errors ??= []).push(error);
    }
    if (nested) pending += nested.deferred.length;
    pending--;
    queue.push({ hasNext: pending > 0, incremental: items });
    if (nested) await Promise.all(nested.deferred.map(runPart));
  };

  const done = Promise.all(defer.deferred.map(runPart)).then(
    () => undefined,
    (error: unknown) => {
      // A bug of ours, not a subgraph's failure (those are errors of the payload): end the stream all the same.
      queue.push({ hasNext: false });
      throw error;
    },
  );
  return { rest: queue, done };
}

/**
 * The payloads as the transport reads them, with `finished` called once when their reading ends: the last
 * payload read, the transport stopped reading (`early`: its client left, or a part was too large), or
 * `signal` aborted (the client went away while the transport waited for a part).
 */
export function whenDelivered(rest: AsyncIterable<SubsequentPayload>, signal: CancelSignal | undefined, finished: (early: boolean) => void): AsyncIterable<SubsequentPayload> {
  let ended = false;
  const end = (early: boolean) => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    finished(early);
  };
  const onAbort = () => end(true);
  if (signal?.aborted) end(true);
  else signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = rest[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const result = await iterator.next();
        if (result.done) end(false);
        return result;
      },
      return: async () => {
        end(true);
        await iterator.return?.();
        return { value: undefined, done: true };
      },
    }),
  };
}
