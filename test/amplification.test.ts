/**
 * The amplification of issue #15 (hundreds of aliases over the occurrences
 * of an hourly series) is refused with the limit's code before any subgraph
 * works, and another company's calendar stays served meanwhile. Through the
 * real gateway and calendar subgraph.
 *
 * Timing is not asserted (a shared machine makes it noise): the test prints
 * the refusal time and the other company's latency, alone and during the
 * attack; `npm run bench -- --only amplification` runs it with more rounds
 * (AMPLIFICATION_ROUNDS) and prints the same line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const ROUNDS = Number(process.env.AMPLIFICATION_ROUNDS ?? 10);
const YEAR = { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' };
const MONTH = '{ calendarEvents(from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { start event { id title } } }';

let platform: TestPlatform;
let seriesId: string;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], env: { GATEWAY_RATE_LIMIT_STORE: 'off' } });
  // Hourly in working hours: about 2,340 occurrences a year, under the per-series cap.
  const created = await platform.query('emil.employee', 'mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }', {
    input: { title: 'Ping', start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:10:00Z', recurrenceRule: 'FREQ=HOURLY;BYHOUR=9,10,11,12,13,14,15,16,17;BYDAY=MO,TU,WE,TH,FR' },
  });
  expect(created.errors).toBeUndefined();
  seriesId = created.data.createCalendarEvent.id;
});
afterAll(() => platform?.stop());

const aliased = (count: number) =>
  `query($id: ID!, $from: DateTime!, $to: DateTime!) { calendarEvent(id: $id) { ${Array.from({ length: count }, (_, i) => `a${i}: occurrences(from: $from, to: $to) { start }`).join(' ')} } }`;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

it("refuses hundreds of aliases over a series' occurrences with the limit's code, and another company stays served", { timeout: 120_000 }, async () => {
  const attacker = await platform.tokenFor('emil.employee');
  const other = await platform.tokenFor('globex.admin');
  const otherQuery = () => platform.request({ token: other, query: MONTH });

  // Under the alias limit, the per-request occurrence cap refuses it instead, naming the cap.
  const underAliasLimit = await platform.request({ token: attacker, query: aliased(12), variables: { id: seriesId, ...YEAR } });
  expect(underAliasLimit.body.errors?.[0]?.message).toMatch(/CALENDAR_MAX_OCCURRENCES_PER_REQUEST/);

  const alone: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { ms, result } = await timed(otherQuery);
    expect(result.body.errors).toBeUndefined();
    alone.push(ms);
  }

  // The attack (hundreds of aliases, up to the 1,300 found) with the other company's queries running beside it.
  const refusals: number[] = [];
  const meanwhile: number[] = [];
  let attacking = true;
  const victim = (async () => {
    while (attacking) {
      const { ms, result } = await timed(otherQuery);
      expect(result.body.errors).toBeUndefined();
      meanwhile.push(ms);
    }
  })();
  try {
    for (let i = 0; i < ROUNDS; i++) {
      // 200 aliases pass the token limit and meet the alias limit; 1,300 are already past the token limit.
      const [count, limit] = i % 2 === 0 ? [200, 'MAX_ALIASES_EXCEEDED'] : [1_300, 'MAX_TOKENS_EXCEEDED'];
      const { ms, result } = await timed(() => platform.request({ token: attacker, query: aliased(count), variables: { id: seriesId, ...YEAR } }));
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions?.code).toBe(limit);
      refusals.push(ms);
    }
  } finally {
    attacking = false;
    await victim;
  }
  console.log(
    `amplification: ${ROUNDS} requests of 200-1,300 aliases over an hourly series' occurrences refused (MAX_ALIASES_EXCEEDED, MAX_TOKENS_EXCEEDED) in p50 ${percentile(refusals, 0.5).toFixed(1)} ms, max ${Math.max(...refusals).toFixed(1)} ms; ` +
      `another company's month view p50 ${percentile(meanwhile, 0.5).toFixed(1)} ms, max ${Math.max(...meanwhile).toFixed(1)} ms meanwhile (${meanwhile.length} queries), p50 ${percentile(alone, 0.5).toFixed(1)} ms alone`,
  );
});
