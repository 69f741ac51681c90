/**
 * Subscription.leaveRequestChanged through the real gateway with the
 * graphql-ws client: an employee hears of their own requests as they are
 * requested and decided (with the reviewer's name, from academy), a manager
 * of the company's, another employee and another company's admin of none
 * of them; a student is refused. And the two ways of reading that the Leave
 * page pages through: a manager's requests to decide without their own
 * (every page full), and past leave latest first.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { subscribeWs, wsUrlOf } from '../../../gateway/test/subscriptions-support.js';

const CHANGES = 'subscription { leaveRequestChanged { id status employee { id } reviewedBy { fullName } } }';
const REQUEST = 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }';

let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp'] });
  url = wsUrlOf(platform.gateway!.url);
});
afterAll(async () => {
  await platform?.stop();
});

/** A day of leave (UTC) starting `day` (YYYY-MM-DD) for `username`; its id. */
async function requestLeave(username: string, day: string): Promise<string> {
  const start = new Date(`${day}T00:00:00Z`);
  const result = await platform.query(username, REQUEST, { input: { startDate: start.toISOString(), endDate: new Date(start.getTime() + 86_400_000).toISOString() } });
  expect(result.errors).toBeUndefined();
  return result.data.requestLeave.id;
}

const waitUntilSubscribed = (count: number) => expect.poll(() => activeSubscriptions('erp'), { timeout: 60_000 }).toBe(count);

describe('leaveRequestChanged through the gateway', () => {
  beforeEach(() => waitUntilSubscribed(0));

  it('tells the employee and the company’s managers, and nobody else', async () => {
    const token = (username: string) => platform.tokenFor(username);
    const emil = subscribeWs(url, await token('emil.employee'), CHANGES);
    const maya = subscribeWs(url, await token('maya.manager'), CHANGES);
    const tara = subscribeWs(url, await token('tara.teacher'), CHANGES); // an employee too: her own only
    const globex = subscribeWs(url, await token('globex.admin'), CHANGES);
    const sam = subscribeWs(url, await token('sam.student'), CHANGES);
    const refused: any = await Promise.race([sam.event(1).then((event) => ({ event })), sam.ended.then((ended) => ({ ended }))]);
    expect(refused.event?.errors?.[0]?.extensions?.code ?? refused.ended?.error?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await waitUntilSubscribed(4);

    const leave = await requestLeave('emil.employee', '2027-02-01');
    expect((await emil.event(1)).data.leaveRequestChanged).toEqual({ id: leave, status: 'PENDING', employee: { id: '9' }, reviewedBy: null });
    expect((await maya.event(1)).data.leaveRequestChanged.id).toBe(leave);
    const approved = await platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { id } }', { id: leave });
    expect(approved.errors).toBeUndefined();
    expect((await emil.event(2)).data.leaveRequestChanged).toEqual({ id: leave, status: 'APPROVED', employee: { id: '9' }, reviewedBy: { fullName: 'Maya Pillai' } });

    // Tara's and Globex's first news are their own company's, their own for Tara: Emil's never reached them.
    const taras = await requestLeave('tara.teacher', '2027-02-02');
    expect((await tara.event(1)).data.leaveRequestChanged.id).toBe(taras);
    const ginas = await requestLeave('gina.teacher', '2027-02-03');
    expect((await globex.event(1)).data.leaveRequestChanged.id).toBe(ginas);
    expect(emil.events).toHaveLength(2);
    for (const subscription of [emil, maya, tara, globex, sam]) subscription.dispose();
  });
});

describe('leaveRequestsConnection for the Leave page', () => {
  const PAGE =
    'query($first: Int!, $after: String, $toDecide: Boolean, $latestFirst: Boolean, $to: DateTime, $me: ID) { leaveRequestsConnection(toDecide: $toDecide, latestFirst: $latestFirst, to: $to, employeeId: $me, first: $first, after: $after) { edges { node { id startDate employee { id } } } pageInfo { hasNextPage endCursor } } }';

  interface Listed {
    id: string;
    startDate: string;
    employee: { id: string };
  }
  interface Connection {
    edges: { node: Listed }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }

  async function pages(username: string, variables: Record<string, unknown>) {
    const seen: Listed[][] = [];
    let after: string | null = null;
    do {
      const result = await platform.query<{ leaveRequestsConnection: Connection }>(username, PAGE, { ...variables, first: 2, after });
      expect(result.errors).toBeUndefined();
      const connection: Connection = result.data!.leaveRequestsConnection;
      seen.push(connection.edges.map((edge) => edge.node));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    return seen;
  }

  it('gives a manager full pages of the requests to decide, never their own', async () => {
    // Maya's own come first by date: filtered after reading, they would leave her first pages short.
    for (const day of ['2026-06-01', '2026-06-02', '2026-06-03']) await requestLeave('maya.manager', day);
    for (const day of ['2026-06-04', '2026-06-05', '2026-06-06']) await requestLeave('emil.employee', day);
    const read = await pages('maya.manager', { toDecide: true });
    expect(read.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    expect(read.flat().some((leave) => leave.employee.id === '8')).toBe(false);
    expect(read.flat().filter((leave) => leave.startDate.startsWith('2026-06'))).toHaveLength(3);
    // Not a manager: nothing to decide.
    expect((await pages('emil.employee', { toDecide: true })).flat()).toEqual([]);
  });

  it('pages past leave latest first', async () => {
    const to = '2025-02-01T00:00:00Z';
    for (const day of ['2025-01-05', '2025-01-07', '2025-01-06', '2025-01-08', '2025-01-04']) await requestLeave('tara.teacher', day);
    const read = await pages('tara.teacher', { latestFirst: true, to, me: '3' });
    expect(read.flat().map((leave) => leave.startDate.slice(0, 10))).toEqual(['2025-01-08', '2025-01-07', '2025-01-06', '2025-01-05', '2025-01-04']);
    expect(read).toHaveLength(3);
  });
});
