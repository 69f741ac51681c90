/**
 * What a client is told when the planner finds no plan, in our words: the
 * planner's own text ("Was not able to find any options for caption: This
 * shouldn't have happened.") shows its insides and tells a client nothing it
 * can act on, so it goes to the log only (apollo-planner.ts). What the
 * operation asks that cannot be planned is named where the planner's text
 * tells it: a field no subgraph resolves where it is selected, @defer on the
 * root of a mutation or subscription. Anything else gets the bare sentence.
 */
export const CANNOT_BE_PLANNED = 'The operation cannot be planned over this supergraph';

/** The planner's `… options for [alias: ]field…: This shouldn't have happened.`: the field's name, an identifier of the client's document. */
const NO_OPTIONS = /^Was not able to find any options for (?:[_A-Za-z][_0-9A-Za-z]*: )?([_A-Za-z][_0-9A-Za-z]*)/;
const NO_OPTIONS_END = /: This shouldn't have happened\.?$/;
const DEFER_ON_ROOT = /directives cannot be used on (mutation|subscription) root type/;

export function planningFailureMessage(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  const field = NO_OPTIONS.exec(text.replace(NO_OPTIONS_END, ''))?.[1];
  if (field !== undefined) return `${CANNOT_BE_PLANNED}: no subgraph can resolve field "${field}" where the operation selects it`;
  const root = DEFER_ON_ROOT.exec(text)?.[1];
  if (root !== undefined) return `@defer cannot be used on the root selection of a ${root}: defer a selection inside one of its fields`;
  return CANNOT_BE_PLANNED;
}
