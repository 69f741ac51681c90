/**
 * Leave requests. Any staff member requests leave for themselves and sees
 * their own requests; admins and managers see the company's and decide on
 * them (never on their own); the requester or an admin may cancel, but
 * not approved leave that is over: those days were taken (LEAVE_ENDED).
 */
import type DataLoader from 'dataloader';
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { conflict, ErrorCode, forbidden, notFound, platformError } from '../../../platform/errors.js';
import { pageRequest, toConnection, type Connection } from '../../../platform/graphql/connection.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { QueryLeaveRequestsArgs, QueryLeaveRequestsConnectionArgs, RequestLeaveInput } from '../generated/resolvers-types.js';
import type { LeaveRequestModel, LeaveStatusName } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import type { LeaveDecision, LeaveRequestWhich } from '../repositories/leave-request-repository.js';
import { actorOf, isManager, requireManager, requireStaff } from './erp-access.js';
import { leavePayload } from './event-payloads.js';
import { publishErpEvent } from './publish-erp-event.js';
import { endsAfterStart, LIMITS, optionalText, page, recordId, spansAtMost, userId } from './validate.js';

export class LeaveService {
  private readonly leaveById: DataLoader<string, LeaveRequestModel | null>;

  constructor(
    private readonly viewer: Viewer,
    private readonly db: ErpDb,
  ) {
    this.leaveById = rowLoader(
      (ids) => db.read.leaveRequests.findByIds(viewer.companyId, ids),
      (leave) => leave.id,
    );
  }

  /** Managers see every request of the company; others only their own. */
  private maySee(leave: LeaveRequestModel): boolean {
    return isManager(this.viewer) || leave.employeeId === this.viewer.moodleUserId;
  }

  async getLeaveRequest(id: string): Promise<LeaveRequestModel | null> {
    requireStaff(this.viewer);
    const leave = await this.leaveById.load(id);
    return leave && this.maySee(leave) ? leave : null;
  }

  /**
   * Whose requests a list holds: managers name anyone (or no one: all); others only themselves, or nobody (null).
   * `toDecide`: those a decision may be asked of the caller for, as `decide` allows (pending, not their own).
   */
  private listed(args: {
    status?: LeaveStatusName[] | null;
    employeeId?: string | null;
    from?: Date | null;
    to?: Date | null;
    toDecide?: boolean | null;
  }): LeaveRequestWhich | null {
    requireStaff(this.viewer);
    if (args.from && args.to) endsAfterStart(args.from, args.to, 'to', 'from');
    const requested = args.employeeId ? userId(args.employeeId, 'employeeId') : undefined;
    const self = this.viewer.moodleUserId;
    let employeeId = requested;
    if (args.toDecide) {
      if (!isManager(this.viewer) || (self && requested === self)) return null;
      const statuses = args.status?.length ? args.status.filter((status) => status === 'PENDING') : ['PENDING' as const];
      if (statuses.length === 0) return null;
      return { statuses, employeeId, exceptEmployeeId: self ?? undefined, from: args.from ?? undefined, to: args.to ?? undefined };
    }
    if (!isManager(this.viewer)) {
      if (!self || (requested && requested !== self)) return null;
      employeeId = self;
    }
    return { statuses: args.status ?? undefined, employeeId, from: args.from ?? undefined, to: args.to ?? undefined };
  }

  async listLeaveRequests(args: QueryLeaveRequestsArgs): Promise<LeaveRequestModel[]> {
    const which = this.listed(args);
    if (!which) return [];
    const requests = await this.db.read.leaveRequests.list(this.viewer.companyId, { ...which, ...page(args.first, args.offset) });
    for (const leave of requests) this.leaveById.prime(leave.id, leave);
    return requests;
  }

  /** Query.leaveRequestsConnection: listLeaveRequests a page at a time. */
  async leaveRequestsPage(args: QueryLeaveRequestsConnectionArgs): Promise<Connection<LeaveRequestModel>> {
    const which = this.listed(args);
    const { first, after } = pageRequest(args, ['string', 'string']);
    const rows = which ? await this.db.read.leaveRequests.listPage(this.viewer.companyId, which, { after, limit: first + 1 }, args.latestFirst ?? false) : [];
    for (const { node } of rows) this.leaveById.prime(node.id, node);
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
    );
  }

  /** Subscription.leaveRequestChanged: staff only, refused when subscribing. */
  requireFollower(): void {
    requireStaff(this.viewer);
  }

  /** Whether changes to this employee's requests reach the caller's subscription (before reading the request). */
  mayFollow(employeeId: string): boolean {
    return isManager(this.viewer) || employeeId === this.viewer.moodleUserId;
  }

  /** The request as it is now (not as this context first read it: a subscription's context lives on), if the caller may see it. */
  async getLeaveRequestNow(id: string): Promise<LeaveRequestModel | null> {
    const [leave] = await this.db.read.leaveRequests.findByIds(this.viewer.companyId, [id]);
    return leave && this.maySee(leave) ? leave : null;
  }

  async requestLeave(input: RequestLeaveInput): Promise<LeaveRequestModel> {
    requireStaff(this.viewer);
    const employeeId = this.viewer.moodleUserId;
    if (!employeeId) throw forbidden('Only people with a user id can request leave');
    spansAtMost(input.startDate, input.endDate, 'endDate', 'startDate');
    const reason = optionalText(input.reason, 'reason', LIMITS.reason) ?? null;
    const companyId = this.viewer.companyId;
    const leave = await this.db.transaction(async (repositories, trx) => {
      await repositories.leaveRequests.lockEmployee(companyId, employeeId);
      const overlapping = await repositories.leaveRequests.findActiveOverlapping(companyId, employeeId, input.startDate, input.endDate);
      if (overlapping) {
        throw conflict(
          `The requested leave overlaps your ${overlapping.status.toLowerCase()} leave ${overlapping.id} (${overlapping.startDate.toISOString()} to ${overlapping.endDate.toISOString()})`,
        );
      }
      const created = await repositories.leaveRequests.insert(companyId, {
        employeeId,
        startDate: input.startDate,
        endDate: input.endDate,
        status: 'PENDING',
        leaveType: input.leaveType ?? 'ANNUAL',
        reason,
      });
      await publishErpEvent(trx, 'hr.leave.requested', created.id, leavePayload(created, actorOf(this.viewer)));
      return created;
    });
    this.leaveById.prime(leave.id, leave);
    return leave;
  }

  approveLeave(id: string, comment: string | null | undefined): Promise<LeaveRequestModel> {
    return this.decide(id, 'APPROVED', optionalText(comment, 'comment', LIMITS.reason) ?? null);
  }

  rejectLeave(id: string, reason: string | null | undefined): Promise<LeaveRequestModel> {
    return this.decide(id, 'REJECTED', optionalText(reason, 'reason', LIMITS.reason) ?? null);
  }

  private async decide(id: string, status: 'APPROVED' | 'REJECTED', reviewComment: string | null): Promise<LeaveRequestModel> {
    const verb = status === 'APPROVED' ? 'approve' : 'reject';
    requireManager(this.viewer, `${verb} leave requests`);
    recordId(id, 'id');
    const leave = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.leaveRequests.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Leave request', id);
      if (current.employeeId === this.viewer.moodleUserId) throw forbidden(`You cannot ${verb} your own leave request`);
      if (current.status !== 'PENDING') throw conflict(`Leave request ${id} is ${current.status}; only PENDING requests can be ${status.toLowerCase()}`);
      const decision: LeaveDecision = {
        status,
        reviewedBy: this.viewer.moodleUserId ?? null,
        reviewedAt: new Date(),
        reviewComment,
        wasApproved: status === 'APPROVED',
      };
      const decided = await repositories.leaveRequests.setStatus(this.viewer.companyId, id, decision);
      const payload = leavePayload(decided, actorOf(this.viewer));
      if (status === 'APPROVED') await publishErpEvent(trx, 'hr.leave.approved', id, payload);
      else await publishErpEvent(trx, 'hr.leave.rejected', id, payload);
      return decided;
    });
    this.leaveById.clear(id).prime(id, leave);
    return leave;
  }

  async cancelLeave(id: string): Promise<LeaveRequestModel> {
    requireStaff(this.viewer);
    recordId(id, 'id');
    const leave = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.leaveRequests.lock(this.viewer.companyId, id);
      // Someone else's request the caller may not even see does not exist for them.
      if (!current || !this.maySee(current)) throw notFound('Leave request', id);
      if (current.employeeId !== this.viewer.moodleUserId && !isAdmin(this.viewer)) {
        throw forbidden('Only the requester or an admin may cancel a leave request');
      }
      const previous = current.status;
      if (previous !== 'PENDING' && previous !== 'APPROVED') throw conflict(`Leave request ${id} is ${previous} and cannot be cancelled`);
      // A pending request over is still withdrawn (never decided, nobody took those days); approved leave over was taken.
      if (previous === 'APPROVED' && current.endDate.getTime() <= Date.now()) {
        throw platformError(ErrorCode.LEAVE_ENDED, `Leave request ${id} ended on ${current.endDate.toISOString()}: leave already taken cannot be cancelled`);
      }
      const cancelled = await repositories.leaveRequests.setStatus(this.viewer.companyId, id, { status: 'CANCELLED' });
      await publishErpEvent(trx, 'hr.leave.cancelled', id, { ...leavePayload(cancelled, actorOf(this.viewer)), previous_status: previous });
      return cancelled;
    });
    this.leaveById.clear(id).prime(id, leave);
    return leave;
  }
}
