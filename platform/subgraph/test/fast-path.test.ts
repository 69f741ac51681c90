/**
 * The subgraph's fast path (platform/subgraph/fast-path.ts) answers exactly
 * as Apollo Server does: the first request of a text goes through Apollo,
 * the next ones past it, and status, media type and body must not differ.
 * Requests it must leave to Apollo (variables that do not coerce, refused
 * text) are still Apollo's answers, and are not counted as served fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../observability/metrics.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
let token: string;

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false, seeded: true, env: { REQUIRE_GATEWAY_SIGNATURE: 'false' } });
  token = await platform.tokenFor('admin');
});
afterAll(() => platform?.stop());

async function servedFast(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('bheem_subgraph_fast_path_requests_total')?.get();
  return metric?.values.find((value) => value.labels.service === 'meet')?.value ?? 0;
}

/** The answer's text with each error's stack trace (outside production) reduced to whether it is there: the frames differ by path. */
const withoutFrames = (body: string) => body.replace(/"stacktrace":\[(?:"(?:[^"\\]|\\.)*",?)*\]/g, '"stacktrace":true');

/** Sends the same request `times` times to meet; every answer as the first (Apollo's), and how many were served fast. */
async function sameAnswers(body: Record<string, unknown>, times = 3, accept?: string) {
  const before = await servedFast();
  const answers: { status: number; contentType: string | null; framing: string; body: string }[] = [];
  for (let index = 0; index < times; index++) {
    const response = await fetch(platform.subgraphs.meet!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(accept && { accept }) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    // Framed as Apollo's answer is, by its length (one write), not in chunks: the length is the body's, stack frames left in.
    const framing = `${response.headers.get('content-length') === String(Buffer.byteLength(text)) ? 'length' : 'no length'} ${response.headers.get('transfer-encoding') ?? ''}`;
    answers.push({ status: response.status, contentType: response.headers.get('content-type'), framing, body: withoutFrames(text) });
  }
  for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  return { first: answers[0]!, fast: (await servedFast()) - before };
}

describe('subgraph fast path', () => {
  it('answers a known text as Apollo Server did', async () => {
    const { first, fast } = await sameAnswers({
      query: 'query Classes($status: [LiveClassStatus!]) { liveClasses(status: $status) { id title scheduledAt status } }',
      variables: { status: ['SCHEDULED', 'LIVE'] },
    });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).data.liveClasses.length).toBeGreaterThan(0);
    expect(fast).toBe(2);
  });

  it('answers media types as Apollo Server did', async () => {
    const { first, fast } = await sameAnswers({ query: '{ liveClasses { id } }' }, 3, 'application/graphql-response+json');
    expect(first.contentType).toBe('application/graphql-response+json; charset=utf-8');
    expect(fast).toBe(2);
  });

  it("answers another gateway's accept lists as Apollo Server did, past it", async () => {
    const lists = [
      ['application/graphql-response+json; charset=utf-8, application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8'],
      ['application/json;q=0.9, application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
      ['application/json, */*;q=0.1', 'application/json; charset=utf-8'],
    ] as const;
    for (const [index, [accept, contentType]] of lists.entries()) {
      const { first, fast } = await sameAnswers({ query: '{ liveClasses { id title } }' }, 3, accept);
      expect(first.contentType).toBe(contentType);
      expect(fast).toBe(index === 0 ? 2 : 3); // the first request of the text goes through Apollo Server
    }
    // Refused by Apollo Server (406): left to it every time.
    const refused = await sameAnswers({ query: '{ liveClasses { id title } }' }, 2, 'text/html');
    expect(refused.first.status).toBe(406);
    expect(refused.fast).toBe(0);
  });

  it("formats a resolver's error, its code and HTTP status, as Apollo Server did", async () => {
    const { first, fast } = await sameAnswers({
      query: 'mutation Cancel($id: ID!) { cancelLiveClass(id: $id) { id } }',
      variables: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(first.status).toBe(404);
    expect(JSON.parse(first.body).errors[0].extensions).toEqual({ code: 'NOT_FOUND', stacktrace: true });
    expect(fast).toBe(2);
  });

  it('leaves variables that do not coerce to Apollo Server', async () => {
    const { first, fast } = await sameAnswers({ query: 'query From($from: DateTime) { liveClasses(from: $from) { id } }', variables: { from: '2026-12-05T10:00:00Z' } }, 1);
    expect(first.status).toBe(200);
    const refused = await sameAnswers({ query: 'query From($from: DateTime) { liveClasses(from: $from) { id } }', variables: { from: 'not a date' } });
    expect(refused.first.status).toBe(400);
    expect(JSON.parse(refused.first.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(fast + refused.fast).toBe(0);
  });

  it('leaves text the text checks refuse to Apollo Server', async () => {
    const query = 'query Course($courseId: ID) { liveClasses(courseId: $courseId) { id } }';
    await sameAnswers({ query, variables: { courseId: '1' } }, 1);
    const refused = await sameAnswers({ query, variables: { courseId: 'a\u0001b' } });
    expect(JSON.parse(refused.first.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.fast).toBe(0);
  });
});
