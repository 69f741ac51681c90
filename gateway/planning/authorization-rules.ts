/**
 * What a supergraph's @authenticated, @requiresScopes and @policy ask, as
 * the gateway enforces them (Apollo Router's semantics): a field requires
 * what its own definition carries and what its named return type carries
 * (object, interface, scalar, enum); a fragment requires what its type
 * condition carries. Composition (2.12 on) has already copied
 * implementations' requirements onto their interfaces. @requiresScopes and
 * @policy are each an OR of ANDs; several on one field (its own and its
 * type's) must all be met. A policy is met when granted to the caller
 * (policy-grants.ts); one nobody granted is denied, as in Router.
 */
import { AuthenticatedSpecDefinition, PolicySpecDefinition, RequiresScopesSpecDefinition, type Schema } from '@apollo/federation-internals';
import type { Viewer } from '../../platform/auth/viewer.js';

/** One distinct requirement, shared by every field and type that asks exactly it (compared by identity). */
export interface Requirement {
  authenticated: boolean;
  /** Each entry an OR of ANDs of scopes; all entries must be met. */
  scopes: readonly AnyOfAllOf[];
  /** Each entry an OR of ANDs of policies; all entries must be met. */
  policies: readonly AnyOfAllOf[];
}

type AnyOfAllOf = readonly (readonly string[])[];

/** Who asks: a verified identity or none, the scopes its token grants and the policies granted from its claims. */
export interface Caller {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
  policies: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const callers = new WeakMap<Viewer, Caller>();

/** The caller a viewer is (remembered per viewer: a cached token's viewer is the same object every request). */
export function callerOf(viewer: Viewer | undefined): Caller {
  if (!viewer) return { authenticated: false, scopes: NONE, policies: NONE };
  let caller = callers.get(viewer);
  if (!caller) {
    const { anonymous, scopes, policies } = viewer;
    callers.set(viewer, (caller = { authenticated: anonymous !== true, scopes: scopes ? new Set(scopes) : NONE, policies: policies ? new Set(policies) : NONE }));
  }
  return caller;
}

const meets = (entries: readonly AnyOfAllOf[], held: ReadonlySet<string>) => entries.every((anyOf) => anyOf.some((allOf) => allOf.every((name) => held.has(name))));

export function isMet(requirement: Requirement, caller: Caller): boolean {
  if (requirement.authenticated && !caller.authenticated) return false;
  return meets(requirement.scopes, caller.scopes) && meets(requirement.policies, caller.policies);
}

type Own = { authenticated: boolean; scopes: AnyOfAllOf[]; policies: AnyOfAllOf[] };

export class AuthorizationRules {
  private readonly byType = new Map<string, Own>();
  private readonly byField = new Map<string, Own>();
  /** Requirements by their JSON: one object per distinct requirement. */
  private readonly interned = new Map<string, Requirement>();
  private readonly fields = new Map<string, Requirement | null>();

  /** The rules of a supergraph, or undefined when it links none of the features (nothing to enforce). */
  static of(schema: Schema): AuthorizationRules | undefined {
    const features = schema.coreFeatures;
    const authenticated = features?.getByIdentity(AuthenticatedSpecDefinition.identity)?.directiveNameInSchema(AuthenticatedSpecDefinition.directiveName);
    const scopes = features?.getByIdentity(RequiresScopesSpecDefinition.identity)?.directiveNameInSchema(RequiresScopesSpecDefinition.directiveName);
    const policies = features?.getByIdentity(PolicySpecDefinition.identity)?.directiveNameInSchema(PolicySpecDefinition.directiveName);
    if (!authenticated && !scopes && !policies) return undefined;
    const rules = new AuthorizationRules();
    const applications = (name: string | undefined) => (name && schema.directive(name)?.applications()) || [];
    for (const application of applications(authenticated)) rules.own(application.parent).authenticated = true;
    for (const application of applications(scopes)) rules.own(application.parent).scopes.push((application.arguments() as { scopes: string[][] }).scopes);
    for (const application of applications(policies)) rules.own(application.parent).policies.push((application.arguments() as { policies: string[][] }).policies);
    return rules;
  }

  private own(element: unknown): Own {
    const { kind, coordinate } = element as { kind: string; coordinate: string };
    const map = kind === 'FieldDefinition' ? this.byField : this.byType;
    let own = map.get(coordinate);
    if (!own) map.set(coordinate, (own = { authenticated: false, scopes: [], policies: [] }));
    return own;
  }

  private intern(parts: readonly (Own | undefined)[]): Requirement | undefined {
    const present = parts.filter((part): part is Own => part !== undefined);
    if (present.length === 0) return undefined;
    const requirement: Requirement = {
      authenticated: present.some((part) => part.authenticated),
      scopes: present.flatMap((part) => part.scopes),
      policies: present.flatMap((part) => part.policies),
    };
    const key = JSON.stringify(requirement);
    let interned = this.interned.get(key);
    if (!interned) this.interned.set(key, (interned = requirement));
    return interned;
  }

  /** What field `name` of `parentType`, of named type `returnType`, requires; undefined when nothing. */
  field(parentType: string, name: string, returnType: string): Requirement | undefined {
    const coordinate = `${parentType}.${name}`;
    let requirement = this.fields.get(coordinate);
    if (requirement === undefined) this.fields.set(coordinate, (requirement = this.intern([this.byField.get(coordinate), this.byType.get(returnType)]) ?? null));
    return requirement ?? undefined;
  }

  /** What a fragment on `typeName` (or an operation on that root type) requires. */
  type(typeName: string): Requirement | undefined {
    return this.intern([this.byType.get(typeName)]);
  }
}
