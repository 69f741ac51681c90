/**
 * ERP: Bheem Core's companies, projects, tasks, milestones, sales meetings
 * and leave requests, in schema `erp`. Every change publishes its domain
 * event (./events.ts) in the transaction that makes it.
 */
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
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
      createContext: (base) => {
        // Assignees and owners are checked with academy (users of the caller's company), batched per request.
        const people = new CompanyPeople(config, base.viewer);
        // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
        const db = new ErpDb(forRequest(kysely, base.signal));
        return {
          ...base,
          companies: new CompanyService(base.viewer, db),
          projects: new ProjectService(base.viewer, db, new CompanyCourses(config, base.viewer)),
          tasks: new TaskService(base.viewer, db, people),
          milestones: new MilestoneService(base.viewer, db),
          salesMeetings: new SalesMeetingService(base.viewer, db, people),
          leave: new LeaveService(base.viewer, db),
          salesRecords: new SalesRecordService(base.viewer, db),
          employees: new EmployeeService(base.viewer, db),
        };
      },
    };
  },
  seed: (deps) => seedErp(deps),
};
