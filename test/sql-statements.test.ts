/**
 * SQL statements per operation through the real gateway and subgraphs, so an
 * N+1 cannot come back unnoticed: the benchmark's course list (100 courses
 * with their live classes and next events) and course page (three levels)
 * run one statement per entity type per level, and exactly as many for a
 * company of 100 courses as for a company of one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../platform/auth/user-token.js';
import { observeQueries } from '../platform/database/query-observer.js';
import { generateBenchData, type BenchCompany } from '../bench/gateway/bench-data.js';
import { OPERATIONS, buildFixture, canonical } from '../bench/gateway/operations.js';
import { seedBenchData } from '../bench/gateway/seed-bench-data.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

let platform: TestPlatform;
let large: BenchCompany;
let small: BenchCompany;
const now = new Date();

beforeAll(async () => {
  platform = await startTestPlatform({ env: { GATEWAY_RATE_LIMIT_STORE: 'memory' } });
  large = generateBenchData({ companies: 1, coursesPerCompany: 100, adminsPerCompany: 1, now })[0]!;
  small = generateBenchData({ companies: 1, coursesPerCompany: 1, adminsPerCompany: 1, now, firstCompany: 1 })[0]!;
  await seedBenchData(platform.config, platform.database.url, [large, small], now);
});
afterAll(() => platform?.stop());

async function tokenOf(company: BenchCompany): Promise<string> {
  const admin = company.admins[0]!;
  return signDevUserToken(platform.config.auth, { userId: `passport-${admin.id}`, companyId: company.id, roles: admin.roles, name: admin.firstname, moodleUserId: admin.id });
}

/** The table a statement reads or writes first: its entity type ("moodle"."mdl_course" → mdl_course). */
function mainTable(statement: string): string {
  // `extract(epoch from column)` names a column, not a table (meet's lean rows read times as milliseconds).
  const tables = statement.replace(/\bextract\s*\(\s*\w+\s+from\b/gi, 'extract(');
  const match = /\b(?:from|into|update)\s+(?:"?\w+"?\.)?"?(\w+)"?/i.exec(tables);
  return match?.[1] ?? '?';
}

/** Runs an operation through the gateway and counts its SQL statements per table. */
async function statementsOf(company: BenchCompany, query: string, variables: Record<string, unknown>) {
  const token = await tokenOf(company);
  const statements: string[] = [];
  const stop = observeQueries((sql) => statements.push(sql));
  let response;
  try {
    response = await platform.request({ token, query, variables });
  } finally {
    stop();
  }
  const perTable: Record<string, number> = {};
  for (const statement of statements) perTable[mainTable(statement)] = (perTable[mainTable(statement)] ?? 0) + 1;
  return { response, perTable, total: statements.length };
}

/** Every table read is in the budget, and none more often than its budget allows. */
function expectWithin(perTable: Record<string, number>, budget: Record<string, number>): void {
  for (const [table, count] of Object.entries(perTable)) {
    expect(budget, `unexpected statements on ${table}`).toHaveProperty(table);
    expect(count, `statements on ${table}`).toBeLessThanOrEqual(budget[table]!);
  }
}

describe('SQL statements per operation', () => {
  it('lists 100 courses with their live classes and next events in one statement per entity type per level', async () => {
    const fixture = buildFixture([large], [[await tokenOf(large)]], now, platform.config.livekit.url);
    const { response, perTable, total } = await statementsOf(large, OPERATIONS.courseList.query, fixture.window);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.courses).toHaveLength(100);
    expect(canonical(response.body.data)).toBe(fixture.expected.courseList[0]);
    // Level 0: the courses, and the caller's role in them (mdl_context, for viewerRole);
    // level 1: their live classes (meet) and events (calendar).
    expectWithin(perTable, { mdl_course: 1, mdl_context: 1, live_classes: 1, calendar_events: 1 });

    // Once the operation is known, the subgraphs' fast path has PostgreSQL write the lists (academy's courses
    // with the caller's roles in one statement): as few again, whatever the number of courses.
    const warm = await statementsOf(large, OPERATIONS.courseList.query, fixture.window);
    expect(canonical(warm.response.body.data)).toBe(fixture.expected.courseList[0]);
    expectWithin(warm.perTable, { mdl_course: 1, mdl_context: 1, live_classes: 1, calendar_events: 1 });
    expect(warm.total).toBeLessThanOrEqual(total);
    const one = await statementsOf(small, OPERATIONS.courseList.query, fixture.window);
    expect(one.response.body.data.courses).toHaveLength(1);
    expect(one.total).toBe(warm.total);
  });

  it('serves the course page, three levels deep across four subgraphs, in one statement per entity type per level', async () => {
    const course = large.courses[7]!;
    const fixture = buildFixture([large], [[await tokenOf(large)]], now, platform.config.livekit.url);
    const { response, perTable, total } = await statementsOf(large, OPERATIONS.coursePage.query, { id: course.id });
    expect(response.body.errors).toBeUndefined();
    expect(canonical(response.body.data)).toBe(fixture.expected.coursePage[course.id]);
    expectWithin(perTable, {
      mdl_course: 1, // level 0
      mdl_context: 2, // level 0: the teachers, and the caller's role
      // Level 1 (the course's classes, lean); each recording's class is one of them, not read again.
      live_classes: 1,
      recordings: 2, // level 1 (the course's), level 2 (each class's)
      calendar_events: 2, // level 1 (the course's), level 2 (each class's)
      documents: 1, // level 1
      // Level 2: the hosts and the uploaders, two fetches of the query plan (not one per user).
      mdl_user: 2,
    });
    // Ten classes, ten documents: nothing per item.
    expect(total).toBeLessThanOrEqual(11);

    // Once the operation is known, academy's fast path reads the course, the caller's role and the teachers (their
    // list written by PostgreSQL) in one statement where it took three (its subqueries read mdl_context first).
    const warm = await statementsOf(large, OPERATIONS.coursePage.query, { id: course.id });
    expect(canonical(warm.response.body.data)).toBe(fixture.expected.coursePage[course.id]);
    expectWithin(warm.perTable, { mdl_context: 1, live_classes: 1, recordings: 2, calendar_events: 2, documents: 1, mdl_user: 2 });
    expect(warm.total).toBeLessThanOrEqual(total - 2);
  });
});
