/**
 * Scheduling, rescheduling, cancelling and ending live classes: the course's
 * teachers and company admins only. Each change and its event commit
 * together; LiveKit is told afterwards (a room LiveKit keeps by mistake is
 * removed by reconciliation).
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, notFound } from '../../../platform/errors.js';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { LiveClassModel } from '../models.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import type { ClassAccess } from './class-access.js';
import { publishClassEvent } from './class-events.js';
import { markEnded } from './class-lifecycle.js';
import type { LiveClassService } from './live-class-service.js';
import { newRoomName, requireEndable, requireStatus, validDescription, validDuration, validStart, validTitle } from './schedule-rules.js';

export interface ScheduleInput {
  courseId: string;
  title: string;
  scheduledAt: Date;
  durationMinutes?: number | null;
  description?: string | null;
  record?: boolean | null;
  waitForModerator?: boolean | null;
}

export interface UpdateInput {
  title?: string | null;
  description?: string | null;
  scheduledAt?: Date | null;
  durationMinutes?: number | null;
  record?: boolean | null;
  waitForModerator?: boolean | null;
}

export class SchedulingService {
  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    private readonly classes: LiveClassService,
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    private readonly recordings: RecordingControl,
    private readonly log: Logger,
  ) {}

  async schedule(input: ScheduleInput): Promise<LiveClassModel> {
    const title = validTitle(input.title);
    const description = validDescription(input.description);
    const durationMinutes = validDuration(input.durationMinutes ?? 60);
    const scheduledAt = validStart(input.scheduledAt);
    await this.access.requireTeacher(input.courseId);
    const host = this.viewer.moodleUserId;
    if (!host) throw badInput('Only a user with a Moodle account can host a live class');
    return this.db.transaction().execute(async (trx) => {
      const created = await new LiveClassRepository(trx).insert({
        companyId: this.viewer.companyId,
        courseId: input.courseId,
        title,
        description,
        scheduledAt,
        durationMinutes,
        roomName: newRoomName(input.courseId),
        hostUserId: host,
        record: input.record ?? false,
        waitForModerator: input.waitForModerator ?? true,
        createdBy: this.viewer.userId,
      });
      await publishClassEvent(trx, 'meet.class.scheduled', created, this.actorId);
      return created;
    });
  }

  async update(id: string, input: UpdateInput): Promise<LiveClassModel> {
    await this.requireTeacherOf(id);
    const changes = {
      ...(input.title != null && { title: validTitle(input.title) }),
      ...(input.description !== undefined && { description: validDescription(input.description) }),
      ...(input.durationMinutes != null && { duration_minutes: validDuration(input.durationMinutes) }),
      ...(input.scheduledAt != null && { scheduled_at: validStart(input.scheduledAt) }),
      ...(input.record != null && { record: input.record }),
      ...(input.waitForModerator != null && { wait_for_moderator: input.waitForModerator }),
    };
    return this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, id);
      // A live class can be renamed or extended, not moved.
      requireStatus(current, changes.scheduled_at ? ['SCHEDULED', 'WAITING'] : ['SCHEDULED', 'WAITING', 'LIVE'], 'change');
      if (Object.keys(changes).length === 0) return current;
      const updated = await new LiveClassRepository(trx).update(id, changes);
      await publishClassEvent(trx, 'meet.class.updated', updated, this.actorId, {
        changed: Object.keys(input).filter((key) => (input as Record<string, unknown>)[key] !== undefined),
        previous_scheduled_at: current.scheduledAt.toISOString(),
        previous_duration_minutes: current.durationMinutes,
      });
      return updated;
    });
  }

  async cancel(id: string): Promise<LiveClassModel> {
    await this.requireTeacherOf(id);
    const cancelled = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, id);
      requireStatus(current, ['SCHEDULED', 'WAITING'], 'cancel');
      const updated = await new LiveClassRepository(trx).update(id, { status: 'CANCELLED', room_opened_at: null });
      await publishClassEvent(trx, 'meet.class.cancelled', updated, this.actorId);
      return { updated, hadRoom: current.roomOpenedAt !== null };
    });
    if (cancelled.hadRoom) await this.closeRoom(cancelled.updated);
    return cancelled.updated;
  }

  async end(id: string): Promise<LiveClassModel> {
    await this.requireTeacherOf(id);
    const ended = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, id);
      requireStatus(current, ['SCHEDULED', 'WAITING', 'LIVE'], 'end');
      requireEndable(current, new Date());
      return markEnded(trx, current, new Date(), 'ended_by_teacher', this.actorId);
    });
    // The recording first, so that its file ends where the class did.
    await this.recordings.stopForEndedClass(ended, this.log);
    await this.closeRoom(ended);
    return ended;
  }

  /** The caller, as events name users: their Moodle id (null without a Moodle account). */
  private get actorId(): string | null {
    return this.viewer.moodleUserId ?? null;
  }

  private async requireTeacherOf(id: string): Promise<LiveClassModel> {
    const liveClass = await this.classes.findInCompany(id);
    if (!liveClass) throw notFound('LiveClass', id);
    await this.access.requireTeacherOfClass(liveClass);
    return liveClass;
  }

  private async lock(trx: Kysely<MeetDatabase>, id: string): Promise<LiveClassModel> {
    const row = await new LiveClassRepository(trx).findForUpdate(this.viewer.companyId, id);
    if (!row) throw notFound('LiveClass', id);
    return row;
  }

  /** Disconnects everyone; if LiveKit is unreachable now, reconciliation removes the room later. */
  private async closeRoom(liveClass: LiveClassModel): Promise<void> {
    try {
      await this.livekit.deleteRoom(liveClass.roomName);
    } catch (error) {
      this.log.warn({ err: error, room: liveClass.roomName }, 'could not delete the LiveKit room; reconciliation will');
    }
  }
}
