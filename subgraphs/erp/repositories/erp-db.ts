/**
 * Erp's database handle: the repositories over one Kysely instance, and
 * transactions that hand the same repositories bound to the transaction
 * (plus the transaction itself, for publishEvent).
 */
import type { Kysely, Transaction } from 'kysely';
import type { ErpDatabase } from '../database.js';
import { CompanyRepository } from './company-repository.js';
import { EmployeeRepository } from './employee-repository.js';
import { LeaveRequestRepository } from './leave-request-repository.js';
import { MilestoneRepository } from './milestone-repository.js';
import { ProjectRepository } from './project-repository.js';
import { SalesMeetingRepository } from './sales-meeting-repository.js';
import { SalesRecordRepository } from './sales-record-repository.js';
import { TaskRepository } from './task-repository.js';

export interface ErpRepositories {
  companies: CompanyRepository;
  projects: ProjectRepository;
  tasks: TaskRepository;
  milestones: MilestoneRepository;
  salesMeetings: SalesMeetingRepository;
  leaveRequests: LeaveRequestRepository;
  salesRecords: SalesRecordRepository;
  employees: EmployeeRepository;
}

function repositoriesOver(db: Kysely<ErpDatabase>): ErpRepositories {
  return {
    companies: new CompanyRepository(db),
    projects: new ProjectRepository(db),
    tasks: new TaskRepository(db),
    milestones: new MilestoneRepository(db),
    salesMeetings: new SalesMeetingRepository(db),
    leaveRequests: new LeaveRequestRepository(db),
    salesRecords: new SalesRecordRepository(db),
    employees: new EmployeeRepository(db),
  };
}

export class ErpDb {
  readonly read: ErpRepositories;

  constructor(private readonly db: Kysely<ErpDatabase>) {
    this.read = repositoriesOver(db);
  }

  /** Runs `work` in one transaction: its writes and the events it publishes commit together or not at all. */
  transaction<T>(work: (repositories: ErpRepositories, trx: Transaction<ErpDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(repositoriesOver(trx), trx));
  }
}
