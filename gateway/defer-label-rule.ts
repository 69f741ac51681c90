/**
 * @defer's `label` as the incremental delivery RFC has it: a string written
 * in the document, not a variable, and no two alike. The planner took a
 * variable's AST node for the label, and answered it as `{"name":"l"}`
 * where clients read a string; two parts of one label are told apart by
 * none. Refused with the operation's other limits, before planning.
 */
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from 'graphql';

export function deferLabelRule(reject: (context: ValidationContext, error: GraphQLError) => void): ValidationRule {
  return (context) => {
    const seen = new Set<string>();
    return {
      Directive(node) {
        if (node.name.value !== 'defer') return;
        const label = node.arguments?.find((argument) => argument.name.value === 'label')?.value;
        if (label === undefined || label.kind === Kind.NULL) return;
        if (label.kind !== Kind.STRING) return reject(context, new GraphQLError("@defer's label must be a string written in the operation, not a variable"));
        if (seen.has(label.value)) return reject(context, new GraphQLError(`@defer's label "${label.value}" is used twice: each deferred part needs its own`));
        seen.add(label.value);
      },
    };
  };
}
