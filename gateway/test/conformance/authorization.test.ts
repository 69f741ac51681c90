/**
 * @authenticated and @requiresScopes enforced as Apollo Router does: what
 * the caller may not ask is removed before planning (no subgraph is asked
 * for it), answers null (null propagating as GraphQL does), and each removal
 * is an UNAUTHORIZED_FIELD_OR_TYPE error at its path (list items as `@`).
 * Callers: none (anonymous mode, no token), a verified token without
 * scopes, tokens with scopes (the `scope` claim). Every operation is asked
 * twice: the second time by the fast lane.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { postTo } from '../support/gateway-platform.js';
import { composeSupergraph } from './support/compose.js';
import { incrementalClient } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';

const link = (...directives: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: [${directives.map((name) => `"@${name}"`).join(', ')}])`;

const staff = {
  name: 'staff',
  typeDefs: `${link('key', 'authenticated', 'requiresScopes')}
    type Query {
      public: String
      me: User @authenticated
      salary: Int @requiresScopes(scopes: [["read:salary"], ["hr", "admin"]])
      secret: Secret
      clip: Clip
      items: [Item!]
      media: [Media!]!
      profile: Profile
    }
    scalar Secret @authenticated
    type User @key(fields: "id") { id: ID! name: String }
    interface Item { id: ID! }
    type Book implements Item @key(fields: "id") { id: ID! title: String }
    type Clip implements Item @key(fields: "id") @authenticated { id: ID! url: String }
    union Media = Book | Clip
    type Profile { name: String! badge: String! @authenticated }`,
  resolvers: {
    Query: {
      public: () => 'hello',
      me: () => ({ id: 'u1', name: 'Ann' }),
      salary: () => 100,
      secret: () => 's3cr3t',
      clip: () => ({ id: 'c1', url: 'https://clips/1' }),
      items: () => [
        { __typename: 'Book', id: 'b1', title: 'Dune' },
        { __typename: 'Clip', id: 'c1', url: 'https://clips/1' },
      ],
      media: () => [
        { __typename: 'Book', id: 'b1', title: 'Dune' },
        { __typename: 'Clip', id: 'c1', url: 'https://clips/1' },
      ],
      profile: () => ({ name: 'Ann', badge: 'gold' }),
    },
    Media: { __resolveType: (value: { __typename: string }) => value.__typename },
    Item: { __resolveType: (value: { __typename: string }) => value.__typename },
  },
};

const mail = {
  name: 'mail',
  typeDefs: `${link('key', 'authenticated')} type User @key(fields: "id") { id: ID! email: String @authenticated }`,
  resolvers: { User: { __resolveReference: ({ id }: { id: string }) => ({ id, email: `${id}@example.com` }) } },
};

let servers: SubgraphServer[] = [];
let gateway: RunningGateway;
let url: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  servers = await Promise.all([staff, mail].map((definition) => startSubgraphServer(definition)));
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
  gateway = await startGateway({ config, log: createLogger('authorization-test'), supergraphSdl: composeSupergraph(servers) });
  url = gateway.url.replace('localhost', '127.0.0.1');
  const sign = (scopes?: string[]) => signDevUserToken(config.auth, { ...demoViewer('admin'), scopes });
  Object.assign(tokens, { plain: await sign(), salary: await sign(['read:salary']), hr: await sign(['hr']), hrAdmin: await sign(['admin', 'hr']) });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all(servers.map((server) => server.stop()));
});

type Caller = 'anonymous' | keyof typeof tokens;

/** The answer's data and each error's path and code; asked twice (the second by the fast lane), the same both times. */
async function ask(caller: Caller, query: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[caller]}` };
  const answers = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const { status, body } = await postTo(url, { query, variables }, headers);
    expect(status).toBe(200);
    answers.push({ data: body.data, errors: body.errors?.map((error) => ({ path: error.path, code: error.extensions?.code })) });
  }
  expect(answers[1]).toEqual(answers[0]);
  return answers[0]!;
}

const unauthorized = (...path: string[]) => ({ path, code: 'UNAUTHORIZED_FIELD_OR_TYPE' });
const mailServer = () => servers.find((server) => server.name === 'mail')!;

describe('@authenticated', () => {
  it('without a verified identity: the field is removed and answers null, the rest is answered, no subgraph asked for it', async () => {
    const before = mailServer().received.length;
    expect(await ask('anonymous', '{ public me { name email } }')).toEqual({ data: { public: 'hello', me: null }, errors: [unauthorized('me')] });
    expect(mailServer().received.length).toBe(before);
  });

  it('with a verified token: answered whole, across subgraphs', async () => {
    expect(await ask('plain', '{ public me { name email } }')).toEqual({ data: { public: 'hello', me: { name: 'Ann', email: 'u1@example.com' } }, errors: undefined });
  });

  it('on a type: fields returning it and fragments on it are removed (object type, scalar)', async () => {
    const query = '{ clip { url } secret media { ... on Book { title } ... on Clip { url } } }';
    expect(await ask('anonymous', query)).toEqual({
      data: { clip: null, secret: null, media: [{ title: 'Dune' }, { url: null }] },
      errors: [unauthorized('clip'), unauthorized('secret'), unauthorized('media', '@')],
    });
    expect((await ask('plain', query)).data).toEqual({ clip: { url: 'https://clips/1' }, secret: 's3cr3t', media: [{ title: 'Dune' }, { url: 'https://clips/1' }] });
  });

  it('on an implementation: composition puts it on the interface, so fields returning the interface are removed', async () => {
    expect(await ask('anonymous', '{ public items { id } }')).toEqual({ data: { public: 'hello', items: null }, errors: [unauthorized('items')] });
    expect((await ask('plain', '{ items { id } }')).data).toEqual({ items: [{ id: 'b1' }, { id: 'c1' }] });
  });

  it('a removed non-null field nulls its parent', async () => {
    expect(await ask('anonymous', '{ public profile { name badge } }')).toEqual({ data: { public: 'hello', profile: null }, errors: [unauthorized('profile', 'badge')] });
  });

  it('aliases, variables, named fragments and @defer (one JSON answer): paths by response name', async () => {
    const query = `query($withSalary: Boolean!) { boss: me { name } ...Pay ... @defer { profile { name badge } } }
      fragment Pay on Query { pay: salary @include(if: $withSalary) public }`;
    expect(await ask('anonymous', query, { withSalary: true })).toEqual({
      data: { boss: null, pay: null, public: 'hello', profile: null },
      errors: [unauthorized('boss'), unauthorized('pay'), unauthorized('profile', 'badge')],
    });
  });

  it('every requested field removed: data null with the errors', async () => {
    expect(await ask('anonymous', '{ me { name } secret }')).toEqual({ data: null, errors: [unauthorized('me'), unauthorized('secret')] });
  });

  it('clients cannot reach _entities through the gateway', async () => {
    const { body } = await postTo(url, { query: '{ _entities(representations: [{ __typename: "User", id: "u1" }]) { ... on User { email } } }' });
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('@requiresScopes: an OR of ANDs of the `scope` claim', () => {
  it('one alternative met, both of another met, or none', async () => {
    expect(await ask('salary', '{ salary }')).toEqual({ data: { salary: 100 }, errors: undefined });
    expect(await ask('hrAdmin', '{ salary }')).toEqual({ data: { salary: 100 }, errors: undefined });
    expect(await ask('hr', '{ public salary }')).toEqual({ data: { public: 'hello', salary: null }, errors: [unauthorized('salary')] });
    expect(await ask('plain', '{ public salary }')).toEqual({ data: { public: 'hello', salary: null }, errors: [unauthorized('salary')] });
  });

  it('plans are not shared across rights: a scoped caller first, then callers without the scope', async () => {
    const query = '{ public pay: salary }';
    expect(await ask('salary', query)).toEqual({ data: { public: 'hello', pay: 100 }, errors: undefined });
    expect(await ask('plain', query)).toEqual({ data: { public: 'hello', pay: null }, errors: [unauthorized('pay')] });
    expect(await ask('anonymous', query)).toEqual({ data: { public: 'hello', pay: null }, errors: [unauthorized('pay')] });
    expect(await ask('hrAdmin', query)).toEqual({ data: { public: 'hello', pay: 100 }, errors: undefined });
  });
});

describe('@defer over multipart/mixed and SSE: a removed field answers null in its own part, with its error', () => {
  const codes = (errors?: { path?: unknown; extensions?: { code?: unknown } }[]) => errors?.map((error) => ({ path: error.path, code: error.extensions?.code }));
  const parts = (payloads: unknown[]) =>
    (payloads as { data?: unknown; errors?: []; hasNext: boolean; incremental?: { data: unknown; path: unknown; label?: string; errors?: [] }[] }[]).map(
      ({ data, errors, hasNext, incremental }) => ({
        ...(data !== undefined && { data }),
        ...(errors && { errors: codes(errors) }),
        hasNext,
        ...(incremental && { incremental: incremental.map((item) => ({ ...item, errors: codes(item.errors) })) }),
      }),
    );

  it('multipart, no identity: removed in the primary part and in deferred ones, at the root and below', async () => {
    const query = '{ public me { name } ... @defer(label: "pay") { salary profile { name badge } } clip { ... @defer { url } } ... @defer { secret } }';
    const answer = await incrementalClient(url, '').multipart(query);
    const payloads = parts((await answer.rest()).items);
    // `secret`'s fragment is left with nothing: no part, the field answered with the primary.
    expect(payloads[0]).toEqual({
      data: { public: 'hello', me: null, clip: null, secret: null },
      errors: [unauthorized('me'), unauthorized('clip'), unauthorized('secret')],
      hasNext: true,
    });
    expect(payloads.slice(1).flatMap((payload) => payload.incremental ?? [])).toEqual([
      { data: { salary: null, profile: null }, path: [], label: 'pay', errors: [unauthorized('salary'), unauthorized('profile', 'badge')] },
    ]);
    expect(payloads.at(-1)?.hasNext).toBe(false);
  });

  it('multipart: a deferred fragment below the root, its removed non-null field nulling the part', async () => {
    const answer = await incrementalClient(url, '').multipart('{ profile { name ... @defer(label: "badge") { name badge } } }');
    const payloads = parts((await answer.rest()).items);
    expect(payloads[0]).toEqual({ data: { profile: { name: 'Ann' } }, hasNext: true });
    expect(payloads.slice(1).flatMap((payload) => payload.incremental ?? [])).toEqual([
      { data: null, path: ['profile'], label: 'badge', errors: [unauthorized('profile', 'badge')] },
    ]);
  });

  const multipart = async (query: string, variables?: Record<string, unknown>) => parts((await (await incrementalClient(url, '').multipart(query, variables)).rest()).items);
  const deferredItems = (payloads: ReturnType<typeof parts>) => payloads.slice(1).flatMap((payload) => payload.incremental ?? []);

  it('two unlabelled deferred fragments at one path: the error once, the field null only in the parts that ask it', async () => {
    const both = await multipart('{ public ... @defer { salary public } ... @defer { salary profile { name } } }');
    expect(both[0]).toEqual({ data: { public: 'hello' }, hasNext: true });
    const items = deferredItems(both);
    expect(items.map((item) => item.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { profile: { name: 'Ann' }, salary: null },
      { public: 'hello', salary: null },
    ]);
    expect(items.flatMap((item) => item.errors ?? [])).toEqual([unauthorized('salary')]);

    const one = deferredItems(await multipart('{ public ... @defer { salary public } ... @defer { profile { name } } }'));
    expect(one.find((item) => 'profile' in (item.data as object))).toEqual({ data: { profile: { name: 'Ann' } }, path: [], errors: undefined });
    expect(one.find((item) => 'public' in (item.data as object))).toEqual({ data: { public: 'hello', salary: null }, path: [], errors: [unauthorized('salary')] });
  });

  it('@defer(if: false) by a variable: its removed field and error in the initial payload, not in another part', async () => {
    const query = 'query($d: Boolean!) { public ... @defer { profile { name } } ... @defer(if: $d) { salary media { ... on Book { title } } } }';
    const media = [{ title: 'Dune' }, {}];
    const off = await multipart(query, { d: false });
    expect(off[0]).toEqual({ data: { public: 'hello', salary: null, media }, errors: [unauthorized('salary')], hasNext: true });
    expect(deferredItems(off)).toEqual([{ data: { profile: { name: 'Ann' } }, path: [], errors: undefined }]);

    const on = await multipart(query, { d: true });
    expect(on[0]).toEqual({ data: { public: 'hello' }, hasNext: true });
    expect(deferredItems(on).sort((a, b) => JSON.stringify(a.data).localeCompare(JSON.stringify(b.data)))).toEqual([
      { data: { salary: null, media }, path: [], errors: [unauthorized('salary')] },
      { data: { profile: { name: 'Ann' } }, path: [], errors: undefined },
    ]);
  });

  it('a fragment on a refused type inside a deferred fragment: its error with that part, not the initial payload', async () => {
    const payloads = await multipart('{ public media { ... on Book { title } ... @defer(label: "c") { ... on Book { id } ... on Clip { url } } } }');
    expect(payloads[0]).toEqual({ data: { public: 'hello', media: [{ title: 'Dune' }, {}] }, hasNext: true });
    expect(deferredItems(payloads)).toEqual([
      { data: { id: 'b1' }, path: ['media', 0], label: 'c', errors: [unauthorized('media', '@')] },
      { data: {}, path: ['media', 1], label: 'c', errors: undefined },
    ]);
  });

  it('SSE, a token without the scope: the deferred field null with its error; with the scope, answered', async () => {
    const query = '{ public ... @defer { pay: salary profile { name } } }';
    for (const [caller, pay, errors] of [
      ['plain', null, [unauthorized('pay')]],
      ['salary', 100, undefined],
    ] as const) {
      const events = (await (await incrementalClient(url, tokens[caller]!).sse(query)).rest()).items.filter((event) => event.event === 'next');
      const payloads = parts(events.map((event) => event.data));
      expect(payloads[0]).toEqual({ data: { public: 'hello' }, hasNext: true });
      expect(payloads.slice(1).flatMap((payload) => payload.incremental ?? [])).toEqual([{ data: { pay, profile: { name: 'Ann' } }, path: [], errors }]);
    }
  });
});
