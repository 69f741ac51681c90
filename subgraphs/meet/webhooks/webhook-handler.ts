/**
 * Applies LiveKit's webhooks to meet's tables, once per event id, each in
 * one transaction with its domain events. Deliveries may repeat and arrive
 * out of order: status changes only move forward, and a participant's
 * `left` before its `joined` is stored and completed when the other half
 * comes (see AttendanceRepository); a `joined` delivered after the class
 * ended counts up to its end, until its own `left` says better. A user a moderator removed who comes
 * back with a token minted before (LiveKit keeps no ban list) is removed
 * again at once, and that is audited; so is a student's publishing meet never allowed, taken back
 * (webhooks/unauthorised-publishing.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { LiveClassModel, RecordingModel } from '../models.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { applyEgress } from '../recordings/apply-egress.js';
import { AttendanceRepository } from '../repositories/attendance-repository.js';
import { isMoodleId } from '../repositories/ids.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { WebhookEventRepository } from '../repositories/webhook-event-repository.js';
import { ClassParticipantRepository } from '../repositories/class-participant-repository.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import { MEET_ITSELF, recordModeration } from '../services/moderation-record.js';
import { markEnded, markLive, markWaiting, NOT_STARTED, stopWaiting } from '../services/class-lifecycle.js';
import { needsMoodleRole, opensClass, participantKind, sessionOf } from '../livekit/participants.js';
import type { CourseRoster } from '../jobs/roster-enforcement.js';
import { classWentLive } from '../services/class-went-live.js';
import type { MeetWebhookEvent } from './livekit-event.js';
import { publishedUnallowed, type StudentStanding, takeBackPublishing } from './unauthorised-publishing.js';

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

interface Applied {
  outcome: WebhookOutcome;
  /** A class this event made LIVE. */
  wentLive?: LiveClassModel;
  /** A participant a moderator removed from this class, back in its room. */
  evict?: { liveClass: LiveClassModel; identity: string };
  /** A student who published without a moderator's leave (webhooks/unauthorised-publishing.ts). */
  silence?: { liveClass: LiveClassModel; identity: string; standing: StudentStanding };
  /** An egress still recording a class that is over, to stop (RecordingControl.stopOutlived). */
  outlived?: RecordingModel;
}

export class LiveKitWebhookHandler {
  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly recordings: RecordingControl,
    private readonly log: Logger,
    /** To remove again users a moderator removed; without it (tests of other concerns) reconciliation does. */
    private readonly livekit?: LiveKitApi,
    /** Moodle's teachers of a course, for tokens naming no role; without it such a token moderates nothing. */
    private readonly roster?: CourseRoster,
  ) {}

  async handle(event: MeetWebhookEvent): Promise<WebhookOutcome> {
    // Asked before the transaction, so no class row stays locked while academy answers.
    const teachers = await this.teachersForRoleless(event);
    const applied = await this.db.transaction().execute(async (trx): Promise<Applied> => {
      const fresh = await new WebhookEventRepository(trx).claim(event);
      if (!fresh) return { outcome: 'duplicate' };
      return this.apply(trx, event, teachers);
    });
    // After commit: LiveKit is called outside the transaction (reconciliation does the same when it makes a class LIVE).
    if (applied.wentLive) await classWentLive(this.recordings, applied.wentLive, this.log);
    if (applied.evict) await this.evict(applied.evict.liveClass, applied.evict.identity);
    if (applied.outlived) await this.stopOutlived(applied.outlived);
    if (applied.silence) {
      const { liveClass, identity, standing } = applied.silence;
      if (this.livekit) await takeBackPublishing(this.db, this.livekit, liveClass, identity, this.log, standing);
      else this.log.warn(applied.silence, 'a student published without being promoted');
    }
    return applied.outcome;
  }

  private async stopOutlived(recording: RecordingModel): Promise<void> {
    try {
      await this.recordings.stopOutlived(recording);
    } catch (error) {
      // Reconciliation follows the recording and tries again.
      this.log.warn({ err: error, liveClassId: recording.liveClassId, egressId: recording.egressId }, 'could not stop an egress recording a class that is over');
    }
  }

  private async evict(liveClass: LiveClassModel, identity: string): Promise<void> {
    try {
      const outcome = await this.livekit!.removeParticipant(liveClass.roomName, identity);
      if (outcome === 'unconfirmed') this.log.warn({ liveClassId: liveClass.id, identity }, 'LiveKit did not confirm removing a participant a moderator had removed');
      if (outcome !== 'removed') return; // gone meanwhile, or reconciliation looks again
      await recordModeration(this.db, liveClass, MEET_ITSELF, { action: 'REMOVED', targetUserId: identity, detail: 'removed', standing: {} });
    } catch (error) {
      // Reconciliation tries again.
      this.log.warn({ err: error, liveClassId: liveClass.id, identity }, 'could not remove a participant a moderator had removed');
    }
  }

  /**
   * The course's teachers as Moodle has them, when a person whose token names no role (livekit/participants.ts) joins
   * a class not yet LIVE, or publishes; null when academy cannot say (the person then waits, and reconciliation asks
   * again; their publishing is taken back, and a teacher may publish again on joining with meet's token).
   */
  private async teachersForRoleless(event: MeetWebhookEvent): Promise<ReadonlySet<string> | null> {
    const joining = event.event === 'participant_joined';
    if ((!joining && event.event !== 'track_published') || !event.participant || !event.roomName || !this.roster || !needsMoodleRole(event.participant)) return null;
    const [liveClass] = await new LiveClassRepository(this.db).listByRoomNames([event.roomName]);
    if (!liveClass || (joining && (!(NOT_STARTED as readonly string[]).includes(liveClass.status) || !liveClass.waitForModerator))) return null;
    try {
      const course = await this.roster(liveClass.companyId, liveClass.courseId);
      return new Set(course?.teachers.map((teacher) => teacher.id));
    } catch (error) {
      this.log.warn({ err: error, liveClassId: liveClass.id }, 'academy could not say whether a participant without a role teaches the course');
      return null;
    }
  }

  private async apply(trx: Transaction<MeetDatabase>, event: MeetWebhookEvent, teachers: ReadonlySet<string> | null): Promise<Applied> {
    if (event.event.startsWith('egress_')) return this.applyEgress(trx, event);
    if (!event.roomName) return { outcome: 'ignored' };
    const classes = new LiveClassRepository(trx);
    const liveClass = await classes.findByRoomForUpdate(event.roomName);
    if (!liveClass) return { outcome: 'ignored' }; // a room that is not a class of ours

    switch (event.event) {
      case 'room_started': {
        // Rooms are opened ahead of the class (jobs/room-opening.ts) and LiveKit sends room_started on creation, so an
        // empty room is no class in progress; who joins decides (participant_joined). room_started only makes a class
        // LIVE when its room already holds participants and the class does not wait for a moderator (the count does
        // not say who they are: reconciliation looks). Reconciliation ends any LIVE class whose room is gone or whose
        // end plus grace has passed, so LIVE never lasts forever.
        if (!liveClass.roomOpenedAt && ['SCHEDULED', 'WAITING', 'LIVE'].includes(liveClass.status)) {
          await classes.markRoomOpened(liveClass.id, event.createdAt);
        }
        if (liveClass.status !== 'SCHEDULED' || event.roomParticipants <= 0 || liveClass.waitForModerator) return { outcome: 'ignored' };
        const live = await markLive(trx, liveClass, event.createdAt);
        return { outcome: 'applied', wentLive: live };
      }
      case 'room_finished': {
        // LiveKit delivers webhooks concurrently and retries late: the finish of a room closed before this class went LIVE
        // (students waited, left, the room closed; the teacher then opened a new one) is no end of it.
        if (liveClass.startedAt && event.createdAt < liveClass.startedAt) return { outcome: 'ignored' };
        // A room that closes before anyone made the class live (empty timeout, students left) leaves it SCHEDULED, to be opened again.
        if (liveClass.status === 'SCHEDULED') {
          await classes.update(liveClass.id, { room_opened_at: null });
          return { outcome: 'applied' };
        }
        if (liveClass.status === 'WAITING') {
          await stopWaiting(trx, liveClass, event.createdAt);
          return { outcome: 'applied' };
        }
        if (liveClass.status !== 'LIVE') return { outcome: 'ignored' };
        await markEnded(trx, liveClass, event.createdAt, 'room_finished');
        return { outcome: 'applied' };
      }
      case 'participant_joined': {
        const participant = event.participant;
        if (!participant) return { outcome: 'ignored' };
        const joinedAt = participant.joinedAt ?? event.createdAt;
        if (liveClass.status === 'ENDED' && liveClass.endedAt && joinedAt < liveClass.endedAt) {
          // Delivered after room_finished: a presence in the class's room, until its end at the latest (its left may follow).
          await this.recordSession(trx, liveClass, event, { joinedAt, leftAt: liveClass.endedAt, leftInferred: true });
          return { outcome: 'applied' };
        }
        if (!['SCHEDULED', 'WAITING', 'LIVE'].includes(liveClass.status)) return { outcome: 'ignored' };
        let current = liveClass;
        // Recorders, ingress, SIP and agents never open a class; a student before any teacher waits.
        if (participantKind(participant) === 'STANDARD' && current.status !== 'LIVE') {
          current = opensClass(participant, current, teachers) ? await markLive(trx, current, joinedAt) : await markWaiting(trx, current);
        }
        await this.recordSession(trx, current, event, { joinedAt });
        return {
          outcome: 'applied',
          wentLive: current.status === 'LIVE' && current !== liveClass ? current : undefined,
          evict: await this.removedOne(trx, current, participant.identity),
        };
      }
      case 'track_published': {
        const participant = event.participant;
        if (!participant || !['SCHEDULED', 'WAITING', 'LIVE'].includes(liveClass.status)) return { outcome: 'ignored' };
        // A publication that names no track is of a source meet cannot allow either.
        const standing = await publishedUnallowed(trx, liveClass, participant, teachers, [event.trackSource ?? 'UNKNOWN']);
        if (!standing) return { outcome: 'ignored' };
        return { outcome: 'applied', silence: { liveClass, identity: participant.identity, standing } };
      }
      case 'participant_connection_aborted': {
        // Sent instead of participant_left for a session that never became active (and so had no participant_joined):
        // nobody was present; a session reconciliation saw while it was still connecting is forgotten.
        if (!event.participant) return { outcome: 'ignored' };
        await new AttendanceRepository(trx).forgetSession(liveClass.id, event.participant.sid);
        return { outcome: 'applied' };
      }
      case 'participant_left': {
        if (!event.participant) return { outcome: 'ignored' };
        // LiveKit's own time of the departure, never past the class's end (closing the class closed this interval there).
        const leftAt = liveClass.endedAt && liveClass.endedAt < event.createdAt ? liveClass.endedAt : event.createdAt;
        await this.recordSession(trx, liveClass, event, { joinedAt: event.participant.joinedAt, leftAt });
        return { outcome: 'applied' };
      }
      default:
        return { outcome: 'ignored' };
    }
  }

  /** The participant, if a moderator removed them from this class (and meet can tell LiveKit). */
  private async removedOne(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel, identity: string): Promise<Applied['evict']> {
    if (!this.livekit || !isMoodleId(identity)) return undefined;
    const standing = await new ClassParticipantRepository(trx).find(liveClass.id, identity);
    return standing?.removed_at ? { liveClass, identity } : undefined;
  }

  private recordSession(
    trx: Transaction<MeetDatabase>,
    liveClass: LiveClassModel,
    event: MeetWebhookEvent,
    times: { joinedAt?: Date | null; leftAt?: Date | null; leftInferred?: boolean },
  ) {
    return new AttendanceRepository(trx).recordSession({ ...sessionOf(liveClass, event.participant!), ...times });
  }

  private async applyEgress(trx: Transaction<MeetDatabase>, event: MeetWebhookEvent): Promise<Applied> {
    if (!event.egress?.egressId) return { outcome: 'ignored' };
    const { changed, outlived } = await applyEgress(trx, event.egress, this.recordings.files.storage);
    return { outcome: changed ? 'applied' : 'ignored', ...(outlived && { outlived: outlived.recording }) };
  }
}
