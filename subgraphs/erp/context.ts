import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { CompanyService } from './services/company-service.js';
import type { EmployeeService } from './services/employee-service.js';
import type { LeaveService } from './services/leave-service.js';
import type { MilestoneService } from './services/milestone-service.js';
import type { ProjectService } from './services/project-service.js';
import type { SalesMeetingService } from './services/sales-meeting-service.js';
import type { SalesRecordService } from './services/sales-record-service.js';
import type { TaskService } from './services/task-service.js';

export interface ErpContext extends BaseContext {
  companies: CompanyService;
  projects: ProjectService;
  tasks: TaskService;
  milestones: MilestoneService;
  salesMeetings: SalesMeetingService;
  leave: LeaveService;
  salesRecords: SalesRecordService;
  employees: EmployeeService;
}
