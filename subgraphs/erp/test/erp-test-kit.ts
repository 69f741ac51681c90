/**
 * What erp's tests share: calling the subgraph as a demo user (signed like
 * the gateway does), reading erp's rows of `events.outbox`, and a
 * fingerprint of everything erp stores (to prove a refused mutation changed nothing).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import { type GraphQLResponse, startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

export const DAY_MS = 86_400_000;
export const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

/** The demo records by a readable name. */
export const DEMO = {
  websiteProject: DEMO_ERP.projects[0].id, // bheem
  labProject: DEMO_ERP.projects[1].id, // bheem
  globexProject: DEMO_ERP.projects[2].id,
  homePageTask: DEMO_ERP.tasks[0].id, // bheem, assigned to emil.employee (9), due in 5 days
  cataloguePagesTask: DEMO_ERP.tasks[1].id, // bheem, assigned to maya.manager (8), due in 12 days
  oscilloscopesTask: DEMO_ERP.tasks[2].id, // bheem, assigned to tara.teacher (3), due in 3 days
  globexTask: DEMO_ERP.tasks[3].id,
  websiteBeta: DEMO_ERP.milestones[0].id, // bheem
  globexGoLive: DEMO_ERP.milestones[1].id,
  sunriseMeeting: DEMO_ERP.salesMeetings[0].id, // bheem, owner maya (8), in 2 days
  initechMeeting: DEMO_ERP.salesMeetings[1].id, // globex
  emilLeave: DEMO_ERP.leaveRequests[0].id, // bheem, emil (9), approved, in 10 days for 3 days
} as const;

export function erpCaller(platform: TestPlatform) {
  return async <T = any>(username: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> =>
    (
      await callSubgraph<T>({
        url: platform.subgraphs.erp!.url,
        audience: 'erp',
        secret: platform.config.internalSigningSecret,
        viewer: demoViewer(username),
        query,
        variables,
      })
    ).body;
}

export interface OutboxRow {
  position: string;
  topic: string;
  company_id: string;
  entity_key: string;
  payload: Record<string, unknown>;
  source: string;
  /** The writing transaction's id, 32-bit (as `xmin` shows it). */
  xid: string;
}

const ERP_TABLES = ['companies', 'projects', 'tasks', 'milestones', 'sales_meetings', 'leave_requests'];

export function erpDatabase(platform: TestPlatform) {
  const { db } = platform;
  return {
    db,
    /** The newest outbox position now; pass it to `eventsSince`. */
    async outboxMark(): Promise<string> {
      const { rows } = await sql<{ position: string }>`SELECT coalesce(max(position), 0)::text AS position FROM events.outbox`.execute(db);
      return rows[0]!.position;
    },
    async eventsSince(mark: string): Promise<OutboxRow[]> {
      const { rows } = await sql<OutboxRow>`
        SELECT position::text, topic, company_id::text, entity_key, payload, source, ((txid::text)::bigint % 4294967296)::text AS xid
        FROM events.outbox WHERE position > ${mark}::bigint AND source = 'erp' ORDER BY position`.execute(db);
      return rows;
    },
    /** The id of the transaction that last wrote the row (null: no such row). */
    async writerOf(table: string, id: string): Promise<string | null> {
      const { rows } = await sql<{ xid: string }>`SELECT xmin::text AS xid FROM ${sql.table(`erp.${table}`)} WHERE id = ${id}`.execute(db);
      return rows[0]?.xid ?? null;
    },
    /** A digest of every erp row and of the outbox size: equal digests, nothing written. */
    async fingerprint(): Promise<string> {
      const parts: string[] = [];
      for (const table of ERP_TABLES) {
        const { rows } = await sql<{ digest: string }>`
          SELECT md5(coalesce(string_agg(row_to_json(t)::text, '|' ORDER BY t.id), '')) AS digest FROM ${sql.table(`erp.${table}`)} t`.execute(db);
        parts.push(`${table}:${rows[0]!.digest}`);
      }
      const { rows } = await sql<{ count: string }>`SELECT count(*)::text AS count FROM events.outbox`.execute(db);
      parts.push(`outbox:${rows[0]!.count}`);
      return parts.join(',');
    },
  };
}

/**
 * For a test file: erp, with academy beside it (it answers who belongs to the company: assignees, owners),
 * started before the file's tests and stopped after. Its parts are there once the tests run.
 */
export function useErpPlatform(): { platform: TestPlatform; call: ReturnType<typeof erpCaller>; db: ReturnType<typeof erpDatabase> } {
  const erp = {} as ReturnType<typeof useErpPlatform>;
  beforeAll(async () => {
    erp.platform = await startTestPlatform({ subgraphs: ['academy', 'erp'], gateway: false });
    erp.call = erpCaller(erp.platform);
    erp.db = erpDatabase(erp.platform);
  });
  afterAll(() => erp.platform?.stop());
  return erp;
}
