/**
 * Joining a class: enrolled users and admins, inside the join window
 * (students from MEET_JOIN_WINDOW_MINUTES before the start, teachers and
 * admins from MEET_TEACHER_JOIN_WINDOW_MINUTES, until the scheduled end or
 * for as long as it is LIVE). The room is normally open already
 * (jobs/room-opening.ts); a join that finds none opens it. A student a
 * moderator promoted joins able to publish camera and microphone; one a
 * moderator removed is refused until re-admitted.
 */
import type { Kysely } from 'kysely';
import type { MeetConfig, PlatformConfig } from '../../../platform/config.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden, notFound, platformError, ErrorCode } from '../../../platform/errors.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import { mintJoinToken } from '../livekit/join-token.js';
import type { LiveClassModel } from '../models.js';
import type { ClassAccess } from './class-access.js';
import { isMoodleId } from '../repositories/ids.js';
import type { LiveClassService } from './live-class-service.js';
import { openRoom } from './room-opening.js';
import { requireStatus } from './schedule-rules.js';
import { ClassParticipantRepository } from '../repositories/class-participant-repository.js';
import type { Standing } from '../livekit/permissions.js';

export interface JoinTicket {
  token: string;
  livekitUrl: string;
  roomName: string;
  canPublish: boolean;
  expiresAt: Date;
}

const MINUTE = 60_000;

export class JoinService {
  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    private readonly classes: LiveClassService,
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    private readonly config: PlatformConfig,
    private readonly settings: MeetConfig,
  ) {}

  async join(id: string, now = new Date()): Promise<JoinTicket> {
    const liveClass = await this.classes.findInCompany(id);
    if (!liveClass) throw notFound('LiveClass', id);
    const role = this.access.isAdmin ? 'TEACHER' : await this.access.roleIn(liveClass.courseId);
    if (!role) throw forbidden('Only users enrolled in the course (and company admins) may join its live classes');
    const teacher = role === 'TEACHER';
    requireStatus(liveClass, ['SCHEDULED', 'WAITING', 'LIVE'], 'join');
    this.requireWindow(liveClass, teacher, now);
    const identity = this.viewer.moodleUserId ?? this.viewer.userId;
    const standing = teacher ? 'moderator' : await this.studentStanding(liveClass, identity);

    await this.openRoom(liveClass, now);
    // Valid until shortly after the scheduled end (or, past it while LIVE, for the grace period), never longer than the cap.
    const until = Math.max(liveClass.endsAt.getTime(), now.getTime()) + this.settings.tokenEndGraceMinutes * MINUTE;
    const ttlSeconds = Math.max(60, Math.min(this.settings.tokenMaxTtlSeconds, Math.floor((until - now.getTime()) / 1000)));
    const { token, expiresAt } = await mintJoinToken({
      apiKey: this.config.livekit.apiKey,
      apiSecret: this.config.livekit.apiSecret,
      roomName: liveClass.roomName,
      identity,
      name: this.viewer.name,
      standing,
      ttlSeconds,
      // `admin`: in the room as a company admin, not through enrolment (reconciliation removes only the un-enrolled).
      metadata: { role: teacher ? 'teacher' : 'student', class_id: liveClass.id, ...(this.access.isAdmin && { admin: true }) },
    });
    return {
      token,
      livekitUrl: this.config.livekit.url,
      roomName: liveClass.roomName,
      canPublish: standing !== 'listener',
      expiresAt,
    };
  }

  /** A student's standing: promoted (speaker) or not (listener); removed students are refused. */
  private async studentStanding(liveClass: LiveClassModel, identity: string): Promise<Standing> {
    const standing = isMoodleId(identity) ? await new ClassParticipantRepository(this.db).find(liveClass.id, identity) : undefined;
    if (standing?.removed_at) {
      throw platformError(ErrorCode.FORBIDDEN, `A moderator removed you from live class ${liveClass.id}; a teacher may re-admit you`, { reason: 'REMOVED' });
    }
    return standing?.promoted_at ? 'speaker' : 'listener';
  }

  private requireWindow(liveClass: LiveClassModel, teacher: boolean, now: Date): void {
    if (liveClass.status === 'LIVE') return;
    const lead = teacher ? this.settings.teacherJoinWindowMinutes : this.settings.joinWindowMinutes;
    const opensAt = new Date(liveClass.scheduledAt.getTime() - lead * MINUTE);
    if (now < opensAt) {
      throw platformError(ErrorCode.CONFLICT, `Live class ${liveClass.id} opens for joining at ${opensAt.toISOString()}`, { opensAt: opensAt.toISOString() });
    }
    if (now > liveClass.endsAt) {
      throw platformError(ErrorCode.CONFLICT, `Live class ${liveClass.id} was scheduled to end at ${liveClass.endsAt.toISOString()} and never started`);
    }
  }

  /** The room-opening job normally created the room already; if not (job off, LiveKit down then), the first join does. */
  private async openRoom(liveClass: LiveClassModel, now: Date): Promise<void> {
    if (liveClass.roomOpenedAt) return;
    await openRoom(this.db, this.livekit, this.settings, liveClass, now);
  }
}
