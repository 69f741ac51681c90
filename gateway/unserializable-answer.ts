/**
 * An answer too deeply nested for JSON.stringify (it recurses, and runs out
 * of stack where JSON.parse, which does not, read the subgraph's text fine).
 * The operation's own selections are bounded by operation-limits.ts, so the
 * depth can only come from a value a subgraph answered (a JSON scalar): the
 * client gets a GraphQL answer that says so, with `data: null`, as for any
 * other subgraph failure, and the RangeError goes to the log, not to it.
 * The same text on every plain-JSON path (Apollo Server's stringifyResult,
 * the fast lane); the incremental paths have incremental-parts.ts.
 */
export const ANSWER_TOO_DEEP = 'SUBGRAPH_ANSWER_TOO_DEEP';

export const tooDeepAnswer = Object.freeze({
  data: null,
  errors: [{ message: 'A subgraph answered a value nested too deeply for the gateway to serialize', extensions: { code: ANSWER_TOO_DEEP } }],
});

/** tooDeepAnswer's text, as Apollo Server ends a JSON answer (a newline). */
export const TOO_DEEP_TEXT = `${JSON.stringify(tooDeepAnswer)}\n`;

/** Whether `error` is JSON.stringify running out of stack. */
export const isTooDeep = (error: unknown): boolean => error instanceof RangeError && /call stack/i.test(error.message);

/** Apollo Server's stringifyResult: its own (JSON.stringify and a newline), or TOO_DEEP_TEXT with `onTooDeep` told why. */
export function stringifyResult(onTooDeep: (error: unknown) => void) {
  return (value: unknown): string => {
    try {
      return `${JSON.stringify(value)}\n`;
    } catch (error) {
      if (!isTooDeep(error)) throw error;
      onTooDeep(error);
      return TOO_DEEP_TEXT;
    }
  };
}
