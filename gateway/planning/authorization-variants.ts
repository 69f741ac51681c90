/**
 * The plans of one operation per caller's rights: keyed by which of the
 * operation's requirements the caller fails, which is exactly what the
 * filter removes (authorization-filter.ts). Two callers share a plan only
 * when the same fields are removed for both; a caller failing none gets the
 * operation as it is (undefined), at the cost of one check per requirement.
 */
import { isMet, type Caller, type Requirement } from './authorization-rules.js';

/** Variants kept per operation; past it they are built again (2^requirements at most). */
const MAX_VARIANTS = 32;

export class AuthorizedVariants<T> {
  private readonly variants = new Map<string, T>();

  constructor(
    readonly requirements: readonly Requirement[],
    private readonly build: (denied: ReadonlySet<Requirement>) => T,
  ) {}

  /** The variant for this caller; undefined when it meets every requirement. */
  for(caller: Caller): T | undefined {
    let key = '';
    for (let index = 0; index < this.requirements.length; index++) if (!isMet(this.requirements[index]!, caller)) key += `${index},`;
    if (key === '') return undefined;
    let variant = this.variants.get(key);
    if (variant === undefined) {
      const denied = new Set(this.requirements.filter((requirement) => !isMet(requirement, caller)));
      if (this.variants.size >= MAX_VARIANTS) this.variants.clear();
      this.variants.set(key, (variant = this.build(denied)));
    }
    return variant;
  }
}
