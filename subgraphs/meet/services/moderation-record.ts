/**
 * Every moderation action is written the same way, in one transaction: the
 * user's standing in the class (class_participants), the audit row
 * (moderation_log) and the domain event meet.class.moderated, which moves
 * the class along the live-class subscription. The moderation service and
 * reconciliation (removing users no longer enrolled) both come through here.
 */
import type { Kysely, Transaction } from 'kysely';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { MeetDatabase, ModerationAction } from '../database.js';
import type { LiveClassModel } from '../models.js';
import { ClassParticipantRepository, type ClassParticipantRow } from '../repositories/class-participant-repository.js';
import { ModerationLogRepository } from '../repositories/moderation-log-repository.js';

export interface ModerationActor {
  /** Moodle user id; null for meet itself or a user without one. */
  userId: string | null;
  /** Passport subject (`service:meet` for reconciliation). */
  subject: string;
}

export const MEET_ITSELF: ModerationActor = { userId: null, subject: 'service:meet' };

export interface ModerationChange {
  action: ModerationAction;
  targetUserId: string;
  standing: Partial<Record<'hand_raised_at' | 'promoted_at' | 'removed_at', Date | null>>;
  detail?: string | null;
}

export async function recordModeration(db: Kysely<MeetDatabase>, liveClass: LiveClassModel, actor: ModerationActor, change: ModerationChange): Promise<ClassParticipantRow> {
  return db.transaction().execute((trx) => recordModerationIn(trx, liveClass, actor, change));
}

/** The same, inside a transaction the caller holds (one that locked the user's standing first). */
export async function recordModerationIn(
  trx: Transaction<MeetDatabase>,
  liveClass: LiveClassModel,
  actor: ModerationActor,
  change: ModerationChange,
): Promise<ClassParticipantRow> {
  const row = await new ClassParticipantRepository(trx).set(liveClass.companyId, liveClass.id, change.targetUserId, change.standing);
  await new ModerationLogRepository(trx).record({
    companyId: liveClass.companyId,
    liveClassId: liveClass.id,
    action: change.action,
    actorUserId: actor.userId,
    actorSubject: actor.subject,
    targetUserId: change.targetUserId,
    detail: change.detail,
  });
  await publishEvent(trx, {
    topic: 'meet.class.moderated',
    companyId: liveClass.companyId,
    key: liveClass.id,
    payload: {
      company_id: liveClass.companyId,
      live_class_id: liveClass.id,
      course_id: liveClass.courseId,
      action: change.action,
      target_user_id: change.targetUserId,
      actor_id: actor.userId,
    },
    source: 'meet',
  });
  return row;
}
