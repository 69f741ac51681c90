/**
 * Who a LiveKit participant is, for meet's rules; the webhook handler and
 * reconciliation ask the same questions of the same ParticipantInfo, so they
 * always agree.
 * - Kind: LiveKit's ParticipantInfo.Kind (an enum number once parsed by
 *   livekit-server-sdk; a webhook's name as sent, since the SDK reads a
 *   name it does not know as 0, STANDARD). Egress recorders, ingress, SIP,
 *   agents and kinds newer than the SDK are not people attending; an
 *   identity `EG_…` without a kind (older servers) is an egress too.
 * - Moderator: whoever joined with a teacher's token (teachers of the
 *   course and admins: the token's metadata, which meet signs and
 *   participants cannot change without canUpdateOwnMetadata); with a token
 *   naming no role, a teacher of the course as Moodle has it now.
 */
import type { LiveClassModel, ParticipantKind } from '../models.js';
import { isMoodleId } from '../repositories/ids.js';

const KINDS: Record<number, ParticipantKind> = { 0: 'STANDARD', 1: 'INGRESS', 2: 'EGRESS', 3: 'SIP', 4: 'AGENT' };

export interface ParticipantFacts {
  identity: string;
  kind?: number | string | null;
  metadata?: string | null;
}

export function participantKind(participant: ParticipantFacts): ParticipantKind {
  const { kind } = participant;
  // A name the installed protocol does not know (a newer LiveKit's kind) is some service, not a person.
  if (typeof kind === 'string') return Object.values(KINDS).includes(kind as ParticipantKind) ? (kind as ParticipantKind) : 'OTHER';
  if (typeof kind === 'number' && kind !== 0) return KINDS[kind] ?? 'OTHER';
  return participant.identity.startsWith('EG_') ? 'EGRESS' : 'STANDARD';
}

/** A session's attendance facts that the participant itself gives (who, which session, what kind), for a class. */
export function sessionOf(liveClass: Pick<LiveClassModel, 'companyId' | 'id'>, participant: ParticipantFacts & { sid: string }) {
  return {
    companyId: liveClass.companyId,
    liveClassId: liveClass.id,
    identity: participant.identity,
    sid: participant.sid,
    kind: participantKind(participant),
    userId: isMoodleId(participant.identity) ? participant.identity : null,
  };
}

/**
 * Is this session in the room as LiveKit's webhooks see it? ListParticipants also lists sessions still connecting
 * (JOINING: signalling only; JOINED: offer received), and participant_joined is sent only once a session turns
 * ACTIVE (ICE connected); one that never does ends in participant_connection_aborted, with no attendance. So only
 * ACTIVE counts (ParticipantInfo.State, an enum number once parsed by livekit-server-sdk).
 */
export function isPresent(participant: { state?: number | string | null }): boolean {
  return participant.state === 2 || participant.state === 'ACTIVE';
}

/** The role meet put in the participant's join token ('teacher' or 'student'), if any. */
export function tokenRole(metadata: string | null | undefined): string | null {
  if (!metadata) return null;
  try {
    const parsed = JSON.parse(metadata) as { role?: unknown };
    return typeof parsed?.role === 'string' ? parsed.role : null;
  } catch {
    return null;
  }
}

/** A true flag meet put in the participant's join token metadata (`admin`: joined as a company admin). */
export function tokenFlag(metadata: string | null | undefined, flag: string): boolean {
  if (!metadata) return false;
  try {
    return (JSON.parse(metadata) as Record<string, unknown> | null)?.[flag] === true;
  } catch {
    return false;
  }
}

/**
 * Does a token naming no role (minted before meet carried roles, or by an integrator with the API key) leave this
 * person's standing to Moodle? Then the caller asks academy for the course's teachers (`isModerator`'s `teachers`).
 */
export function needsMoodleRole(participant: ParticipantFacts): boolean {
  return participantKind(participant) === 'STANDARD' && tokenRole(participant.metadata) === null && isMoodleId(participant.identity);
}

/**
 * Does this person moderate the class (and so open it)? Whoever holds a teacher's token (teachers and admins, as
 * joinLiveClass decided); a token naming no role counts as Moodle's say (`teachers`: the course's teachers, asked of
 * academy; unknown, nobody). Being the class's host is no role: joinLiveClass gives a host Moodle made a student a
 * student's token, and a token without a role decides no differently.
 */
export function isModerator(participant: ParticipantFacts, teachers?: ReadonlySet<string> | null): boolean {
  if (participantKind(participant) !== 'STANDARD') return false;
  const role = tokenRole(participant.metadata);
  return role === 'teacher' || (role === null && !!teachers?.has(participant.identity));
}

/** Does this participant open the class: a moderator, or any person when the class does not wait for one? */
export function opensClass(participant: ParticipantFacts, liveClass: Pick<LiveClassModel, 'waitForModerator'>, teachers?: ReadonlySet<string> | null): boolean {
  if (participantKind(participant) !== 'STANDARD') return false;
  return !liveClass.waitForModerator || isModerator(participant, teachers);
}
