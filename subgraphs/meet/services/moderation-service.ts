/**
 * Moderation of a live class's room. Students raise and lower their own
 * hand; the host, teachers of the course and company admins (moderators)
 * promote a student to speak (camera and microphone), demote, mute a track,
 * remove a participant (joins refused until re-admitted) and see the room,
 * the raised hands and the audit. LiveKit is told first (RoomService), and
 * only what it did is recorded (services/moderation-record.ts); a promotion
 * and a removal are claimed in the database before (see withClaim). A user
 * LiveKit does not list in the room is NOT_IN_ROOM; moderators cannot be
 * promoted, demoted or removed (they publish by their own token).
 */
import type DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, ErrorCode, forbidden, notFound, platformError, unavailable } from '../../../platform/errors.js';
import { groupLoader } from '../../../platform/graphql/loaders.js';
import type { MeetDatabase } from '../database.js';
import type { ListedParticipant, LiveKitApi } from '../livekit/livekit-api.js';
import { isModerator, needsMoodleRole, participantKind } from '../livekit/participants.js';
import { sourceName, studentPermission } from '../livekit/permissions.js';
import type { LiveClassModel, ModerationEntryModel, RaisedHandModel, RoomParticipantModel, TrackSourceName } from '../models.js';
import { ClassParticipantRepository, type ClassParticipantRow } from '../repositories/class-participant-repository.js';
import { isMoodleId } from '../repositories/ids.js';
import { ModerationLogRepository, type ModerationLogRow } from '../repositories/moderation-log-repository.js';
import type { ClassAccess } from './class-access.js';
import type { LiveClassService } from './live-class-service.js';
import { recordModeration, type ModerationActor, type ModerationChange, unconfirmedDetail } from './moderation-record.js';

const notInRoom = (userId: string, liveClass: LiveClassModel) =>
  platformError(ErrorCode.NOT_IN_ROOM, `User ${userId} is not in the room of live class ${liveClass.id}`, { userId });

export class ModerationService {
  private readonly standingByClass: DataLoader<string, ClassParticipantRow[]>;
  private readonly logByClass: DataLoader<string, ModerationLogRow[]>;

  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    private readonly classes: LiveClassService,
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
  ) {
    this.standingByClass = groupLoader(
      (ids) => new ClassParticipantRepository(db).listByClasses(viewer.companyId, ids),
      (row) => row.live_class_id,
    );
    this.logByClass = groupLoader(
      (ids) => new ModerationLogRepository(db).listByClasses(viewer.companyId, ids),
      (row) => row.live_class_id,
    );
  }

  // ---- reads ----

  /** All raised hands for moderators; a student's own (if raised) for anyone else who may see the class. */
  async raisedHandsOf(liveClass: LiveClassModel): Promise<RaisedHandModel[]> {
    const hands = (await this.standingByClass.load(liveClass.id))
      .filter((row) => row.hand_raised_at)
      .map((row) => ({ userId: row.user_id, raisedAt: row.hand_raised_at! }))
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
    if (await this.access.mayTeach(liveClass.courseId)) return hands;
    return hands.filter((hand) => hand.userId === this.viewer.moodleUserId);
  }

  async removedOf(liveClass: LiveClassModel): Promise<{ id: string }[]> {
    await this.requireModeratorView(liveClass);
    return (await this.standingByClass.load(liveClass.id)).filter((row) => row.removed_at).map((row) => ({ id: row.user_id }));
  }

  async logOf(liveClass: LiveClassModel): Promise<ModerationEntryModel[]> {
    await this.requireModeratorView(liveClass);
    return (await this.logByClass.load(liveClass.id)).map((row) => ({
      id: row.id,
      action: row.action,
      actorUserId: row.actor_user_id,
      targetUserId: row.target_user_id,
      detail: row.detail,
      at: row.created_at,
    }));
  }

  /** The people in the room now (STANDARD participants), as LiveKit lists them; empty while the class has no room. */
  async roomParticipantsOf(liveClass: LiveClassModel): Promise<RoomParticipantModel[]> {
    await this.requireModeratorView(liveClass);
    if (!['WAITING', 'LIVE'].includes(liveClass.status)) return [];
    const participants = (await this.livekit.listParticipants(liveClass.roomName)) ?? [];
    const standing = new Map((await this.standingByClass.load(liveClass.id)).map((row) => [row.user_id, row]));
    const people = participants.filter((participant) => participantKind(participant) === 'STANDARD');
    const teachers = await this.teachersFor(liveClass, people);
    return people.map((participant) => this.view(participant, teachers, standing.get(participant.identity)));
  }

  // ---- a student's own hand ----

  async raiseHand(liveClassId: string): Promise<LiveClassModel> {
    const liveClass = await this.readableClass(liveClassId);
    const me = this.viewer.moodleUserId;
    if (this.access.isAdmin || (await this.access.roleIn(liveClass.courseId)) === 'TEACHER') {
      throw badInput('Moderators of the class speak without raising a hand', 'liveClassId');
    }
    if (!me) throw forbidden('Only users with a Moodle account take part in live classes');
    if (!(await this.livekit.getParticipant(liveClass.roomName, me))) throw notInRoom(me, liveClass);
    const current = await new ClassParticipantRepository(this.db).find(liveClass.id, me);
    if (!current?.hand_raised_at) await this.record(liveClass, { action: 'HAND_RAISED', targetUserId: me, standing: { hand_raised_at: new Date() } });
    return liveClass;
  }

  /** The caller's own hand, or (moderators) anyone's; lowering a hand that is down changes nothing. */
  async lowerHand(liveClassId: string, userId?: string | null): Promise<LiveClassModel> {
    const liveClass = await this.readableClass(liveClassId);
    const me = this.viewer.moodleUserId;
    const target = userId ?? me;
    if (!target) throw badInput('Name the user whose hand to lower', 'userId');
    if (target !== me) await this.access.requireTeacherOfClass(liveClass);
    if (!isMoodleId(target)) throw badInput(`User ${target} is not a user id`, 'userId');
    const current = await new ClassParticipantRepository(this.db).find(liveClass.id, target);
    if (current?.hand_raised_at) await this.record(liveClass, { action: 'HAND_LOWERED', targetUserId: target, standing: { hand_raised_at: null } });
    return liveClass;
  }

  // ---- moderators ----

  async promote(liveClassId: string, userId: string): Promise<RoomParticipantModel> {
    const { liveClass, target } = await this.moderatedTarget(liveClassId, userId);
    await this.requireStudentInRoom(liveClass, target);
    const promotedAt = new Date();
    const updated = await this.withClaim(liveClass, target, 'promoted_at', promotedAt, async () => {
      const outcome = await this.livekit.holdPermission(liveClass.roomName, target, studentPermission('speaker'));
      if (outcome === 'unconfirmed') {
        // Withdrawn (the promotion's safe side): whatever LiveKit may have allowed, the judges of publishing take back.
        throw unavailable(
          `LiveKit did not confirm promoting user ${target} in the room of live class ${liveClass.id}: they are not promoted, ` +
            'and whatever LiveKit may have let them publish is taken back; promote them again',
          { serviceName: 'livekit', userId: target },
        );
      }
      return outcome === 'not_in_room' ? null : outcome;
    });
    const row = await this.record(liveClass, { action: 'PROMOTED', targetUserId: target, standing: { promoted_at: promotedAt, hand_raised_at: null } });
    return this.view(updated, await this.teachersFor(liveClass, [updated]), row);
  }

  /**
   * LiveKit first, the database second: in between, LiveKit allows less than the database says, and the judges of
   * publishing (track_published, reconciliation) only ever take publishing back, so whatever they see then is at
   * worst left to the demotion. The other order would let them take a promoted student's camera back as
   * unauthorised and audit it so. LiveKit's answer lost, the demotion is recorded all the same (its safe side: joins
   * give a listener's token) and audited `unconfirmed`; had LiveKit not acted, the judges take publishing back,
   * which settles that audit row (moderation-record.ts). The moderator is told UNCONFIRMED.
   */
  async demote(liveClassId: string, userId: string): Promise<RoomParticipantModel> {
    const { liveClass, target } = await this.moderatedTarget(liveClassId, userId);
    await this.requireStudentInRoom(liveClass, target);
    const outcome = await this.livekit.holdPermission(liveClass.roomName, target, studentPermission('listener'));
    if (outcome === 'not_in_room') throw notInRoom(target, liveClass);
    const detail = outcome === 'unconfirmed' ? unconfirmedDetail() : null;
    const row = await this.record(liveClass, { action: 'DEMOTED', targetUserId: target, detail, standing: { promoted_at: null } });
    if (outcome === 'unconfirmed')
      throw unconfirmed(
        `demoting user ${target} in`,
        liveClass,
        target,
        'the demotion is recorded, their joins give a listener\u2019s token, and meet takes publishing back if LiveKit still allows it',
      );
    return this.view(outcome, await this.teachersFor(liveClass, [outcome]), row);
  }

  async muteTrack(liveClassId: string, userId: string, trackSid?: string | null, source?: TrackSourceName | null): Promise<RoomParticipantModel> {
    if (!trackSid === !source) throw badInput('Give exactly one of trackSid and source', trackSid ? 'source' : 'trackSid');
    const { liveClass, target } = await this.moderatedTarget(liveClassId, userId);
    const participant = await this.livekit.getParticipant(liveClass.roomName, target);
    if (!participant) throw notInRoom(target, liveClass);
    const track = participant.tracks.find((candidate) => (trackSid ? candidate.sid === trackSid : sourceName(candidate.source) === source));
    if (!track) throw notFound('Track', trackSid ?? `${source} of user ${target}`);
    if (!(await this.livekit.muteTrack(liveClass.roomName, target, track.sid))) throw notFound('Track', track.sid);
    const row = await this.record(liveClass, { action: 'TRACK_MUTED', targetUserId: target, standing: {}, detail: `${sourceName(track.source)} ${track.sid}` });
    const after = await this.livekit.getParticipant(liveClass.roomName, target);
    if (!after) throw notInRoom(target, liveClass);
    return this.view(after, await this.teachersFor(liveClass, [after]), row);
  }

  async remove(liveClassId: string, userId: string): Promise<LiveClassModel> {
    const { liveClass, target } = await this.moderatedTarget(liveClassId, userId);
    await this.requireStudentInRoom(liveClass, target);
    const removedAt = new Date();
    // Claimed before LiveKit disconnects them, so a join meanwhile is refused (a new token would let them back in).
    const outcome = await this.withClaim(liveClass, target, 'removed_at', removedAt, async () => {
      const removal = await this.livekit.removeParticipant(liveClass.roomName, target);
      return removal === 'not_in_room' ? null : removal;
    });
    // Unconfirmed, the claim stays (removal's safe side): joins refused, and reconciliation disconnects them if LiveKit still lists them.
    const detail = outcome === 'unconfirmed' ? unconfirmedDetail() : null;
    await this.record(liveClass, { action: 'REMOVED', targetUserId: target, detail, standing: { removed_at: removedAt, promoted_at: null, hand_raised_at: null } });
    if (outcome === 'unconfirmed')
      throw unconfirmed(
        `removing user ${target} from`,
        liveClass,
        target,
        'the removal is recorded, their joins are refused, and meet disconnects them if LiveKit still has them in the room',
      );
    return liveClass;
  }

  async readmit(liveClassId: string, userId: string): Promise<LiveClassModel> {
    const { liveClass, target } = await this.moderatedTarget(liveClassId, userId);
    const current = await new ClassParticipantRepository(this.db).find(liveClass.id, target);
    if (current?.removed_at) await this.record(liveClass, { action: 'READMITTED', targetUserId: target, standing: { removed_at: null } });
    return liveClass;
  }

  // ---- helpers ----

  private get actor(): ModerationActor {
    return { userId: this.viewer.moodleUserId ?? null, subject: this.viewer.userId };
  }

  /**
   * A promotion (or removal) is in the database before LiveKit acts on it. A promotion: the track_published webhook
   * and reconciliation judge publishing by the database, and one landing between LiveKit's change and a later write
   * would take the publishing back, leaving the student promoted in the database and silenced in LiveKit. A removal:
   * joins are refused by the database, and one in between would hand the student a new token. Only the standing
   * goes first (the audit and the event once LiveKit did it). LiveKit failing or not finding the student, a claim
   * this call set is withdrawn, so none stays recorded. `change` tells what its failures leave: a promotion's lost
   * answer throws, withdrawing the claim (LiveKit may allow what the database does not: the judges take it back,
   * the safe side; promote); a removal's comes back as 'unconfirmed', and the claim stays (remove).
   */
  private async withClaim<T>(liveClass: LiveClassModel, target: string, column: 'promoted_at' | 'removed_at', at: Date, change: () => Promise<T | null>): Promise<T> {
    const standing = new ClassParticipantRepository(this.db);
    const claim = await standing.set(liveClass.companyId, liveClass.id, target, { [column]: at });
    const claimedHere = claim[column]?.getTime() === at.getTime(); // else claimed already, and stays so
    let done: T | null = null;
    try {
      done = await change();
    } finally {
      if (!done && claimedHere) await standing.withdraw(liveClass.id, target, column, at);
    }
    if (!done) throw notInRoom(target, liveClass);
    return done;
  }

  private record(liveClass: LiveClassModel, change: ModerationChange): Promise<ClassParticipantRow> {
    return recordModeration(this.db, liveClass, this.actor, change);
  }

  /** A class the caller may see (NOT_FOUND otherwise, also for malformed ids). */
  private async readableClass(id: string): Promise<LiveClassModel> {
    const liveClass = await this.classes.getLiveClass(id);
    if (!liveClass) throw notFound('LiveClass', id);
    return liveClass;
  }

  /** A class the caller moderates (NOT_FOUND, FORBIDDEN) and a well-formed target user id (BAD_USER_INPUT). */
  private async moderatedTarget(liveClassId: string, userId: string): Promise<{ liveClass: LiveClassModel; target: string }> {
    const liveClass = await this.classes.findInCompany(liveClassId);
    if (!liveClass) throw notFound('LiveClass', liveClassId);
    await this.access.requireTeacherOfClass(liveClass);
    if (!isMoodleId(userId)) throw badInput(`User ${userId} is not a user id`, 'userId');
    return { liveClass, target: userId };
  }

  /** The target is in the room (NOT_IN_ROOM) and joined as a student (moderators publish by their own token). */
  private async requireStudentInRoom(liveClass: LiveClassModel, target: string): Promise<ListedParticipant> {
    const participant = await this.livekit.getParticipant(liveClass.roomName, target);
    if (!participant) throw notInRoom(target, liveClass);
    if (isModerator(participant, await this.teachersFor(liveClass, [participant])))
      throw badInput(`User ${target} moderates this class: only students are promoted, demoted or removed`, 'userId');
    return participant;
  }

  private async requireModeratorView(liveClass: LiveClassModel): Promise<void> {
    if (!(await this.access.mayTeach(liveClass.courseId))) throw forbidden('Only the course\u2019s teachers and company admins see the room\u2019s moderation');
  }

  /** Moodle's teachers of the class's course, asked of academy only when someone's token names no role (see isModerator). */
  private async teachersFor(liveClass: LiveClassModel, participants: readonly ListedParticipant[]): Promise<ReadonlySet<string> | null> {
    return participants.some(needsMoodleRole) ? this.access.teachersOf(liveClass.courseId) : null;
  }

  private view(participant: ListedParticipant, teachers: ReadonlySet<string> | null, standing?: ClassParticipantRow): RoomParticipantModel {
    const permission = participant.permission;
    return {
      identity: participant.identity,
      userId: isMoodleId(participant.identity) ? participant.identity : null,
      name: participant.name || null,
      moderator: isModerator(participant, teachers),
      canPublish: permission?.canPublish ?? false,
      canPublishSources: (permission?.canPublishSources ?? []).map(sourceName),
      tracks: participant.tracks.map((track) => ({ sid: track.sid, source: sourceName(track.source), muted: track.muted })),
      handRaisedAt: standing?.hand_raised_at ?? null,
      promoted: !!standing?.promoted_at,
    };
  }
}

/** UNCONFIRMED: LiveKit's answer to an action was lost; it is recorded on its safe side, and `then` says what follows. */
function unconfirmed(action: string, liveClass: LiveClassModel, target: string, then: string) {
  return platformError(ErrorCode.UNCONFIRMED, `LiveKit did not confirm ${action} the room of live class ${liveClass.id}: ${then}`, { userId: target });
}
