/**
 * Publishing meet never allowed. Students publish only once a moderator
 * promoted them, and joinLiveClass's tokens hold them to it in LiveKit; but
 * a token naming no role (an integrator's) or a permission changed through
 * LiveKit's API behind meet's back may let a student publish anyway. When
 * LiveKit's track_published says so, meet takes publishing back as a
 * demotion does (UpdateParticipant with a listener's permission: LiveKit
 * unpublishes the tracks), rather than removing the student from the class,
 * and audits it (no actor, detail `unauthorised_publish`).
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import { isModerator, participantKind, type ParticipantFacts } from '../livekit/participants.js';
import { studentPermission } from '../livekit/permissions.js';
import type { LiveClassModel } from '../models.js';
import { ClassParticipantRepository } from '../repositories/class-participant-repository.js';
import { isMoodleId } from '../repositories/ids.js';
import { MEET_ITSELF, recordModeration } from '../services/moderation-record.js';

/**
 * Did this person publish without meet's leave: a Moodle user, neither a moderator (teachers' tokens; a token
 * naming no role, by Moodle's `teachers`) nor a student a moderator promoted? Service participants publish as they
 * must (ingress, agents, SIP), and identities that are no Moodle user are no student of the class.
 */
export async function publishedUnallowed(
  db: Kysely<MeetDatabase>,
  liveClass: LiveClassModel,
  participant: ParticipantFacts,
  teachers: ReadonlySet<string> | null,
): Promise<boolean> {
  if (participantKind(participant) !== 'STANDARD' || !isMoodleId(participant.identity) || isModerator(participant, teachers)) return false;
  const standing = await new ClassParticipantRepository(db).find(liveClass.id, participant.identity);
  return !standing?.promoted_at;
}

/** Takes publishing back in LiveKit and audits it; a participant gone meanwhile is left be. */
export async function takeBackPublishing(db: Kysely<MeetDatabase>, livekit: LiveKitApi, liveClass: LiveClassModel, identity: string, log: Logger): Promise<void> {
  log.warn({ liveClassId: liveClass.id, identity }, 'a student published without being promoted; taking publishing back');
  try {
    if (!(await livekit.setPermission(liveClass.roomName, identity, studentPermission('listener')))) return;
    await recordModeration(db, liveClass, MEET_ITSELF, { action: 'DEMOTED', targetUserId: identity, detail: 'unauthorised_publish', standing: { promoted_at: null } });
  } catch (error) {
    log.warn({ err: error, liveClassId: liveClass.id, identity }, 'could not take publishing back from a student');
  }
}
