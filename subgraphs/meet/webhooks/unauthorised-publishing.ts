/**
 * Publishing meet never allowed. Students publish only once a moderator
 * promoted them, and then only camera and microphone (livekit/permissions.ts),
 * and joinLiveClass's tokens hold them to it in LiveKit; but
 * a token naming no role (an integrator's) or a permission changed through
 * LiveKit's API behind meet's back may let a student publish anyway. When
 * LiveKit's track_published says so, meet takes publishing back as a
 * demotion does (UpdateParticipant with a listener's permission: LiveKit
 * unpublishes the tracks), rather than removing the student from the class,
 * and audits it (no actor, detail `unauthorised_publish`). A promoted
 * student's screen share is taken back the same way, to a speaker's
 * permission: they stay promoted (detail `unauthorised_source`).
 * Reconciliation also judges what LiveKit lets a student publish: taken
 * back alike, its audit's detail is `unauthorised_permission`. When LiveKit's
 * answer to the takeback is lost (a timeout, a reset), it may have acted: the
 * next judge would then find nothing to take back, so the takeback is audited
 * there and then, its detail the reason then `unconfirmed`
 * (`unauthorised_publish unconfirmed`). Had LiveKit not acted, the next judge
 * takes it back again and settles that row (services/moderation-record.ts):
 * one takeback, one audit row, `unconfirmed` dropped once LiveKit confirmed.
 * A moderator's demotion whose answer was lost is finished the same way.
 */
import { type Kysely, sql } from 'kysely';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { ListedParticipant, LiveKitApi } from '../livekit/livekit-api.js';
import { isModerator, participantKind, type ParticipantFacts } from '../livekit/participants.js';
import { publishableSources, sourceName, studentPermission } from '../livekit/permissions.js';
import type { LiveClassModel, TrackSourceName } from '../models.js';
import { ClassParticipantRepository } from '../repositories/class-participant-repository.js';
import { isMoodleId } from '../repositories/ids.js';
import { ModerationLogRepository } from '../repositories/moderation-log-repository.js';
import { isUnconfirmed, MEET_ITSELF, recordModerationIn, unconfirmedDetail } from '../services/moderation-record.js';

/** What a promoted student may publish (a speaker's sources, livekit/permissions.ts). */
const SPEAKER_SOURCES: readonly TrackSourceName[] = ['CAMERA', 'MICROPHONE'];

/**
 * Did this person publish any of `sources` (one track's, from a webhook; all their tracks, from reconciliation)
 * without meet's leave: a Moodle user, neither a moderator (teachers' tokens; a token naming no role, by Moodle's
 * `teachers`) nor a student a moderator promoted publishing camera or microphone? The standing to hold them to
 * ('listener', or 'speaker' for a promoted one), else null. Service participants publish as they must (ingress,
 * agents, SIP), and identities that are no Moodle user are no student of the class.
 */
export async function publishedUnallowed(
  db: Kysely<MeetDatabase>,
  liveClass: LiveClassModel,
  participant: ParticipantFacts,
  teachers: ReadonlySet<string> | null,
  sources: readonly TrackSourceName[],
): Promise<StudentStanding | null> {
  if (sources.length === 0 || participantKind(participant) !== 'STANDARD' || !isMoodleId(participant.identity) || isModerator(participant, teachers)) return null;
  const standing = await new ClassParticipantRepository(db).find(liveClass.id, participant.identity);
  if (!standing?.promoted_at) return 'listener';
  return sources.some((source) => !SPEAKER_SOURCES.includes(source)) ? 'speaker' : null;
}

export type StudentStanding = 'listener' | 'speaker';

/**
 * Holds the student to `standing` in LiveKit (it unpublishes what that does not allow) and audits it; a participant
 * gone meanwhile is left be. True when it was done (or, LiveKit's answer lost, may have been: audited `unconfirmed`).
 *
 * No database connection nor lock is held across LiveKit's calls (each up to the SDK's timeout): the standing is
 * read before them, and read again with its row locked only to write the audit. `standing` was judged on reads that
 * may be old by now: a promotion that landed before the first read wins (nothing is taken back: the next publication
 * is judged anew). LiveKit is read again before acting: a student it holds to that standing already (the other judge
 * took the same publication back first, or a moderator demoted them) is left be. Under the lock:
 * - the standing changed during the calls (a moderator promoted, or demoted, them): theirs and this takeback's
 *   UpdateParticipant may have landed in either order, so the standing's permission is set again after the lock.
 *   LiveKit did carry this takeback out (what it took down was down for a moment), so it is audited all the same,
 *   dated when it began (the database's clock before LiveKit was read, or the standing's version if that was
 *   later; both before the moderator's change was claimed, so before their row): a teacher's log reads the
 *   takeback, then the action that won. It leaves the standing as the moderator set it. Two judges who read the
 *   same standing (its version, updated_at, changed by every write of it) and whose takebacks the action overrode
 *   both get here: the second finds the first's row, dated at or after that version, and adds none;
 * - an audit of the same action written since LiveKit was read (another judge acting on the same state at the same
 *   time, or a moderator's demotion) is that takeback's: none is added, so one publication is audited once (one
 *   left `unconfirmed` is settled by a confirmed one, services/moderation-record.ts).
 */
export async function takeBackPublishing(
  db: Kysely<MeetDatabase>,
  livekit: LiveKitApi,
  liveClass: LiveClassModel,
  identity: string,
  log: Logger,
  standing: StudentStanding = 'listener',
): Promise<boolean> {
  try {
    // The database's clock (as the audit's) before LiveKit is read: an audit written after it saw the same state.
    const since = (await sql<{ at: string }>`SELECT clock_timestamp()::text AS at`.execute(db)).rows[0]!.at;
    // The standing judged, and its version: judges that read the same one judged the same state.
    const { promoted: speaker, version } = await new ClassParticipantRepository(db).findVersioned(liveClass.id, identity);
    if (standing === 'listener' && speaker) return false;
    const participant = await livekit.getParticipant(liveClass.roomName, identity);
    const excess = participant && beyond(participant, speaker ? SPEAKER_SOURCES : []);
    if (!excess) return false;
    log.warn(
      { liveClassId: liveClass.id, identity },
      speaker ? 'a promoted student may publish a source only moderators may' : 'a student may publish without being promoted; taking publishing back',
    );
    const outcome = await livekit.holdPermission(liveClass.roomName, identity, studentPermission(speaker ? 'speaker' : 'listener'));
    if (outcome === 'not_in_room') return false;
    if (outcome === 'unconfirmed') log.warn({ liveClassId: liveClass.id, identity }, 'LiveKit did not confirm taking publishing back; audited as unconfirmed');
    const action = speaker ? 'SOURCE_REVOKED' : 'DEMOTED';
    const reason = excess === 'permitted' ? 'unauthorised_permission' : speaker ? 'unauthorised_source' : 'unauthorised_publish';
    const detail = outcome === 'unconfirmed' ? unconfirmedDetail(reason) : reason;
    // The standing to hold LiveKit to again when superseded, else whether this takeback was audited.
    const written = await db.transaction().execute(async (trx): Promise<StudentStanding | boolean> => {
      const now = await new ClassParticipantRepository(trx).lockStanding(liveClass.companyId, liveClass.id, identity);
      if (!!now.promoted_at !== speaker) {
        // LiveKit did apply the takeback (the camera went down), then the moderator's action won: both are audited,
        // the takeback when it began, so before the moderator's row, and leaving their standing as it is; once only,
        // when another judge of the same standing had its takeback overridden too (its row, dated so, is found).
        const from = version ?? '-infinity';
        if (!(await new ModerationLogRepository(trx).auditedFrom(liveClass.id, identity, action, MEET_ITSELF.subject, from))) {
          const at = (await sql<{ at: string }>`SELECT greatest(${since}::timestamptz, ${version}::timestamptz)::text AS at`.execute(trx)).rows[0]!.at;
          await recordModerationIn(trx, liveClass, MEET_ITSELF, { action, targetUserId: identity, detail, standing: {}, at });
        }
        return now.promoted_at ? 'speaker' : 'listener';
      }
      const meanwhile = await new ModerationLogRepository(trx).latestOf(liveClass.id, identity, [action], since);
      if (meanwhile && !isUnconfirmed(meanwhile.detail)) return false;
      await recordModerationIn(
        trx,
        liveClass,
        MEET_ITSELF,
        speaker ? { action, targetUserId: identity, detail, standing: {} } : { action, targetUserId: identity, detail, standing: { promoted_at: null } },
      );
      return true;
    });
    if (typeof written !== 'boolean') {
      log.info({ liveClassId: liveClass.id, identity }, 'a moderator changed the student\u2019s standing during a takeback; LiveKit is held to it again');
      await livekit.holdPermission(liveClass.roomName, identity, studentPermission(written));
      return false;
    }
    return written;
  } catch (error) {
    log.warn({ err: error, liveClassId: liveClass.id, identity }, 'could not take publishing back from a student');
    return false;
  }
}

/** What LiveKit lets the participant do beyond `allowed` sources: publishing (a track up), only permitted, or nothing (null). */
function beyond(participant: ListedParticipant, allowed: readonly TrackSourceName[]): 'published' | 'permitted' | null {
  const outside = (source: TrackSourceName) => !allowed.includes(source);
  if (participant.tracks.some((track) => outside(sourceName(track.source)))) return 'published';
  return publishableSources(participant.permission).some(outside) ? 'permitted' : null;
}
