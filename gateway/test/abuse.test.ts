/**
 * The abuse suite: hostile operations are refused at the gateway with a
 * stable code, for less than a normal query costs, while normal traffic
 * keeps flowing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let token: string;
const NORMAL = '{ courses { id fullname teachers { fullName } } }';

beforeAll(async () => {
  platform = await startGatewayPlatform({ env: { GATEWAY_FIELD_SUGGESTIONS: 'false', GATEWAY_INTROSPECTION: 'false' } });
  token = await platform.tokenFor('admin');
  // Warm up: the first request compiles the query plan and opens subgraph sockets.
  await platform.post({ query: NORMAL }, { authorization: `Bearer ${token}` });
});
afterAll(() => platform?.stop());

const nested = (depth: number) => `{ ${'courses { teachers { '.repeat(depth / 2)}id${' } }'.repeat(depth / 2)} }`;
const aliases = (count: number) => `{ courses { ${Array.from({ length: count }, (_, i) => `a${i}:id`).join(' ')} } }`;
function fragmentBomb(levels: number): string {
  let document = 'query Bomb { ...F0 }\n';
  for (let level = 0; level < levels; level++) document += `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }\n`;
  return `${document}fragment F${levels} on Query { courses { id } }`;
}

/** Each call a new text (a trailing comment), so that no verdict cache answers for the gateway. */
let nonce = 0;
const fresh = (query: string) => `${query}\n# ${++nonce}`;

const ABUSES: { name: string; body: () => unknown; status: number; code: string }[] = [
  { name: 'depth 1,000', body: () => ({ query: fresh(nested(1000)) }), status: 400, code: 'MAX_DEPTH_EXCEEDED' },
  { name: '10,000 aliases', body: () => ({ query: fresh(aliases(10_000)) }), status: 413, code: 'QUERY_TOO_LARGE' },
  { name: '3,000 aliases', body: () => ({ query: fresh(aliases(3_000)) }), status: 400, code: 'MAX_TOKENS_EXCEEDED' },
  { name: '100 aliases', body: () => ({ query: fresh(aliases(100)) }), status: 400, code: 'MAX_ALIASES_EXCEEDED' },
  { name: 'a 2 MB query', body: () => ({ query: fresh(`{ courses { id ${' '.repeat(2_000_000)}} }`) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'a 100 kB query', body: () => ({ query: fresh(`{ courses { id ${'#'.repeat(100_000)}\n} }`) }), status: 413, code: 'QUERY_TOO_LARGE' },
  { name: 'a fragment explosion (2^30 selections)', body: () => ({ query: fresh(fragmentBomb(30)) }), status: 400, code: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED' },
  { name: '100 batched operations', body: () => Array.from({ length: 100 }, () => ({ query: NORMAL })), status: 400, code: 'BATCHING_NOT_SUPPORTED' },
  { name: '50 root fields', body: () => ({ query: fresh(`{ ${Array.from({ length: 50 }, () => 'courses { id }').join(' ')} }`) }), status: 400, code: 'MAX_ROOT_FIELDS_EXCEEDED' },
  { name: '100 directives', body: () => ({ query: fresh(`{ courses ${'@include(if: true) '.repeat(100)}{ id } }`) }), status: 400, code: 'MAX_DIRECTIVES_EXCEEDED' },
  { name: 'a 500-item list literal', body: () => ({ query: fresh(`{ courses { id } f(ids: [${Array(500).fill(1).join(',')}]) }`) }), status: 400, code: 'LIST_TOO_LONG' },
  {
    name: 'a 500-item list variable',
    body: () => ({ query: fresh('query($ids: [ID!]) { courses { id } }'), variables: { ids: Array(500).fill('1') } }),
    status: 400,
    code: 'LIST_TOO_LONG',
  },
  { name: 'unknown-field probing', body: () => ({ query: fresh('{ courses { id passwordHash } }') }), status: 200, code: 'GRAPHQL_VALIDATION_FAILED' },
];

describe('abuse suite', () => {
  // A refusal must cost less than serving a normal query (no planning, no subgraph call), whatever the
  // speed of the machine: each is the best of five, taken in turns in the same test, and the refusal
  // must stay under a few normal queries (a blow-up such as expanding a fragment bomb costs thousands).
  it.each(ABUSES)('refuses $name with $code, for less than a normal query costs', async ({ body, status, code }) => {
    const refusals: number[] = [];
    const normals: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await platform.post(body(), { authorization: `Bearer ${token}` });
      expect(response.status).toBe(status);
      expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.body.data ?? null).toBeNull();
      refusals.push(response.ms);
      const normal = await platform.post({ query: fresh(NORMAL) }, { authorization: `Bearer ${token}` });
      expect(normal.body.errors).toBeUndefined();
      normals.push(normal.ms);
    }
    const best = (times: number[]) => Math.min(...times);
    console.log(`refused ${code.padEnd(34)} best ${best(refusals).toFixed(1).padStart(5)} ms, a normal query ${best(normals).toFixed(1).padStart(5)} ms`);
    expect(best(refusals)).toBeLessThan(3 * best(normals));
  });

  it('keeps answering normal traffic while being abused', async () => {
    const normal = async () => {
      const response = await platform.post({ query: NORMAL }, { authorization: `Bearer ${token}` });
      expect(response.body.errors).toBeUndefined();
      return response.body.data.courses.length as number;
    };
    const abuse = ABUSES.flatMap((abuse) => Array.from({ length: 3 }, () => abuse.body()));
    const results = await Promise.all([...abuse.map((payload) => platform.post(payload, { authorization: `Bearer ${token}` })), ...Array.from({ length: 30 }, normal)]);
    const refused = results.slice(0, abuse.length) as { status: number }[];
    expect(refused.every((result) => result.status >= 200)).toBe(true);
    expect(results.slice(abuse.length)).toEqual(Array(30).fill(3));
  });

  it('hides field suggestions, so unknown-field probing learns nothing about the schema', async () => {
    const response = await platform.post({ query: '{ courses { fullnam } }' }, { authorization: `Bearer ${token}` });
    expect(response.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(response.body.errors?.[0]?.message).not.toContain('fullname');
  });

  it('accepts an operation at the limits and refuses it one step beyond', async () => {
    const ok = await platform.post({ query: aliases(30) }, { authorization: `Bearer ${token}` });
    expect(ok.body.errors).toBeUndefined();
    const over = await platform.post({ query: aliases(31) }, { authorization: `Bearer ${token}` });
    expect(over.body.errors?.[0]?.extensions?.code).toBe('MAX_ALIASES_EXCEEDED');
    expect(over.body.errors?.[0]?.message).toBe('Aliases limit of 30 exceeded, found 31.');
  });

  it('applies the same limits to any transport through checkOperationLimits', () => {
    expect(platform.gateway.checkOperationLimits(nested(40))).toMatchObject({ ok: false, code: 'MAX_DEPTH_EXCEEDED' });
    expect(platform.gateway.checkOperationLimits(NORMAL)).toMatchObject({ ok: true, weight: 1 });
    // Braces in strings and comments are not nesting.
    const braces = '{'.repeat(200);
    expect(platform.gateway.checkOperationLimits(`{ courses(q: "${braces}", b: """${braces}""") { id } } # ${braces}`)).toMatchObject({ ok: true });
  });
});
