/**
 * Every moderation action is written the same way, in one transaction: the
 * user's standing in the class (class_participants), the audit row
 * (moderation_log) and the domain event meet.class.moderated, which moves
 * the class along the live-class subscription. The moderation service and
 * reconciliation (removing users no longer enrolled) both come through here.
 *
 * An action LiveKit did not confirm (its answer lost: it may or may not have
 * acted) is recorded all the same, its detail ending in `unconfirmed` after
 * its reason (`unconfirmed` alone when it has none). If LiveKit had not acted,
 * meet's judges finish it later: a judge of publishing takes back what a lost
 * takeback or demotion left, reconciliation disconnects the subject of a lost
 * removal. That is the same action, not another: when the target's latest
 * action of its kind (promotions and demotions; removals and readmissions) is
 * this one, unconfirmed, the judge's settles it (the detail loses
 * `unconfirmed`, its actor and time stay) instead of a second row and event.
 * Finished again unconfirmed, it stays as it is. A moderator's action is
 * always its own row, even the same action right after an unconfirmed one
 * (their own repeat, or another moderator's): it is another person's, or
 * another moment's, decision, and settling the first row with it would lose
 * who acted (and the first row stays `unconfirmed`: meet cannot tell whether
 * LiveKit carried it out). An unconfirmed action LiveKit did carry out is
 * never settled: nothing is left to finish, and meet cannot tell it happened;
 * the audit keeps saying `unconfirmed`.
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
  /** When the action happened (a timestamptz's text, the database's clock), if before it is written: now by default. */
  at?: string;
}

export const UNCONFIRMED_DETAIL = 'unconfirmed';

/** The detail of an action LiveKit did not confirm: its reason, if any, then `unconfirmed`. */
export const unconfirmedDetail = (reason?: string | null): string => (reason ? `${reason} ${UNCONFIRMED_DETAIL}` : UNCONFIRMED_DETAIL);

/** Does the detail say LiveKit did not confirm the action? */
export const isUnconfirmed = (detail: string | null | undefined) => detail === UNCONFIRMED_DETAIL || !!detail?.endsWith(` ${UNCONFIRMED_DETAIL}`);

/** The detail once confirmed: the reason before `unconfirmed`, or null. */
const confirmedDetail = (detail: string) => detail.slice(0, -UNCONFIRMED_DETAIL.length).trimEnd() || null;

/** Actions on one standing: a later one of the same kind supersedes an earlier. */
const KINDS: readonly (readonly ModerationAction[])[] = [
  ['PROMOTED', 'DEMOTED', 'SOURCE_REVOKED'],
  ['REMOVED', 'READMITTED'],
];

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
  // The standing's row first: its lock orders two writers of one user's audit, so both see the other's row.
  const row = await new ClassParticipantRepository(trx).set(liveClass.companyId, liveClass.id, change.targetUserId, change.standing);
  const log = new ModerationLogRepository(trx);
  const kind = KINDS.find((actions) => actions.includes(change.action));
  // Only meet's own judges finish an unconfirmed action; a moderator's action is never folded into another row.
  const judge = actor.subject === MEET_ITSELF.subject;
  const pending = kind && judge ? await log.latestOf(liveClass.id, change.targetUserId, kind) : undefined;
  if (pending?.action === change.action && isUnconfirmed(pending.detail)) {
    if (!isUnconfirmed(change.detail)) await log.setDetail(pending.id, confirmedDetail(pending.detail!));
    return row;
  }
  await log.record({
    companyId: liveClass.companyId,
    liveClassId: liveClass.id,
    action: change.action,
    actorUserId: actor.userId,
    actorSubject: actor.subject,
    targetUserId: change.targetUserId,
    detail: change.detail,
    at: change.at,
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
