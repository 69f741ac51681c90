/** The ranges calendar queries accept: bounded, ordered, at most a year and a day. */
import { MAX_SPAN_DAYS, spanProblem } from '../../../platform/date-time.js';
import { badInput } from '../../../platform/errors.js';

/** The platform's one bound on how long anything dated lasts (platform/date-time.ts) is also the widest range read. */
export function requireRange(from: Date, to: Date): { from: Date; to: Date } {
  if (from >= to) throw badInput('`from` must be before `to`', 'from');
  if (spanProblem(from, to)) throw badInput(`The range may span at most ${MAX_SPAN_DAYS} days; ask for it in pieces`, 'to');
  return { from, to };
}
