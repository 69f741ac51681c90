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
 * steadier ratios on a loaded machine. Each request carries the identity
 * header the gateway would sign for it (not the caller's token), so the
 * subgraph checks it as it checks the gateway's.
 *
 *   BENCH_AB_ROOTS=/wt/base,. node --import tsx bench/subgraph-direct.ts \
 *     --rounds 4 --seconds 3 --vus 4 --operations courseList,coursePage,joinLiveClass
 * Meet runs alone (the bench's callers are admins, whose access it does not ask academy about),
 * compiled as production runs it, or through tsx for a checkout with no build script or whose
 * entry ends in `@tsx` (bench/gateway/checkout-code.ts).
 * BENCH_DIRECT_SUBGRAPH=calendar runs calendar instead, sent its course-list and course-page
 * entity fetches (courseList, coursePage); BENCH_DIRECT_SUBGRAPH=documents runs documents, sent
 * its course-page fetch (coursePage); BENCH_DIRECT_SUBGRAPH=academy runs academy, sent the course list's
 * root fetch (courseList) and the course page's course by id (coursePage).
 * BENCH_SUBGRAPH_NODE_FLAGS="--trace-opt --trace-deopt" hands node flags to the subgraph (its log in the scratch directory).
 * BENCH_CPU_PROFILE_DIR=<dir> profiles it (`<dir>/<index>-subgraph-<name>/`).
 * BENCH_CALLGRIND_DIR=<dir> runs it under callgrind instead and counts the instructions of `--rounds`
 * requests per checkout and operation after `--warmup` requests (300; bench/support/callgrind.ts), the
 * dumps left in <dir> (`npx tsx bench/support/callgrind-areas.ts <dump>` says where they go). Steady
 * at any load: the figure to compare on a busy machine.
 */
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { IDENTITY_HEADER, signIdentity } from '../platform/auth/gateway-signature.js';
import { viewerFromClaims } from '../platform/auth/viewer.js';
import { SUBGRAPH_NAMES } from '../platform/config.js';
import { freePort } from '../platform/database/embedded-postgres.js';
import { startCpuMeter, type CpuMeter } from './gateway/cpu-meter.js';
import type { CheckoutCode } from './gateway/checkout-code.js';
import { checkoutLabel, interleaveOptions, prepareCheckouts } from './gateway/interleave.js';
import type { LoadFixture, OperationName } from './gateway/operations.js';
import { spawnProgram, waitUntil, type Scratch, type Service } from './gateway/services.js';
import { withBenchStack } from './gateway/with-bench-stack.js';
import { callgrindArgs, countInstructions } from './support/callgrind.js';

/** What the gateway sends meet, by operation (texts as its planner writes them). */
const MEET_QUERIES: Partial<Record<OperationName, string>> = {
  courseList:
    'query CourseList__meet__2($representations:[_Any!]!){_entities(representations:$representations){...on Course{liveClasses(status:[LIVE SCHEDULED]){id title scheduledAt}}}}',
  coursePage:
    'query CoursePage__meet__4($representations:[_Any!]!){_entities(representations:$representations){...on Course{liveClasses{__typename id title status scheduledAt host{__typename id}recordings{id status durationSeconds}}recordings{id status liveClass{id title}}}}}',
  joinLiveClass: 'mutation Join__meet__0($id:ID!){joinLiveClass(id:$id){roomName canPublish livekitUrl token expiresAt}}',
};
/**
 * What the gateway sends calendar: the course list's events of 100 courses; the course page's events of one
 * course and of each of its classes, merged into one fetch (gateway/execution/merged-entity-operation.ts).
 */
const CALENDAR_QUERIES: Partial<Record<OperationName, string>> = {
  courseList:
    'query CourseList__calendar__1($representations:[_Any!]!$from:DateTime!$to:DateTime!){_entities(representations:$representations){...on Course{calendarEvents(from:$from to:$to){id title start}}}}',
  coursePage:
    'query CoursePage__calendar__3($representations:[_Any!]!){_entities(representations:$representations){...on Course{calendarEvents{id title start eventType}}...on LiveClass{calendarEvent{id title start}}}}',
};
/** What the gateway sends documents for the course page. */
const DOCUMENTS_QUERIES: Partial<Record<OperationName, string>> = {
  coursePage:
    'query CoursePage__documents__1($representations:[_Any!]!){_entities(representations:$representations){...on Course{documents{id filename size uploadedBy{__typename id}}}}}',
};
/** What the gateway sends academy: the course list's root field (no representations), the course page's course by id. */
const ACADEMY_QUERIES: Partial<Record<OperationName, string>> = {
  courseList: 'query CourseList__academy__0{courses{__typename id shortname viewerRole}}',
  coursePage: 'query CoursePage__academy__0($id:ID!){course(id:$id){__typename id shortname fullname teachers{id fullName}viewerRole}}',
};
const SUBGRAPH_QUERIES = { meet: MEET_QUERIES, calendar: CALENDAR_QUERIES, documents: DOCUMENTS_QUERIES, academy: ACADEMY_QUERIES };
/** The subgraph run alone: meet (default), calendar, documents or academy (BENCH_DIRECT_SUBGRAPH); none asks another anything for the bench's admins. */
const SUBGRAPH = (process.env.BENCH_DIRECT_SUBGRAPH ?? 'meet') as keyof typeof SUBGRAPH_QUERIES;
if (!Object.hasOwn(SUBGRAPH_QUERIES, SUBGRAPH)) throw new Error(`BENCH_DIRECT_SUBGRAPH: "${SUBGRAPH}" is not one of ${Object.keys(SUBGRAPH_QUERIES).join(', ')}`);
const QUERIES = SUBGRAPH_QUERIES[SUBGRAPH];
type DirectOperation = OperationName;
/** BENCH_CALLGRIND_DIR: the subgraph under callgrind, instructions per request counted in place of CPU time. */
const CALLGRIND_DIR = process.env.BENCH_CALLGRIND_DIR && path.resolve(process.env.BENCH_CALLGRIND_DIR);

interface DirectRequest {
  token: string;
  body: string;
  /** Reads are compared across checkouts; a join's token differs every time. */
  compare: boolean;
}

const course = (id: string) => ({ __typename: 'Course', id, viewerRole: null });
const liveClass = (id: string) => ({ __typename: 'LiveClass', id });

/** Each course's live classes (calendar's course page asks for each one's event), by course id. */
type ClassesOfCourse = Map<string, string[]>;

function requestsOf(fixture: LoadFixture, operation: DirectOperation, classesOf: ClassesOfCourse): DirectRequest[] {
  const query = QUERIES[operation];
  if (!query) throw new Error(`${SUBGRAPH} has no direct form of ${operation}`);
  const requests: DirectRequest[] = [];
  for (const company of fixture.companies) {
    company.courses.forEach((id, index) => {
      const token = company.tokens[index % company.tokens.length]!;
      if (operation === 'coursePage') {
        const classes = SUBGRAPH === 'calendar' ? (classesOf.get(id) ?? []).map(liveClass) : [];
        const variables = SUBGRAPH === 'academy' ? { id } : { representations: [course(id), ...classes] };
        requests.push({ token, body: JSON.stringify({ query, variables }), compare: true });
      }
      if (operation === 'joinLiveClass') requests.push({ token, body: JSON.stringify({ query, variables: { id: company.liveClassOf[id] } }), compare: false });
    });
    if (operation === 'courseList') {
      const variables = SUBGRAPH === 'academy' ? {} : { representations: company.courses.map(course), ...(SUBGRAPH === 'calendar' && fixture.window) };
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

/** The secret the gateway signs identities with; every request carries one, as the gateway's do. */
let signingSecret = '';
let requestCount = 0;

/** What the gateway sends a subgraph (subgraph-data-source.ts): the caller's identity signed for this body, not their token. */
function headersOf(item: DirectRequest): Record<string, string> {
  const viewer = viewerFromClaims(JSON.parse(Buffer.from(item.token.split('.')[1]!, 'base64url').toString('utf8')));
  if (!viewer) throw new Error('a bench token without the claims of a viewer');
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    // Under callgrind a request may wait longer than the gateway's 60 s before the subgraph reads it.
    [IDENTITY_HEADER]: signIdentity(signingSecret, viewer, SUBGRAPH, item.body, CALLGRIND_DIR ? 3600 : undefined),
    'x-request-id': `direct-${requestCount++}`,
  };
}

/**
 * `vus` loops sending `requests` round-robin to `url` for `seconds` (or, given `count`, until that many are sent);
 * every answer 200 without errors, reads the same everywhere.
 */
async function load(url: string, requests: DirectRequest[], seconds: number, vus: number, answers: Map<string, string>, count = Number.POSITIVE_INFINITY): Promise<number> {
  const until = Number.isFinite(count) ? Number.POSITIVE_INFINITY : Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: vus }, async () => {
      while (Date.now() < until && next < count) {
        const item = requests[next++ % requests.length]!;
        const response = await request(url, { method: 'POST', headers: headersOf(item), body: item.body });
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

async function settle(attempt: () => Promise<unknown>, tries = 20): Promise<void> {
  for (let left = tries; ; left--) {
    try {
      return void (await attempt());
    } catch (error) {
      if (left <= 1) throw error;
    }
  }
}

const SERVICE_HOST = '127.0.0.1';

/** The seeded live classes of each course, as calendar's events of them name them (in their order on the page: by start). */
async function liveClassesOfCourses(databaseUrl: string): Promise<ClassesOfCourse> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ course_id: string; entity_id: string }>(
      "SELECT course_id, entity_id FROM calendar.calendar_events WHERE entity_type = 'live_class' AND course_id IS NOT NULL ORDER BY start_time, id",
    );
    const classes: ClassesOfCourse = new Map();
    for (const row of rows) classes.set(row.course_id, [...(classes.get(row.course_id) ?? []), row.entity_id]);
    return classes;
  } finally {
    await client.end();
  }
}

/** The subgraph alone from `code`'s checkout (the bench's callers are admins: it asks academy nothing), as startSubgraphs runs it. */
async function startAlone(scratch: Scratch, code: CheckoutCode, label: string, databaseUrl: string, env: Record<string, string>): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  // Nothing listens there; not port 9 (discard), one of the Fetch standard's bad ports, which the config refuses.
  const others = Object.fromEntries(SUBGRAPH_NAMES.filter((name) => name !== SUBGRAPH).map((name) => [`${name.toUpperCase()}_URL`, 'http://127.0.0.1:2/graphql']));
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.join(process.env.BENCH_CPU_PROFILE_DIR, label)] : [];
  // BENCH_SUBGRAPH_NODE_FLAGS: node's flags for the subgraph (`--trace-opt --trace-deopt`: what V8 still compiles when warm).
  const flags = (process.env.BENCH_SUBGRAPH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...profile, ...flags, ...code.subgraphEntry(SUBGRAPH)];
  const service = spawnProgram(
    scratch,
    label,
    CALLGRIND_DIR ? 'valgrind' : code.node.binary,
    CALLGRIND_DIR ? [...callgrindArgs(CALLGRIND_DIR, label.replace(/\W/g, '_'), code.node.binary), ...args] : args,
    {
      ...env,
      ...others,
      DATABASE_URL: databaseUrl,
      SKIP_MIGRATIONS: 'true',
      SEED_DEMO_DATA: 'false',
      // An instrumented request may outlast the pool's 5 s to open a connection (session 18's failed pairs).
      ...(CALLGRIND_DIR && { DATABASE_CONNECT_TIMEOUT_MS: '120000' }),
      HOST: SERVICE_HOST,
      [`${SUBGRAPH.toUpperCase()}_PORT`]: String(port),
      [`${SUBGRAPH.toUpperCase()}_URL`]: url,
    },
    code.root,
  );
  const readyWithin = CALLGRIND_DIR ? 900_000 : undefined;
  await waitUntil(service, async () => (await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(2000) })).ok, readyWithin);
  return { service, url };
}

const codes = await prepareCheckouts(options.checkouts, print);
await withBenchStack(print, async (stack) => {
  const { fixture, subgraphEnv, config } = stack.data;
  signingSecret = config.internalSigningSecret;
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
  const classesOf = await liveClassesOfCourses(stack.database.url);
  const requests = Object.fromEntries(operations.map((operation) => [operation, requestsOf(fixture, operation, classesOf)])) as Record<DirectOperation, DirectRequest[]>;
  // Under callgrind, first code runs slowly enough for a pool's connection to time out (5 s): tried again until it answers.
  if (CALLGRIND_DIR)
    for (const contender of contenders)
      for (const operation of operations) await settle(() => load(contender.url, requests[operation], 0, options.vus, new Map(), 4 * options.vus));
  for (const contender of contenders) for (const operation of operations) await load(contender.url, requests[operation], 2, options.vus, answers);
  if (CALLGRIND_DIR) {
    // Warmed with `--warmup` requests each (at a few times native speed), then `rounds` requests counted per checkout and operation.
    const warmup = argv.includes('--warmup') ? Number(argv[argv.indexOf('--warmup') + 1]) : 300;
    for (const contender of contenders) for (const operation of operations) await load(contender.url, requests[operation], 0, options.vus, answers, warmup);
    for (const operation of operations) {
      const line: string[] = [];
      let reference: number | undefined;
      for (const contender of contenders) {
        let done = 0;
        const { instructions, file } = await countInstructions(CALLGRIND_DIR, contender.pid, SERVICE_HOST, async () => {
          done = await load(contender.url, requests[operation], 0, options.vus, answers, options.rounds);
        });
        const perRequest = instructions / done;
        reference ??= perRequest;
        line.push(`${contender.label} ${(perRequest / 1e6).toFixed(2)} M (${(perRequest / reference).toFixed(3)}) ${path.basename(file)}`);
      }
      print(`callgrind ${SUBGRAPH} ${operation}, instructions per request over ${options.rounds}: ${line.join('  ')}`);
    }
    return;
  }

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
