/**
 * ERP: Bheem Core's companies, projects, tasks, milestones, sales meetings
 * and leave requests, in schema `erp`. Every change publishes its domain
 * event (./events.ts) in the transaction that makes it.
 */
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
import { lazyContext } from '../../platform/subgraph/lazy-context.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import type { ErpContext } from './context.js';
import type { ErpDatabase } from './database.js';
import { erpMigrations } from './migrations/index.js';
import { ErpDb } from './repositories/erp-db.js';
import { resolvers } from './resolvers/index.js';
import { seedErp } from './seed.js';
import { CompanyCourses } from './services/company-course.js';
import { CompanyPeople } from './services/company-people.js';
import { CompanyService } from './services/company-service.js';
import { EmployeeService } from './services/employee-service.js';
import { createEventIngestRoute } from '../../platform/events/ingest-route.js';
import { LeaveService } from './services/leave-service.js';
import { MilestoneService } from './services/milestone-service.js';
import { ProjectService } from './services/project-service.js';
import { SalesMeetingService } from './services/sales-meeting-service.js';
import { SalesRecordService } from './services/sales-record-service.js';
import { TaskService } from './services/task-service.js';

/** What a request's services share, built for every request (the services themselves on first read). */
interface ErpRequestShared {
  db: ErpDb;
  people: CompanyPeople;
}

export const erpSubgraph: SubgraphModule<ErpContext> = {
  name: 'erp',
  dbSchema: 'erp',
  migrations: erpMigrations,
  resolvers,
  async start({ config, databaseUrl, log }) {
    const kysely = createKysely<ErpDatabase>(databaseUrl);
    const db = new ErpDb(kysely);
    return {
      // Bheem Core's own event bus feeds the same topics through this signed endpoint, for companies erp knows.
      routes: [
        createEventIngestRoute({
          databaseUrl,
          secret: config.eventIngestSecret,
          companyExists: async (companyId) => (await db.read.companies.findByIds([companyId])).length > 0,
          log,
        }),
      ],
      // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
      // Each service is built when a resolver first reads it (lazy-context.ts): a fetch reads one or two.
      createContext: lazyContext<ErpContext, ErpRequestShared>(
        // Assignees and owners are checked with academy (users of the caller's company), batched per request.
        (base) => ({ db: new ErpDb(forRequest(kysely, base.signal)), people: new CompanyPeople(config, base.viewer) }),
        {
          companies: ({ viewer }, { db }) => new CompanyService(viewer, db),
          projects: ({ viewer }, { db }) => new ProjectService(viewer, db, new CompanyCourses(config, viewer)),
          tasks: ({ viewer }, { db, people }) => new TaskService(viewer, db, people),
          milestones: ({ viewer }, { db }) => new MilestoneService(viewer, db),
          salesMeetings: ({ viewer }, { db, people }) => new SalesMeetingService(viewer, db, people),
          leave: ({ viewer }, { db }) => new LeaveService(viewer, db),
          salesRecords: ({ viewer }, { db }) => new SalesRecordService(viewer, db),
          employees: ({ viewer }, { db }) => new EmployeeService(viewer, db),
        },
      ),
    };
  },
  seed: (deps) => seedErp(deps),
};
