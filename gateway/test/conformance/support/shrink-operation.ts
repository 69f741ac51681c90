/**
 * Makes a failing random operation small: removes one selection, directive
 * or alias at a time (then the fragments and variables no longer used), and
 * keeps each removal after which the operation is still valid and still
 * fails. What a report shows is then the few fields the failure needs.
 */
import type { ASTNode, DocumentNode, GraphQLSchema } from 'graphql';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { RandomOperation } from './random-operations.js';

type Removal = (document: DocumentNode, index: number) => { document: DocumentNode; found: boolean };

/** Removes the `index`-th node `matches` finds (in visiting order), `replace` saying what stands in its place. */
function removal(matches: (node: ASTNode) => boolean, replace: (node: ASTNode) => unknown): Removal {
  return (document, index) => {
    let seen = 0;
    let found = false;
    const edited = g.visit(document, {
      enter(node) {
        if (!matches(node)) return undefined;
        if (seen++ !== index) return undefined;
        found = true;
        return replace(node);
      },
    });
    return { document: edited, found };
  };
}

const REMOVALS: Removal[] = [
  removal(
    (node) => node.kind === g.Kind.FIELD || node.kind === g.Kind.INLINE_FRAGMENT || node.kind === g.Kind.FRAGMENT_SPREAD,
    () => null,
  ),
  removal(
    (node) => node.kind === g.Kind.DIRECTIVE,
    () => null,
  ),
  removal(
    (node) => node.kind === g.Kind.FIELD && node.alias !== undefined,
    (node) => ({ ...node, alias: undefined }),
  ),
];

/** Drops fragment definitions nobody spreads and variable definitions nobody uses, until none is left. */
function withoutUnused(document: DocumentNode): DocumentNode {
  for (;;) {
    const spread = new Set<string>();
    const used = new Set<string>();
    for (const definition of document.definitions) {
      g.visit(definition, {
        FragmentSpread: (node) => void spread.add(node.name.value),
        VariableDefinition: () => false,
        Variable: (node) => void used.add(node.name.value),
      });
    }
    const definitions = document.definitions
      .filter((definition) => definition.kind !== g.Kind.FRAGMENT_DEFINITION || spread.has(definition.name.value))
      .map((definition) =>
        definition.kind === g.Kind.OPERATION_DEFINITION
          ? { ...definition, variableDefinitions: definition.variableDefinitions?.filter((variable) => used.has(variable.variable.name.value)) }
          : definition,
      );
    const unchanged =
      definitions.length === document.definitions.length && definitions.every((definition, index) => JSON.stringify(definition) === JSON.stringify(document.definitions[index]));
    if (unchanged) return document;
    document = { ...document, definitions };
  }
}

/** The document as its text reads back (an emptied selection set prints as none, and must not pass for valid). */
function reparsed(document: DocumentNode): DocumentNode | undefined {
  try {
    return g.parse(g.print(document), { noLocation: true });
  } catch {
    return undefined;
  }
}

function asOperation(document: DocumentNode, variables: Record<string, unknown>): RandomOperation {
  const declared = new Set<string>();
  g.visit(document, { VariableDefinition: (node) => void declared.add(node.variable.name.value) });
  return { query: g.print(document), variables: Object.fromEntries(Object.entries(variables).filter(([name]) => declared.has(name))) };
}

/** The smallest operation found that `stillFails`, trying at most `budget` candidates. */
export async function shrinkOperation(
  schema: GraphQLSchema,
  operation: RandomOperation,
  stillFails: (candidate: RandomOperation) => Promise<boolean>,
  budget = 150,
): Promise<RandomOperation> {
  let document = g.parse(operation.query, { noLocation: true });
  let tries = 0;
  let progress = true;
  while (progress && tries < budget) {
    progress = false;
    for (const remove of REMOVALS) {
      for (let index = 0; tries < budget; index++) {
        const { document: edited, found } = remove(document, index);
        if (!found) break;
        const candidate = reparsed(withoutUnused(edited));
        if (!candidate || g.validate(schema, candidate).length) continue;
        tries++;
        if (!(await stillFails(asOperation(candidate, operation.variables)))) continue;
        document = candidate;
        progress = true;
        index--;
      }
    }
  }
  return asOperation(document, operation.variables);
}
