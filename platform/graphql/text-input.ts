/**
 * Every text a subgraph receives, checked before any resolver runs: no NUL
 * (PostgreSQL cannot store it: the insert failed as a 500), no other control
 * characters, no lone UTF-16 surrogates (not text: they would be stored as
 * U+FFFD), and no line breaks except in prose (an argument or input field
 * named like description, notes, message, body, comment, reason, content or summary):
 * a line break in a one-line value (a title, a recurrence rule, a header-like
 * value) can end a line of iCalendar, a header or a log entry.
 *
 * A subgraph plugin (platform/subgraph/start-subgraph.ts), so every subgraph
 * gets it on its own, whatever the gateway checked: calls come from the
 * gateway only, but the same services also take CalDAV, webhooks and ingested
 * events, which use `textProblem` directly where they read text.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { visit, type DocumentNode } from 'graphql';
import { badInput } from '../errors.js';

const PROSE = /description|notes?$|message|body|comment|reason|content|summary/i;
// C0 controls but tab, line feed and carriage return; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` cannot be stored as text at all (control characters, lone surrogates), or null. */
export function storableTextProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'may not contain control characters';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text (a lone surrogate)';
  return null;
}

/** Why `value` is refused as the text of a field named `name`, or null. */
export function textProblem(value: string, name: string): string | null {
  const problem = storableTextProblem(value);
  if (problem) return problem;
  if (LINE_BREAK.test(value) && !PROSE.test(name)) return 'may not contain line breaks';
  return null;
}

function refuse(name: string, problem: string): never {
  throw badInput(`${name || 'A text argument'} ${problem}`, name || undefined);
}

/** Strings anywhere in a JSON value; `name` is the nearest object key (or the argument the value was given to). */
function checkValue(value: unknown, name: string, depth = 0): void {
  if (depth > 64) return; // the gateway bounds depth long before this
  if (typeof value === 'string') {
    const problem = textProblem(value, name);
    if (problem) refuse(name, problem);
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(item, name, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkValue(item, key, depth + 1);
  }
}

/** Literal strings of the document, and for each variable the names of the arguments or fields it is given to. */
function checkDocument(document: DocumentNode): Map<string, string[]> {
  const usages = new Map<string, string[]>();
  const names: string[] = [];
  visit(document, {
    Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    StringValue(node) {
      const name = names.at(-1);
      if (name === undefined) return; // a directive's or default's text outside arguments: ours, not the caller's
      const problem = textProblem(node.value, name);
      if (problem) refuse(name, problem);
    },
    Variable(node) {
      const name = names.at(-1);
      if (name !== undefined) usages.set(node.name.value, [...(usages.get(node.name.value) ?? []), name]);
    },
  });
  return usages;
}

// Per parsed document (Apollo Server and the subgraph's fast path keep one per operation text): its literals
// pass or fail alike every time, and what it gives each variable to does not change.
const usagesOfDocument = new WeakMap<DocumentNode, Map<string, string[]>>();

/**
 * Each `_entities` representation names its type and, as every key of ours is `id`, an id that is a string of
 * storable text (or an integer). Anything else (an array, an object, null, a NUL) reached the repositories' batched SQL
 * and failed the whole batch with INTERNAL_SERVER_ERROR, the valid representations with it.
 */
function checkRepresentations(value: unknown): void {
  if (!Array.isArray(value)) return; // not a list: GraphQL's own coercion refuses it
  for (const representation of value) {
    if (!representation || typeof representation !== 'object' || Array.isArray(representation)) throw badInput('A representation must be an object', 'representations');
    const { __typename: typename, id } = representation as { __typename?: unknown; id?: unknown };
    if (typeof typename !== 'string') throw badInput('A representation needs its __typename', 'representations');
    // An ID is a string or an integer: a fraction (or a missing id) failed ID's serializer as an internal error.
    if (id === undefined) throw badInput('A representation needs its id', 'representations');
    if (typeof id === 'number' && Number.isSafeInteger(id)) continue;
    if (typeof id === 'number') throw badInput(`A representation's id must be a string or an integer, not ${id}`, 'representations');
    if (typeof id !== 'string') throw badInput(`A representation's id must be a string, not ${id === null ? 'null' : Array.isArray(id) ? 'a list' : typeof id}`, 'representations');
    const problem = storableTextProblem(id);
    if (problem) throw badInput(`A representation's id ${problem}`, 'representations');
  }
}

/** Refuses (BAD_USER_INPUT) a request whose literal strings or variables carry text that may not be stored. */
export function checkTextInput(document: DocumentNode, variables: Record<string, unknown> | null | undefined): void {
  let usages = usagesOfDocument.get(document);
  if (!usages) usagesOfDocument.set(document, (usages = checkDocument(document)));
  for (const [variable, value] of Object.entries(variables ?? {})) {
    // Entity representations are the gateway's, built from our own stored data: only their keys' shape is checked.
    if (variable === 'representations') {
      checkRepresentations(value);
      continue;
    }
    const names = usages.get(variable) ?? [variable];
    checkValue(value, names.find((name) => PROSE.test(name)) ?? names[0]!);
  }
}

export function textInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          checkTextInput(document, request.variables);
        },
      };
    },
  };
}
