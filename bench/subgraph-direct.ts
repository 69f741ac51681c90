/**
 * One subgraph's data path across checkouts, without the gateway: each
 * checkout in BENCH_AB_ROOTS runs its own meet on its own copy of
 * one seeded database (as bench/subgraphs-interleaved.ts), and this process
 * sends meet the requests the gateway sends it for an operation (the same
 * operation texts, so the subgraph's fast path serves them), straight to its
 * port, round after round, the order alternating. Prints per round and
 * summed the CPU ms/request of meet's process and of PostgreSQL's backends,
 * with ratios to the first checkout. Every answer of a read is compared
 * across checkouts (byte for byte, by request): a difference fails the run.
 * Far more requests per second of machine than through the whole stack, so
 * steadier ratios on a loaded machine.
 *
 *   BENCH_AB_ROOTS=/wt/base,. node --import tsx bench/subgraph-direct.ts \
 *     --rounds 4 --seconds 3 --vus 4 --operations courseList,coursePage,joinLiveClass
 * Meet runs alone (the bench's callers are admins, whose access it does not ask academy about),
 * compiled as production runs it, or through tsx for a checkout with no build script or whose
 * entry ends in `@tsx` (bench/gateway/checkout-code.ts).
 * BENCH_DIRECT_SUBGRAPH=calendar runs calendar instead, sent its course-list and course-page
 * entity fetches (courseList, coursePage).
 * BENCH_CPU_PROFILE_DIR=<dir> profiles it (`<dir>/<index>-subgraph-<name>/`).
 */
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { SUBGRAPH_NAMES } from '../platform/config.js';
import { freePort } from '../platform/database/embedded-postgres.js';
import { startCpuMeter, type CpuMeter } from './gateway/cpu-meter.js';
import type { CheckoutCode } from './gateway/checkout-code.js';
import { checkoutLabel, interleaveOptions, prepareCheckouts } from './gateway/interleave.js';
import type { LoadFixture, OperationName } from './gateway/operations.js';
import { spawnService, waitUntil, type Scratch, type Service } from './gateway/services.js';
import { withBenchStack } from './gateway/with-bench-stack.js';

/** What the gateway sends meet, by operation (texts as its planner writes them). */
const MEET_QUERIES: Partial<Record<OperationName, string>> = {
  courseList:
    'query CourseList__meet__2($representations:[_Any!]!){_entities(representations:$representations){...on Course{liveClasses(status:[LIVE SCHEDULED]){id title scheduledAt}}}}',
  coursePage:
    'query CoursePage__meet__4($representations:[_Any!]!){_entities(representations:$representations){...on Course{liveClasses{__typename id title status scheduledAt host{__typename id}recordings{id status durationSeconds}}recordings{id status liveClass{id title}}}}}',
  joinLiveClass: 'mutation Join__meet__0($id:ID!){joinLiveClass(id:$id){roomName canPublish livekitUrl token expiresAt}}',
};
/** What the gateway sends calendar for a course's events (the course page's calendarEvent of each class is left out). */
const CALENDAR_QUERIES: Partial<Record<OperationName, string>> = {
  courseList:
    'query CourseList__calendar__3($representations:[_Any!]!$from:DateTime!$to:DateTime!){_entities(representations:$representations){...on Course{calendarEvents(from:$from to:$to){id title start}}}}',
  coursePage: 'query CoursePage__calendar__5($representations:[_Any!]!){_entities(representations:$representations){...on Course{calendarEvents{id title start eventType}}}}',
};
/** The subgraph run alone: meet (default) or calendar (BENCH_DIRECT_SUBGRAPH); either asks academy nothing for the bench's admins. */
const SUBGRAPH = (process.env.BENCH_DIRECT_SUBGRAPH ?? 'meet') as 'meet' | 'calendar';
if (SUBGRAPH !== 'meet' && SUBGRAPH !== 'calendar') throw new Error(`BENCH_DIRECT_SUBGRAPH: "${SUBGRAPH}" is not meet or calendar`);
const QUERIES = SUBGRAPH === 'meet' ? MEET_QUERIES : CALENDAR_QUERIES;
type DirectOperation = OperationName;

interface DirectRequest {
  token: string;
  body: string;
  /** Reads are compared across checkouts; a join's token differs every time. */
  compare: boolean;
}

const course = (id: string) => ({ __typename: 'Course', id, viewerRole: null });

function requestsOf(fixture: LoadFixture, operation: DirectOperation): DirectRequest[] {
  const query = QUERIES[operation];
  if (!query) throw new Error(`${SUBGRAPH} has no direct form of ${operation}`);
  const requests: DirectRequest[] = [];
  for (const company of fixture.companies) {
    company.courses.forEach((id, index) => {
      const token = company.tokens[index % company.tokens.length]!;
      if (operation === 'coursePage') requests.push({ token, body: JSON.stringify({ query, variables: { representations: [course(id)] } }), compare: true });
      if (operation === 'joinLiveClass') requests.push({ token, body: JSON.stringify({ query, variables: { id: company.liveClassOf[id] } }), compare: false });
    });
    if (operation === 'courseList') {
      const variables = { representations: company.courses.map(course), ...(SUBGRAPH === 'calendar' && fixture.window) };
      const body = JSON.stringify({ query, variables });
      for (const token of company.tokens) requests.push({ token, body, compare: true });
    }
  }
  return requests;
}

const argv = process.argv.slice(2);
const options = interleaveOptions(argv);
const operations = options.operations as unknown as DirectOperation[];
const print = (line: string) => console.log(line);

/** `vus` loops sending `requests` round-robin to `url` for `seconds`; every answer 200 without errors, reads the same everywhere. */
async function load(url: string, requests: DirectRequest[], seconds: number, vus: number, answers: Map<string, string>): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: vus }, async () => {
      while (Date.now() < until) {
        const item = requests[next++ % requests.length]!;
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${item.token}` },
          body: item.body,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${response.statusCode}: ${text.slice(0, 500)}`);
        if (item.compare) {
          const key = `${item.token}\n${item.body}`;
          const seen = answers.get(key);
          if (seen === undefined) answers.set(key, text);
          else if (seen !== text) throw new Error(`a different answer to ${item.body.slice(0, 200)}:\n${seen.slice(0, 300)}\n${text.slice(0, 300)}`);
        }
        done++;
      }
    }),
  );
  return done;
}

/** The subgraph alone from `code`'s checkout (the bench's callers are admins: it asks academy nothing), as startSubgraphs runs it. */
async function startAlone(scratch: Scratch, code: CheckoutCode, label: string, databaseUrl: string, env: Record<string, string>): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const others = Object.fromEntries(SUBGRAPH_NAMES.filter((name) => name !== SUBGRAPH).map((name) => [`${name.toUpperCase()}_URL`, 'http://127.0.0.1:9/graphql']));
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.join(process.env.BENCH_CPU_PROFILE_DIR, label)] : [];
  const service = spawnService(
    scratch,
    label,
    [...profile, ...code.subgraphEntry(SUBGRAPH)],
    {
      ...env,
      ...others,
      DATABASE_URL: databaseUrl,
      SKIP_MIGRATIONS: 'true',
      SEED_DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      [`${SUBGRAPH.toUpperCase()}_PORT`]: String(port),
      [`${SUBGRAPH.toUpperCase()}_URL`]: url,
    },
    code.root,
  );
  await waitUntil(service, async () => (await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(2000) })).ok);
  return { service, url };
}

const codes = await prepareCheckouts(options.checkouts, print);
await withBenchStack(print, async (stack) => {
  const { fixture, subgraphEnv } = stack.data;
  const contenders: { label: string; url: string; pid: number; meter: CpuMeter }[] = [];
  for (const [index, checkout] of options.checkouts.entries()) {
    const copy = await stack.copyDatabase(`ab${index}`);
    print(`starting ${SUBGRAPH} of ${checkout.root}`);
    const { service, url } = await startAlone(stack.scratch, codes[index]!, `${index}-subgraph-${SUBGRAPH}`, copy.url, subgraphEnv);
    stack.services.push(service);
    const pid = service.child.pid!;
    const meter = await startCpuMeter({ meet: pid }, copy.url);
    stack.meters.push(meter);
    contenders.push({ label: checkoutLabel(checkout, index), url, pid, meter });
  }
  const answers = new Map<string, string>();
  const requests = Object.fromEntries(operations.map((operation) => [operation, requestsOf(fixture, operation)])) as Record<DirectOperation, DirectRequest[]>;
  for (const contender of contenders) for (const operation of operations) await load(contender.url, requests[operation], 2, options.vus, answers);

  // The subgraph's figures are kept under `meet` whichever it is, and printed under its name.
  const roles = ['meet', 'postgres', 'total'] as const;
  const sums = new Map<string, { meet: number; postgres: number; requests: number }>();
  const show = (prefix: string, figures: Map<string, { meet: number; postgres: number; requests: number }>) => {
    const reference = figures.get(contenders[0]!.label)!;
    const perRequest = (f: { meet: number; postgres: number; requests: number }, role: (typeof roles)[number]) => (role === 'total' ? f.meet + f.postgres : f[role]) / f.requests;
    for (const role of roles)
      print(
        `${prefix} ${role === 'meet' ? SUBGRAPH : role}: ${contenders
          .map((c) => {
            const value = perRequest(figures.get(c.label)!, role);
            return `${c.label} ${value.toFixed(3)} (${(value / perRequest(reference, role)).toFixed(2)})`;
          })
          .join('  ')}`,
      );
  };
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const operation of operations) {
      const figures = new Map<string, { meet: number; postgres: number; requests: number }>();
      for (const contender of order) {
        const before = await contender.meter.read(contender.pid);
        const done = await load(contender.url, requests[operation], options.seconds, options.vus, answers);
        const after = await contender.meter.read(contender.pid);
        const figure = { meet: after.meet! - before.meet!, postgres: after.postgres! - before.postgres!, requests: done };
        figures.set(contender.label, figure);
        const key = `${operation} ${contender.label}`;
        const sum = sums.get(key) ?? { meet: 0, postgres: 0, requests: 0 };
        sums.set(key, { meet: sum.meet + figure.meet, postgres: sum.postgres + figure.postgres, requests: sum.requests + figure.requests });
      }
      show(`round ${round + 1} ${operation} (load ${os.loadavg()[0]!.toFixed(1)}, requests ${order.map((c) => figures.get(c.label)!.requests).join('/')})`, figures);
    }
  }
  for (const operation of operations) {
    const figures = new Map(contenders.map((c) => [c.label, sums.get(`${operation} ${c.label}`)!]));
    print(`sum ${operation} requests: ${contenders.map((c) => `${c.label} ${figures.get(c.label)!.requests}`).join('  ')}`);
    show(`sum ${operation} ms/req`, figures);
  }
});
process.exit(0);
