/**
 * Which @policy policies a verified token is granted: Apollo Router asks a
 * coprocessor or a Rhai script; this gateway reads a small configuration
 * the operator writes (GATEWAY_POLICIES_FILE), evaluated once per verified
 * token (the verifier caches its viewer, so at most once per request):
 *
 *   { "hr": { "roles": "hr" }, "acme_staff": { "company_id": "…", "roles": ["manager", "admin"] }, "signed_in": {} }
 *
 * A policy is granted when each claim it names matches: the claim equals the
 * value or one of the listed values, or, when the claim is a list (`roles`),
 * holds one of them. `{}` grants the policy to every verified token. A policy
 * the file does not name is granted to nobody, and the anonymous caller
 * (GATEWAY_ANONYMOUS) has no claims, so no policy.
 */
import { readFileSync } from 'node:fs';

type Scalar = string | number | boolean;

/** The policies a token's claims are granted. */
export type PolicyGrants = (claims: Readonly<Record<string, unknown>>) => readonly string[];

const isScalar = (value: unknown): value is Scalar => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function matches(claim: unknown, accepted: readonly Scalar[]): boolean {
  if (Array.isArray(claim)) return claim.some((item) => accepted.includes(item as Scalar));
  return isScalar(claim) && accepted.includes(claim);
}

/** The grants a configuration's JSON text describes; throws, naming `source` and the policy, on any other shape. */
export function parsePolicyGrants(text: string, source: string): PolicyGrants {
  const fail = (why: string) => new Error(`${source}: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('expected an object of policy name -> { claim: value or [values] }');
  const policies: [name: string, conditions: [claim: string, accepted: Scalar[]][]][] = [];
  for (const [name, conditions] of Object.entries(parsed)) {
    if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) throw fail(`policy "${name}": expected an object of claim -> value or [values]`);
    const parsedConditions: [string, Scalar[]][] = [];
    for (const [claim, value] of Object.entries(conditions)) {
      const accepted = Array.isArray(value) ? value : [value];
      if (accepted.length === 0 || !accepted.every(isScalar)) throw fail(`policy "${name}", claim "${claim}": expected a string, number or boolean, or a non-empty list of them`);
      parsedConditions.push([claim, accepted]);
    }
    policies.push([name, parsedConditions]);
  }
  return (claims) =>
    policies.filter(([, conditions]) => conditions.every(([claim, accepted]) => matches(Object.hasOwn(claims, claim) ? claims[claim] : undefined, accepted))).map(([name]) => name);
}

export function loadPolicyGrants(file: string): PolicyGrants {
  return parsePolicyGrants(readFileSync(file, 'utf8'), file);
}
