/**
 * The property-based hostile-input suite (test/support/hostile-fuzz.ts) at a
 * fixed seed and a few values per argument: every argument of every root
 * Query and Mutation field, through the real gateway, as an admin and as a
 * student. `npm run bench -- --only fuzz` runs the same with more values
 * (HOSTILE_FUZZ_SEED, HOSTILE_FUZZ_RUNS: values per argument).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SubgraphName } from '../platform/config.js';
import { runHostileFuzz } from './support/hostile-fuzz.js';
import { callSubgraph, demoViewer } from './support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const SEED = Number(process.env.HOSTILE_FUZZ_SEED ?? 20_261_204);
// Random values per argument, after the fixed examples each type gets (test/support/hostile-fuzz.ts).
const RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 1);
// Operations per root field with every argument valid and hostile content inside.
const VALID_RUNS = Number(process.env.HOSTILE_FUZZ_VALID_RUNS ?? 2);

let platform: TestPlatform;
let db: TestPlatform['db'];
beforeAll(async () => {
  // The rate limits would refuse the suite itself: they are the gateway's tests' concern.
  platform = await startTestPlatform({ env: { GATEWAY_RATE_LIMIT_STORE: 'off' } });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
});

// A bound for a hang, not a speed limit: about a minute on a quiet machine, over five at load 30 (where 300 s failed it).
it('no hostile argument makes a 5xx or an internal error, and a refused mutation writes nothing', { timeout: 900_000 + 60_000 * RUNS }, async () => {
  const counts = await runHostileFuzz({ platform, db, seed: SEED, runsPerTarget: RUNS, validRunsPerField: VALID_RUNS, volatileTables: /share_attempts|webhook_events|rate_limit/ });
  console.log(
    `hostile inputs: seed ${SEED}, ${counts.targets} arguments, ${counts.requests} requests, ${counts.refused} refused, ${counts.accepted} accepted; ` +
      `with every argument valid: ${counts.valid.requests} requests, ${counts.valid.accepted} carried out by a service`,
  );
  for (const failure of counts.failures.slice(0, 50)) console.log(JSON.stringify({ ...failure, value: JSON.stringify(failure.value)?.slice(0, 80) }));
  expect(counts.targets).toBeGreaterThan(100);
  // Valid arguments reach the services: most such operations are carried out, not refused at the door.
  expect(counts.valid.accepted).toBeGreaterThan(counts.valid.requests / 5);
  expect(counts.failures.map((failure) => `${failure.target} as ${failure.as}: ${failure.reason}`)).toEqual([]);
});

/** A query of each subgraph that reads the caller's company's rows. */
const COMPANY_QUERIES: Record<SubgraphName, string> = {
  academy: '{ courses { id } me { id } }',
  erp: '{ myCompany { id } tasks { id } }',
  meet: '{ liveClasses { id } }',
  calendar: '{ companyTimeZone calDAVAccounts { id } }',
  documents: '{ documents { id } trashedDocuments { id } }',
};

// The gateway refuses such claims in a user's token; a request signed around it (a bug, a leaked key) must be refused alike.
it('every subgraph refuses a gateway-signed identity whose company or Moodle user id is malformed, as UNAUTHENTICATED', async () => {
  const answers: Record<string, unknown> = {};
  for (const [subgraph, query] of Object.entries(COMPANY_QUERIES) as [SubgraphName, string][]) {
    for (const overrides of [{ companyId: 'not-a-uuid' }, { companyId: "1' OR '1'='1" }, { moodleUserId: 'x; DROP' }]) {
      const { status, body } = await callSubgraph({
        url: platform.subgraphs[subgraph]!.url,
        audience: subgraph,
        secret: platform.config.internalSigningSecret,
        viewer: demoViewer('admin', overrides),
        query,
      });
      answers[`${subgraph} ${JSON.stringify(overrides)}`] = { status: status < 500 ? '4xx' : status, code: body.errors?.[0]?.extensions?.code };
    }
  }
  expect(Object.keys(answers)).toHaveLength(15);
  expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, { status: '4xx', code: 'UNAUTHENTICATED' }])));
});
