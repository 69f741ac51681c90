/**
 * Operation limits, checked before Apollo parses or validates anything:
 * Apollo's own validation (OverlappingFieldsCanBeMerged in particular) is
 * quadratic, so an abusive document must be refused first, and cheaply.
 *
 * One parse with a token budget, then one `validate` pass running GraphQL
 * Armor's rules (depth, aliases, directives, cost; pinned versions) beside
 * ours (root fields, selections after fragment expansion, list literals).
 * Verdicts are cached per operation text, so a known operation costs one
 * map lookup. Transport-neutral: HTTP and WebSocket both call
 * `checkOperationLimits`.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  buildSchema,
  parse,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationTypeNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { OperationLimitsConfig } from '../platform/config.js';
import { deferLabelRule } from './defer-label-rule.js';
import { CONTROL_CHARACTER_MESSAGE, isAcceptableText } from './pipeline/control-characters.js';

export type OperationLimits = OperationLimitsConfig;

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxQueryBytes: 64 * 1024,
  maxTokens: 4000,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxDirectives: 30,
  maxCost: 5000,
  maxRecursiveSelections: 5000,
  maxListLength: 100,
};

/** Stable codes of refused operations (`extensions.code`). */
export const LimitCode = {
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_RECURSIVE_SELECTIONS_EXCEEDED: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED',
  MAX_COST_EXCEEDED: 'MAX_COST_EXCEEDED',
  LIST_TOO_LONG: 'LIST_TOO_LONG',
  /** Control characters in a string (see pipeline/control-characters.ts). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A rule of the spec graphql-js does not check yet: @defer's label (defer-label-rule.ts). */
  VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

/** An operation of a document: its name (null when anonymous) and type. */
export interface OperationEntry {
  name: string | null;
  kind: OperationTypeNode;
}

export type LimitVerdict =
  | {
      ok: true;
      document: DocumentNode;
      /** Rate-limit tokens this operation costs: 1 plus its aliases (`__typename` ones too). */
      weight: number;
      /** The document's operations, for the pipeline to resolve `operationName` before anything runs. */
      operations: OperationEntry[];
    }
  | { ok: false; code: LimitCode; message: string /** HTTP status to answer with. */; status: number };

/** The rules read only the document; validate() merely needs some valid schema to hold. */
const PLACEHOLDER_SCHEMA = buildSchema('type Query { _: Boolean }');
const CACHE_SIZE = 2000;

/** Two generations of a map: a bounded cache without per-hit bookkeeping. */
class VerdictCache {
  private current = new Map<string, LimitVerdict>();
  private previous = new Map<string, LimitVerdict>();

  get(key: string): LimitVerdict | undefined {
    const hit = this.current.get(key);
    if (hit) return hit;
    const old = this.previous.get(key);
    if (old) this.set(key, old);
    return old;
  }

  set(key: string, verdict: LimitVerdict): void {
    if (this.current.size >= CACHE_SIZE) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, verdict);
  }
}

const textCaches = new WeakMap<OperationLimits, VerdictCache>();
const documentCaches = new WeakMap<OperationLimits, WeakMap<DocumentNode, LimitVerdict>>();

/**
 * Checks an operation (its text, or a document parsed elsewhere) against
 * `limits`. Never throws; a refusal names the limit by its stable code.
 */
export function checkOperationLimits(input: string | DocumentNode, limits: OperationLimits = DEFAULT_OPERATION_LIMITS): LimitVerdict {
  if (typeof input !== 'string') {
    let cache = documentCaches.get(limits);
    if (!cache) documentCaches.set(limits, (cache = new WeakMap()));
    let verdict = cache.get(input);
    if (!verdict) cache.set(input, (verdict = checkDocument(input, limits)));
    return verdict;
  }
  let cache = textCaches.get(limits);
  if (!cache) textCaches.set(limits, (cache = new VerdictCache()));
  let verdict = cache.get(input);
  if (!verdict) cache.set(input, (verdict = checkText(input, limits)));
  return verdict;
}

function refuse(code: LimitCode, message: string, status = 400): LimitVerdict {
  return { ok: false, code, message, status };
}

function checkText(source: string, limits: OperationLimits): LimitVerdict {
  // String length counts UTF-16 units; bytes are at least as many, so this pre-check never under-counts much.
  if (source.length > limits.maxQueryBytes || Buffer.byteLength(source) > limits.maxQueryBytes) {
    return refuse(LimitCode.QUERY_TOO_LARGE, `Query exceeds ${limits.maxQueryBytes} bytes`, 413);
  }
  // Braces nest at least as deep as selections do: a document nested far beyond the depth
  // limit is refused by a character scan, before it costs a parse.
  const nesting = braceNesting(source, limits.maxDepth * 4 + 8);
  if (nesting > limits.maxDepth * 4 + 8) {
    return refuse(LimitCode.MAX_DEPTH_EXCEEDED, `Query depth limit of ${limits.maxDepth} exceeded, found more than ${limits.maxDepth * 4 + 8} nested braces.`);
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    const message = (error as Error).message;
    if (/contains more th\w+ \d+ tokens/.test(message)) {
      // graphql-js says "more that"
      return refuse(LimitCode.MAX_TOKENS_EXCEEDED, `Query exceeds ${limits.maxTokens} tokens`);
    }
    return refuse(LimitCode.PARSE_FAILED, message);
  }
  return checkDocument(document, limits);
}

/** Deepest `{` nesting outside strings and comments, counting no further than `stopAbove + 1`. */
function braceNesting(source: string, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source.charCodeAt(i);
    if (char === 123 /* { */) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (char === 125 /* } */) depth--;
    else if (char === 35 /* # */) while (i < source.length && source.charCodeAt(i) !== 10) i++;
    else if (char === 34 /* " */) {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end < 0 ? source.length : end + 2;
      } else {
        i++;
        while (i < source.length && source.charCodeAt(i) !== 34 && source.charCodeAt(i) !== 10) i += source.charCodeAt(i) === 92 /* \\ */ ? 2 : 1;
      }
    }
  }
  return deepest;
}

function checkDocument(document: DocumentNode, limits: OperationLimits): LimitVerdict {
  let refusal: LimitVerdict | undefined;
  let aliases = 0;
  const reject = (code: LimitCode) => (_context: ValidationContext | null, error: GraphQLError) => {
    refusal ??= refuse(code, error.message.replace(/^Syntax Error: /, ''));
  };
  const armor = { propagateOnRejection: false, exposeLimits: true };
  const rules: ValidationRule[] = [
    rootFieldsRule(limits.maxRootFields, reject(LimitCode.MAX_ROOT_FIELDS_EXCEEDED)),
    // Every alias counts, `__typename` ones too (Armor lets those through by default): each multiplies the answer.
    maxAliasesRule({ ...armor, n: limits.maxAliases, allowList: [], onReject: [reject(LimitCode.MAX_ALIASES_EXCEEDED)], onAccept: [(_c, { n }) => void (aliases += n)] }),
    maxDirectivesRule({ ...armor, n: limits.maxDirectives, onReject: [reject(LimitCode.MAX_DIRECTIVES_EXCEEDED)] }),
    // Fragments do not add depth: the depth is that of the data returned.
    maxDepthRule({ ...armor, n: limits.maxDepth, flattenFragments: true, onReject: [reject(LimitCode.MAX_DEPTH_EXCEEDED)] }),
    recursiveSelectionsRule(limits.maxRecursiveSelections, reject(LimitCode.MAX_RECURSIVE_SELECTIONS_EXCEEDED)),
    costLimitRule({ ...armor, maxCost: limits.maxCost, onReject: [reject(LimitCode.MAX_COST_EXCEEDED)] }),
    listLiteralRule(limits.maxListLength, reject(LimitCode.LIST_TOO_LONG)),
    stringLiteralRule(reject(LimitCode.BAD_USER_INPUT)),
    deferLabelRule(reject(LimitCode.VALIDATION_FAILED)),
  ];
  validate(PLACEHOLDER_SCHEMA, document, rules, { maxErrors: 1 });
  if (refusal) return refusal;
  const operations: OperationEntry[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push({ name: definition.name?.value ?? null, kind: definition.operation });
  }
  return { ok: true, document, weight: 1 + aliases, operations };
}

type Reject = (context: ValidationContext, error: GraphQLError) => void;

/** Fields selected on the root type, through fragments too. */
function rootFieldsRule(max: number, reject: Reject): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const count = countRootFields(operation.selectionSet, context, new Set());
      if (count > max) reject(context, new GraphQLError(`Root fields limit of ${max} exceeded, found ${count}.`));
    },
  });
}

function countRootFields(selectionSet: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD)
      count++; // `__typename` too: every selected field counts
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet, context, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(fragment.selectionSet, context, seen);
    }
  }
  return count;
}

/**
 * Selections once every fragment is expanded: what execution would visit.
 * Each fragment's size is computed once, so `...A ...A` nested thirty levels
 * (2^30 selections) is measured in thirty steps, not expanded.
 */
function recursiveSelectionsRule(max: number, reject: Reject): ValidationRule {
  return (context) => {
    const sizes = new Map<string, number>();
    const sizeOf = (selectionSet: SelectionSetNode): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) total += 1 + (selection.selectionSet ? sizeOf(selection.selectionSet) : 0);
        else if (selection.kind === Kind.INLINE_FRAGMENT) total += sizeOf(selection.selectionSet);
        else total += fragmentSize(context.getFragment(selection.name.value));
        if (total > max) return total; // big enough to refuse; stop counting
      }
      return total;
    };
    const fragmentSize = (fragment: FragmentDefinitionNode | null | undefined): number => {
      if (!fragment) return 0;
      const known = sizes.get(fragment.name.value);
      if (known !== undefined) return known;
      sizes.set(fragment.name.value, 0); // a cycle counts nothing more; validation refuses cycles anyway
      const size = sizeOf(fragment.selectionSet);
      sizes.set(fragment.name.value, size);
      return size;
    };
    return {
      OperationDefinition(operation) {
        const count = sizeOf(operation.selectionSet);
        if (count > max) reject(context, new GraphQLError(`Selections limit of ${max} exceeded after expanding fragments.`));
      },
    } satisfies ASTVisitor;
  };
}

function listLiteralRule(max: number, reject: Reject): ValidationRule {
  return (context) => ({
    ListValue(node) {
      if (node.values.length > max) reject(context, new GraphQLError(`List arguments are limited to ${max} items, found ${node.values.length}.`));
    },
  });
}

function stringLiteralRule(reject: Reject): ValidationRule {
  return (context) => ({
    StringValue(node) {
      if (!isAcceptableText(node.value)) reject(context, new GraphQLError(CONTROL_CHARACTER_MESSAGE));
    },
  });
}

/**
 * Runs every rule once on throw-away limits, so that the first real request
 * (likely an abusive one, under attack) does not pay for JIT compilation.
 */
export function warmUpOperationLimits(): void {
  const limits = { ...DEFAULT_OPERATION_LIMITS, maxDepth: 3 };
  const deep = `{ ${'a { '.repeat(200)}b${' }'.repeat(200)} }`;
  const rich = 'query W($v: [ID]) { x: a(l: [1, 2]) @include(if: true) { ...F ... on Q { c } } } fragment F on Q { d { e } }';
  for (let round = 0; round < 20; round++) {
    checkOperationLimits(`${deep} # ${round}`, limits);
    checkOperationLimits(`${rich} # ${round}`, limits);
  }
}

/**
 * Variables obey the rules of literals: every array, however nested, has the
 * list cap, and every string (object keys too) the text rule. One walk.
 */
export function checkVariables(variables: unknown, limits: OperationLimits = DEFAULT_OPERATION_LIMITS): LimitVerdict | undefined {
  let refusal: LimitVerdict | undefined;
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value === 'string') {
      if (isAcceptableText(value)) return true;
      refusal = refuse(LimitCode.BAD_USER_INPUT, CONTROL_CHARACTER_MESSAGE);
      return false;
    }
    if (value === null || typeof value !== 'object') return true;
    if (depth > 32) {
      refusal = refuse(LimitCode.BAD_USER_INPUT, 'Variables nest deeper than 32 levels');
      return false;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxListLength) {
        refusal = refuse(LimitCode.LIST_TOO_LONG, `List arguments are limited to ${limits.maxListLength} items, found ${value.length}.`);
        return false;
      }
      for (const item of value) if (!visit(item, depth + 1)) return false;
      return true;
    }
    for (const key in value) {
      if (!visit(key, depth + 1) || !visit((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  visit(variables, 0);
  return refusal;
}
