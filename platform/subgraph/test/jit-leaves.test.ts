/**
 * patches/graphql-jit+0.8.9.patch: a compiled query checks a leaf's value for
 * null and Error inline and builds the field's locations and path literals
 * only when it fails, where graphql-jit passed both to `checkNonNullLeaf` for
 * every leaf of every row (about 1.2 M instructions of a 700-class course
 * list, bench/README-results.md, session 16). The answers, errors included,
 * are checked against graphql-js in fast-path-engines.test.ts.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { graphqlRuntime } from '../subscriptions/graphql-runtime.js';

// As fast-path.ts loads it: CommonJS, the patched build.
const { buildSchema, parse } = graphqlRuntime;
const jit = createRequire(import.meta.url)('graphql-jit') as typeof import('graphql-jit');

const schema = buildSchema(`
  scalar DateTime
  type Query { courses: [Course!]! }
  type Course { id: ID! title: String start: DateTime! classes: [LiveClass!]! }
  type LiveClass { id: ID! title: String! scheduledAt: DateTime }
`);

function compilation(query: string): string {
  const compiled = jit.compileQuery(schema, parse(query), undefined, { debug: true } as never);
  if (!jit.isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
  return (compiled as unknown as { __DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation: string }).__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation;
}

describe('graphql-jit, patched', () => {
  it("builds a leaf's locations only where it fails, for nullable and non-null leaves at any depth", () => {
    const code = compilation('{ courses { id title start classes { id title scheduledAt } } }');
    expect(code).toContain('leafFailure(');
    // Every locations literal left is an argument of an error being made (no call inside them has parentheses).
    const outsideErrors = code.replace(/(leafFailure|GraphQLError)\([^()]*\)/g, '');
    expect(outsideErrors).not.toContain('"line":');
  });
});
