/** Sales meetings of the caller's company: staff read, admins and managers schedule and change them. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, conflict, notFound } from '../../../platform/errors.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { QuerySalesMeetingsArgs, ScheduleSalesMeetingInput, UpdateSalesMeetingInput } from '../generated/resolvers-types.js';
import type { SalesMeetingModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import type { SalesMeetingFields } from '../repositories/sales-meeting-repository.js';
import type { CompanyPeople } from './company-people.js';
import { actorOf, requireManager, requireStaff } from './erp-access.js';
import { MEETING_FIELDS, meetingPayload } from './event-payloads.js';
import { publishErpEvent } from './publish-erp-event.js';
import {
  changedKeys,
  endsAfterStart,
  LIMITS,
  merged,
  notNull,
  optionalEmail,
  optionalText,
  optionalUserId,
  page,
  pick,
  recordId,
  requiredText,
  requireSomeField,
  spansAtMost,
  userId,
} from './validate.js';

type MeetingPatch = Partial<Omit<SalesMeetingFields, 'cancellationReason'>>;

export class SalesMeetingService {
  private readonly meetingById: DataLoader<string, SalesMeetingModel | null>;

  constructor(
    private readonly viewer: Viewer,
    private readonly db: ErpDb,
    private readonly people: CompanyPeople,
  ) {
    this.meetingById = rowLoader(
      (ids) => db.read.salesMeetings.findByIds(viewer.companyId, ids),
      (meeting) => meeting.id,
    );
  }

  getSalesMeeting(id: string): Promise<SalesMeetingModel | null> {
    requireStaff(this.viewer);
    return this.meetingById.load(id);
  }

  async listSalesMeetings(args: QuerySalesMeetingsArgs): Promise<SalesMeetingModel[]> {
    requireStaff(this.viewer);
    if (args.from && args.to) endsAfterStart(args.from, args.to, 'to', 'from');
    const meetings = await this.db.read.salesMeetings.list(this.viewer.companyId, {
      from: args.from ?? undefined,
      to: args.to ?? undefined,
      ownerId: args.ownerId ? userId(args.ownerId, 'ownerId') : undefined,
      statuses: args.status ?? undefined,
      ...page(args.first, args.offset),
    });
    for (const meeting of meetings) this.meetingById.prime(meeting.id, meeting);
    return meetings;
  }

  async scheduleSalesMeeting(input: ScheduleSalesMeetingInput): Promise<SalesMeetingModel> {
    requireManager(this.viewer, 'schedule sales meetings');
    const ownerId = optionalUserId(input.ownerId, 'ownerId') ?? this.viewer.moodleUserId;
    if (!ownerId) throw badInput('ownerId is required: the caller has no user id to default to', 'ownerId');
    spansAtMost(input.scheduledAt, input.endAt, 'endAt', 'scheduledAt');
    await this.people.requireMember(ownerId, 'ownerId');
    const fields: SalesMeetingFields = {
      customerName: requiredText(input.customerName, 'customerName'),
      customerEmail: optionalEmail(input.customerEmail, 'customerEmail') ?? null,
      location: optionalText(input.location, 'location', LIMITS.location) ?? null,
      description: optionalText(input.description, 'description') ?? null,
      ownerId,
      scheduledAt: input.scheduledAt,
      endAt: input.endAt,
      status: 'SCHEDULED',
      cancellationReason: null,
    };
    const meeting = await this.db.transaction(async (repositories, trx) => {
      const created = await repositories.salesMeetings.insert(this.viewer.companyId, fields);
      await publishErpEvent(trx, 'sales.meeting.created', created.id, meetingPayload(created, actorOf(this.viewer)));
      return created;
    });
    this.meetingById.prime(meeting.id, meeting);
    return meeting;
  }

  async updateSalesMeeting(id: string, input: UpdateSalesMeetingInput): Promise<SalesMeetingModel> {
    requireManager(this.viewer, 'change sales meetings');
    recordId(id, 'id');
    requireSomeField(input);
    const customerName = notNull(input.customerName, 'customerName');
    const status = notNull(input.status, 'status');
    if (status === 'CANCELLED') throw badInput('status: use cancelSalesMeeting to cancel a meeting', 'status');
    const patch: MeetingPatch = {
      customerName: customerName === undefined ? undefined : requiredText(customerName, 'customerName'),
      customerEmail: optionalEmail(input.customerEmail, 'customerEmail'),
      location: optionalText(input.location, 'location', LIMITS.location),
      description: optionalText(input.description, 'description'),
      ownerId: optionalUserId(input.ownerId, 'ownerId'),
      scheduledAt: notNull(input.scheduledAt, 'scheduledAt'),
      endAt: notNull(input.endAt, 'endAt'),
      status,
    };
    await this.people.requireMember(patch.ownerId, 'ownerId');
    const meeting = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.salesMeetings.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Sales meeting', id);
      if (current.status === 'CANCELLED') throw conflict(`Sales meeting ${id} is cancelled and can no longer be changed`);
      const next = merged<SalesMeetingModel>(current, patch);
      spansAtMost(next.scheduledAt, next.endAt, 'endAt', 'scheduledAt');
      const changed = changedKeys<Omit<SalesMeetingFields, 'cancellationReason'>>(current, patch);
      if (changed.length === 0) return current;
      const updated = await repositories.salesMeetings.update(this.viewer.companyId, id, pick(patch, changed));
      await publishErpEvent(trx, 'sales.meeting.updated', id, {
        ...meetingPayload(updated, actorOf(this.viewer)),
        changed_fields: changed.map((key) => MEETING_FIELDS[key]),
      });
      return updated;
    });
    this.meetingById.clear(id).prime(id, meeting);
    return meeting;
  }

  async cancelSalesMeeting(id: string, reason: string | null | undefined): Promise<SalesMeetingModel> {
    requireManager(this.viewer, 'cancel sales meetings');
    recordId(id, 'id');
    const cancellationReason = optionalText(reason, 'reason', LIMITS.reason) ?? null;
    const meeting = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.salesMeetings.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Sales meeting', id);
      if (current.status === 'CANCELLED') throw conflict(`Sales meeting ${id} is already cancelled`);
      const cancelled = await repositories.salesMeetings.update(this.viewer.companyId, id, { status: 'CANCELLED', cancellationReason });
      await publishErpEvent(trx, 'sales.meeting.cancelled', id, meetingPayload(cancelled, actorOf(this.viewer)));
      return cancelled;
    });
    this.meetingById.clear(id).prime(id, meeting);
    return meeting;
  }
}
