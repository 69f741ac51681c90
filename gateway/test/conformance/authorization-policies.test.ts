/**
 * @policy enforced as Apollo Router does, its policies granted from the
 * verified token's claims by GATEWAY_POLICIES_FILE (policy-grants.ts) where
 * Router asks a coprocessor: a policy nobody granted is denied, what the
 * caller may not ask is removed before planning and answers null with an
 * UNAUTHORIZED_FIELD_OR_TYPE error at its path, and plans are kept per set
 * of requirements failed, so a plan made for a granted caller never serves
 * a denied one. Every operation is asked twice: the second time by the fast
 * lane.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { parsePolicyGrants } from '../../planning/policy-grants.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { postTo } from '../support/gateway-platform.js';
import { composeSupergraph } from './support/compose.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';

const staff = {
  name: 'staff',
  typeDefs: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@policy"])
    type Query {
      public: String
      salary: Int @policy(policies: [["hr"], ["manager", "same_company"]])
      audit: String @policy(policies: [["auditor"]])
      payroll: Payroll
    }
    type Payroll @policy(policies: [["hr"]]) { total: Int }`,
  resolvers: { Query: { public: () => 'hello', salary: () => 100, audit: () => 'clean', payroll: () => ({ total: 5 }) } },
};

// Nobody is granted `auditor`: it is not in the file.
const POLICIES = {
  hr: { roles: 'admin' },
  manager: { roles: ['teacher', 'admin'] },
  same_company: { company_id: demoViewer('admin').companyId },
};

let server: SubgraphServer;
let gateway: RunningGateway;
let url: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startSubgraphServer(staff);
  const file = join(mkdtempSync(join(tmpdir(), 'policies-')), 'policies.json');
  writeFileSync(file, JSON.stringify(POLICIES));
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', GATEWAY_POLICIES_FILE: file });
  gateway = await startGateway({ config, log: createLogger('authorization-policies-test'), supergraphSdl: composeSupergraph([server]) });
  url = gateway.url.replace('localhost', '127.0.0.1');
  const sign = (username: string, companyId?: string) => signDevUserToken(config.auth, demoViewer(username, companyId ? { companyId } : {}));
  Object.assign(tokens, {
    admin: await sign('admin'),
    teacher: await sign('tara.teacher'),
    otherTeacher: await sign('tara.teacher', '00000000-0000-4000-8000-000000000099'),
    student: await sign('sam.student'),
  });
});
afterAll(async () => {
  await gateway?.stop();
  await server?.stop();
});

type Caller = 'anonymous' | keyof typeof tokens;

async function ask(caller: Caller, query: string) {
  const headers: Record<string, string> = caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[caller]}` };
  const answers = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const { status, body } = await postTo(url, { query }, headers);
    expect(status).toBe(200);
    answers.push({ data: body.data, errors: body.errors?.map((error) => ({ path: error.path, code: error.extensions?.code })) });
  }
  expect(answers[1]).toEqual(answers[0]);
  return answers[0]!;
}

const unauthorized = (...path: string[]) => ({ path, code: 'UNAUTHORIZED_FIELD_OR_TYPE' });

describe('@policy: policies granted from token claims (GATEWAY_POLICIES_FILE)', () => {
  it('an OR of ANDs: one policy granted, both of another, or neither', async () => {
    expect(await ask('admin', '{ salary }')).toEqual({ data: { salary: 100 }, errors: undefined });
    expect(await ask('teacher', '{ salary }')).toEqual({ data: { salary: 100 }, errors: undefined });
    expect(await ask('otherTeacher', '{ public salary }')).toEqual({ data: { public: 'hello', salary: null }, errors: [unauthorized('salary')] });
    expect(await ask('student', '{ public salary }')).toEqual({ data: { public: 'hello', salary: null }, errors: [unauthorized('salary')] });
  });

  it('a policy the file does not grant is denied to every caller; the anonymous caller is granted none', async () => {
    expect(await ask('admin', '{ public audit }')).toEqual({ data: { public: 'hello', audit: null }, errors: [unauthorized('audit')] });
    expect(await ask('anonymous', '{ public salary payroll { total } }')).toEqual({
      data: { public: 'hello', salary: null, payroll: null },
      errors: [unauthorized('salary'), unauthorized('payroll')],
    });
  });

  it('on a type: fields returning it are removed; with the policy, answered', async () => {
    expect(await ask('teacher', '{ payroll { total } }')).toEqual({ data: null, errors: [unauthorized('payroll')] });
    expect(await ask('admin', '{ payroll { total } }')).toEqual({ data: { payroll: { total: 5 } }, errors: undefined });
  });

  it('a plan made for a granted caller never serves a denied one, nor the reverse', async () => {
    const query = '{ public pay: salary }';
    const before = server.received.length;
    expect(await ask('admin', query)).toEqual({ data: { public: 'hello', pay: 100 }, errors: undefined });
    expect(await ask('student', query)).toEqual({ data: { public: 'hello', pay: null }, errors: [unauthorized('pay')] });
    expect(await ask('otherTeacher', query)).toEqual({ data: { public: 'hello', pay: null }, errors: [unauthorized('pay')] });
    expect(await ask('teacher', query)).toEqual({ data: { public: 'hello', pay: 100 }, errors: undefined });
    // The denied callers' requests never asked the subgraph for the field.
    expect(server.received.slice(before).filter((request) => request.query.includes('salary'))).toHaveLength(4);
  });
});

describe('the policies file', () => {
  const grants = parsePolicyGrants(JSON.stringify({ ...POLICIES, everyone: {}, flagged: { beta: true } }), 'policies.json');

  it('grants by claim value, list membership and for `{}` every token', () => {
    expect(grants({ roles: ['admin'], company_id: POLICIES.same_company.company_id })).toEqual(['hr', 'manager', 'same_company', 'everyone']);
    expect(grants({ roles: ['student'], beta: true })).toEqual(['everyone', 'flagged']);
    expect(grants({ roles: 'teacher', beta: 'true' })).toEqual(['manager', 'everyone']);
  });

  it('refuses another shape, naming the file and the policy', () => {
    expect(() => parsePolicyGrants('[', 'p.json')).toThrow(/^p\.json: not JSON/);
    expect(() => parsePolicyGrants('["hr"]', 'p.json')).toThrow(/p\.json: expected an object/);
    expect(() => parsePolicyGrants('{"hr": "admin"}', 'p.json')).toThrow(/policy "hr": expected an object/);
    expect(() => parsePolicyGrants('{"hr": {"roles": []}}', 'p.json')).toThrow(/policy "hr", claim "roles"/);
    expect(() => parsePolicyGrants('{"hr": {"roles": {"in": "admin"}}}', 'p.json')).toThrow(/policy "hr", claim "roles"/);
  });
});
