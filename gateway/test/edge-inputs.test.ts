/**
 * Odd input at the edge: every case below once made a 500 (or an
 * INTERNAL_SERVER_ERROR); each must now be a 4xx or a GraphQL error with a
 * stable code, and nothing may be written on refusal.
 */
import http from 'node:http';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../platform/auth/gateway-signature.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../../platform/demo/demo-ids.js';
import { isAcceptableText } from '../pipeline/control-characters.js';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let token: string;
let db: GatewayPlatform['db'];
const PROJECT = DEMO_ERP.projects[0].id;
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id title } }';

beforeAll(async () => {
  platform = await startGatewayPlatform({ subgraphs: ['academy', 'erp'] });
  token = await platform.tokenFor('admin');
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const tasksTitled = async (fragment: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM erp.tasks WHERE title LIKE ${`%${fragment}%`}`.execute(db)).rows[0]!.n);

/** Raw bytes to the gateway, for bodies JSON.stringify cannot make. */
function postRaw(body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const url = platform.gateway.url.replace('localhost', '127.0.0.1');
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function expectRefused(response: { status: number; body: any }, code: string) {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(JSON.stringify(response.body)).not.toContain('INTERNAL_SERVER_ERROR');
}

describe('control characters', () => {
  it('refuses a NUL in a variable with BAD_USER_INPUT, and writes nothing', async () => {
    const response = await platform.post({ query: CREATE_TASK, variables: { input: { projectId: PROJECT, title: 'nul-variable\u0000here' } } }, auth());
    expectRefused(response, 'BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(/control character/i);
    expect(await tasksTitled('nul-variable')).toBe(0);
  });

  it('refuses a NUL escaped in a string literal of the operation', async () => {
    const query = `mutation { createTask(input: { projectId: "${PROJECT}", title: "nul-literal\\u0000here" }) { id } }`;
    const response = await platform.post({ query }, auth());
    expectRefused(response, 'BAD_USER_INPUT');
    expect(await tasksTitled('nul-literal')).toBe(0);
  });

  it('refuses other C0 controls and lone surrogates, and keeps tabs and newlines', async () => {
    for (const title of ['bell\u0007', 'escape\u001b[31m', 'lone \ud800 surrogate']) {
      const response = await platform.post({ query: CREATE_TASK, variables: { input: { projectId: PROJECT, title } } }, auth());
      expectRefused(response, 'BAD_USER_INPUT');
    }
    // Tabs and newlines are text (a title refuses line breaks for its own reasons, in erp: a tab shows the gateway's rule).
    const fine = await platform.post({ query: CREATE_TASK, variables: { input: { projectId: PROJECT, title: 'tab\there' } } }, auth());
    expect(fine.body.errors).toBeUndefined();
    expect(fine.body.data.createTask.title).toBe('tab\there');
    expect(['line\nfeed', 'carriage\r\nreturn'].every(isAcceptableText)).toBe(true);
  });

  it('maps a database encoding error to BAD_USER_INPUT in every subgraph (a way in around the gateway check)', async () => {
    const body = JSON.stringify({ query: CREATE_TASK, variables: { input: { projectId: PROJECT, title: 'direct\u0000nul' } } });
    const viewer = { userId: 'passport-2', companyId: DEMO_COMPANIES.bheem.id, roles: ['admin'], moodleUserId: '2' };
    const response = await fetch(platform.subgraphs.erp!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(platform.config.internalSigningSecret, viewer, 'erp', body) },
      body,
    });
    const answer = (await response.json()) as any;
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await tasksTitled('direct')).toBe(0);
  });
});

describe('malformed requests', () => {
  it('refuses a body that is not valid UTF-8 with 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"query":"{ courses { id } }","operationName":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const response = await postRaw(bytes, auth());
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(response.body.errors?.[0]?.message).toMatch(/UTF-8/);
  });

  it('refuses several operations without operationName', async () => {
    const response = await platform.post({ query: 'query A { courses { id } } query B { courses { fullname } }' }, auth());
    expectRefused(response, 'OPERATION_RESOLUTION_FAILURE');
    expect(response.body.errors?.[0]?.message).toMatch(/operationName/);
  });

  it('refuses an operationName that names no operation of the document', async () => {
    const single = await platform.post({ query: 'query A { courses { id } }', operationName: 'Nope' }, auth());
    expectRefused(single, 'OPERATION_RESOLUTION_FAILURE');
    const several = await platform.post({ query: 'query A { courses { id } } query B { courses { fullname } }', operationName: 'C' }, auth());
    expectRefused(several, 'OPERATION_RESOLUTION_FAILURE');
    const wrongType = await platform.post({ query: 'query A { courses { id } }', operationName: 42 }, auth());
    expectRefused(wrongType, 'BAD_REQUEST');
  });

  it('still runs the operation operationName picks', async () => {
    const response = await platform.post({ query: 'query A { courses { id } } query B { courses { fullname } }', operationName: 'B' }, auth());
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.courses[0].fullname).toBeTypeOf('string');
  });

  it('answers a subscription POSTed to /graphql with a 4xx pointing at graphql-ws and SSE', async () => {
    const response = await platform.post({ query: 'subscription { liveClassStatusChanged { id } }' }, auth());
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_NOT_SUPPORTED');
    expect(response.body.errors?.[0]?.message).toMatch(/graphql-ws/);
    expect(response.body.errors?.[0]?.message).toMatch(/\/graphql\/stream/);
  });

  it('refuses variables that are not an object, and a query that is not a string', async () => {
    expectRefused(await platform.post({ query: '{ courses { id } }', variables: [1, 2] }, auth()), 'BAD_REQUEST');
    expectRefused(await platform.post({ query: 42 }, auth()), 'BAD_REQUEST');
  });
});

describe('token claims', () => {
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(platform.config.auth.issuer!)
      .setAudience(platform.config.auth.audience!)
      .setSubject('passport-2')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(platform.config.auth.devSecret));

  it('answers a signed token whose company_id is not a UUID with 401 UNAUTHENTICATED', async () => {
    for (const companyId of ['not-a-uuid', "1' OR '1'='1", '']) {
      const bad = await sign({ company_id: companyId, roles: ['admin'], moodle_user_id: '2' });
      const response = await platform.post({ query: '{ courses { id } tasks { id } }' }, { authorization: `Bearer ${bad}` });
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a token whose moodle_user_id is not a Moodle id with 401', async () => {
    const bad = await sign({ company_id: DEMO_COMPANIES.bheem.id, roles: ['admin'], moodle_user_id: 'x; DROP' });
    const response = await platform.post({ query: '{ courses { id } }' }, { authorization: `Bearer ${bad}` });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
