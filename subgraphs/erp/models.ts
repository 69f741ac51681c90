/** What erp's resolvers work with (the codegen mappers point here). Ids of people are Moodle user ids. */
export type ProjectStatusName = 'PLANNED' | 'ACTIVE' | 'ON_HOLD' | 'COMPLETED' | 'CANCELLED';
export type TaskStatusName = 'TODO' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED';
export type SalesMeetingStatusName = 'SCHEDULED' | 'COMPLETED' | 'CANCELLED';
export type LeaveStatusName = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
export type LeaveTypeName = 'ANNUAL' | 'SICK' | 'UNPAID' | 'PARENTAL' | 'OTHER';

export interface CompanyModel {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ProjectModel {
  id: string;
  companyId: string;
  name: string;
  description: string | null;
  status: ProjectStatusName;
  startDate: Date | null;
  dueDate: Date | null;
  /** Moodle course id, when the project is linked to an Academy course. */
  courseId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A Course representation (academy's entity) as the gateway sends it. */
export interface CourseReference {
  id: string;
}

export interface TaskModel {
  id: string;
  companyId: string;
  projectId: string;
  title: string;
  description: string | null;
  status: TaskStatusName;
  dueDate: Date | null;
  assigneeId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MilestoneModel {
  id: string;
  companyId: string;
  projectId: string;
  name: string;
  description: string | null;
  dueDate: Date;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SalesMeetingModel {
  id: string;
  companyId: string;
  customerName: string;
  customerEmail: string | null;
  location: string | null;
  description: string | null;
  ownerId: string | null;
  scheduledAt: Date;
  endAt: Date;
  status: SalesMeetingStatusName;
  cancellationReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LeaveRequestModel {
  id: string;
  companyId: string;
  employeeId: string;
  startDate: Date;
  endDate: Date;
  status: LeaveStatusName;
  leaveType: LeaveTypeName;
  reason: string | null;
  /** Who approved or rejected the request. */
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewComment: string | null;
  /** Whether the request was approved at some point (kept through a cancellation). */
  wasApproved: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A quote or an invoice, as far as other services refer to it. */
export interface SalesRecordModel {
  id: string;
  companyId: string;
  number: string;
  customerName: string;
  createdAt: Date;
}

export interface EmployeeModel {
  /** The Moodle user id. */
  id: string;
  companyId: string;
  jobTitle: string | null;
}
