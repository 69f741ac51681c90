/**
 * Join tokens live up to MEET_TOKEN_MAX_TTL_SECONDS, and LiveKit keeps no ban
 * list, so a user un-enrolled or suspended in academy (or removed by a
 * moderator) could stay in, or come back to, a room. Reconciliation asks
 * academy for each live course's participants (its `_entities` contract, as
 * a meet service identity) and removes from the room every person who is
 * neither a participant of the course nor there as a company admin,
 * everyone a moderator removed, and everyone holding a teacher's token (room
 * admin, every source) who is no longer a teacher of the course (Moodle
 * changed their role mid-class): joining again gives them a student's token.
 * The class's host gets no exemption: joinLiveClass asks Moodle about the
 * host like anyone else, and so does reconciliation.
 * Each removal is audited (actor: meet itself). When academy cannot answer,
 * nobody is removed.
 */
import type { Kysely } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { CourseAccess, type CourseParticipants } from '../../../platform/federation/course-access.js';
import { serviceViewer } from '../../../platform/federation/subgraph-call.js';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { ListedParticipant, LiveKitApi, RemovalOutcome } from '../livekit/livekit-api.js';
import { participantKind, tokenFlag, tokenRole } from '../livekit/participants.js';
import type { LiveClassModel } from '../models.js';
import { ClassParticipantRepository } from '../repositories/class-participant-repository.js';
import { isMoodleId } from '../repositories/ids.js';
import { MEET_ITSELF, recordModeration } from '../services/moderation-record.js';

/** A course's teachers and students as academy has them now (active enrolments of users neither deleted nor suspended). */
export type CourseRoster = (companyId: string, courseId: string) => Promise<CourseParticipants | null>;

export function academyRoster(config: PlatformConfig): CourseRoster {
  return (companyId, courseId) => new CourseAccess(config, serviceViewer('meet', companyId)).participants(courseId);
}

export interface RosterRemoval {
  liveClassId: string;
  userId: string;
  reason: 'not_enrolled' | 'not_teacher' | 'removed';
}

export class RosterEnforcement {
  /** Rosters read in this run, by company and course: who may be in the room, and who of them may moderate it. */
  private readonly rosters = new Map<string, Promise<{ enrolled: Set<string>; teachers: Set<string> } | null>>();

  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    private readonly roster: CourseRoster,
    private readonly log: Logger,
  ) {}

  /** Removes from the class's room whoever may no longer be there; returns what it removed. */
  async enforce(liveClass: LiveClassModel, participants: readonly ListedParticipant[]): Promise<RosterRemoval[]> {
    const people = participants.filter(
      (participant) => participantKind(participant) === 'STANDARD' && isMoodleId(participant.identity) && !tokenFlag(participant.metadata, 'admin'),
    );
    if (people.length === 0) return [];
    const roster = await this.rosterOf(liveClass);
    if (!roster) return [];
    const standing = new ClassParticipantRepository(this.db);
    const removals: RosterRemoval[] = [];
    for (const participant of people) {
      const userId = participant.identity;
      const reason = !roster.enrolled.has(userId)
        ? 'not_enrolled'
        : tokenRole(participant.metadata) === 'teacher' && !roster.teachers.has(userId)
          ? 'not_teacher'
          : (await standing.find(liveClass.id, userId))?.removed_at
            ? 'removed'
            : null;
      if (!reason) continue;
      // Gone meanwhile; or not done, or not confirmed (the next run sees whether LiveKit still lists them).
      if ((await this.removeFromRoom(liveClass, userId)) !== 'removed') continue;
      await recordModeration(this.db, liveClass, MEET_ITSELF, {
        action: 'REMOVED',
        targetUserId: userId,
        detail: reason,
        standing: { promoted_at: null, hand_raised_at: null },
      });
      removals.push({ liveClassId: liveClass.id, userId, reason });
    }
    return removals;
  }

  private async removeFromRoom(liveClass: LiveClassModel, userId: string): Promise<RemovalOutcome | null> {
    try {
      const outcome = await this.livekit.removeParticipant(liveClass.roomName, userId);
      if (outcome === 'unconfirmed') this.log.warn({ liveClassId: liveClass.id, userId }, 'reconciliation: LiveKit did not confirm removing a participant');
      return outcome;
    } catch (error) {
      this.log.warn({ err: error, liveClassId: liveClass.id, userId }, 'reconciliation: could not remove a participant');
      return null;
    }
  }

  /** Who may be in the class's room, and who of them teaches the course; null when academy cannot say. Once per course a run. */
  rosterOf(liveClass: LiveClassModel): Promise<{ enrolled: Set<string>; teachers: Set<string> } | null> {
    const key = `${liveClass.companyId}/${liveClass.courseId}`;
    let roster = this.rosters.get(key);
    if (!roster) {
      roster = this.roster(liveClass.companyId, liveClass.courseId).then(
        (course) =>
          course ? { enrolled: new Set([...course.teachers, ...course.students].map((user) => user.id)), teachers: new Set(course.teachers.map((user) => user.id)) } : null,
        (error: unknown) => {
          this.log.warn({ err: error, courseId: liveClass.courseId }, 'reconciliation: academy could not list the course\u2019s participants');
          return null;
        },
      );
      this.rosters.set(key, roster);
    }
    return roster;
  }
}
