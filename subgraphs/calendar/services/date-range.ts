/** The ranges calendar queries accept: bounded, ordered, at most a year and a day. */
import { badInput } from '../../../platform/errors.js';

export const MAX_RANGE_DAYS = 366;

export function requireRange(from: Date, to: Date): { from: Date; to: Date } {
  if (from >= to) throw badInput('`from` must be before `to`', 'from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw badInput(`The range may span at most ${MAX_RANGE_DAYS} days; ask for it in pieces`, 'to');
  }
  return { from, to };
}
