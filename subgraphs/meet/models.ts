/** What meet's resolvers work with (the codegen mappers point here). */
import type { LiveClassStatus, ModerationAction, ParticipantKind, RecordingStatus } from './database.js';

export type { LiveClassStatus, ModerationAction, ParticipantKind, RecordingStatus };
export type CourseRoleName = 'TEACHER' | 'STUDENT';

export interface LiveClassModel {
  id: string;
  companyId: string;
  courseId: string;
  title: string;
  description: string | null;
  scheduledAt: Date;
  durationMinutes: number;
  endsAt: Date;
  status: LiveClassStatus;
  startedAt: Date | null;
  endedAt: Date | null;
  roomName: string;
  hostUserId: string;
  record: boolean;
  waitForModerator: boolean;
  roomOpenedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordingModel {
  id: string;
  companyId: string;
  liveClassId: string;
  courseId: string;
  egressId: string;
  status: RecordingStatus;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  storage: string;
  fileKey: string | null;
  location: string | null;
  published: boolean;
  createdAt: Date;
}

export interface AttendanceIntervalModel {
  joinedAt: Date;
  leftAt: Date | null;
}

/** One participant's presence (a user, or an identity academy cannot resolve), aggregated from their intervals. */
export interface AttendanceModel {
  /** Moodle user id, when the identity is one. */
  userId: string | null;
  identity: string;
  kind: ParticipantKind;
  joinedAt: Date;
  leftAt: Date | null;
  secondsPresent: number;
  intervals: AttendanceIntervalModel[];
}

export type TrackSourceName = 'CAMERA' | 'MICROPHONE' | 'SCREEN_SHARE' | 'SCREEN_SHARE_AUDIO' | 'UNKNOWN';

export interface RaisedHandModel {
  userId: string;
  raisedAt: Date;
}

/** A person in a class's LiveKit room (from LiveKit's ParticipantInfo) with meet's moderation state. */
export interface RoomParticipantModel {
  identity: string;
  /** Moodle user id, when the identity is one. */
  userId: string | null;
  name: string | null;
  moderator: boolean;
  canPublish: boolean;
  canPublishSources: TrackSourceName[];
  tracks: { sid: string; source: TrackSourceName; muted: boolean }[];
  handRaisedAt: Date | null;
  promoted: boolean;
}

export interface ModerationEntryModel {
  id: string;
  action: ModerationAction;
  actorUserId: string | null;
  targetUserId: string;
  detail: string | null;
  at: Date;
}

/** A Course representation as the gateway sends it (`viewerRole` through @requires). */
export interface CourseReference {
  id: string;
  viewerRole?: CourseRoleName | null;
}

/** Filters of `liveClasses` lists. */
export interface LiveClassFilter {
  status?: readonly LiveClassStatus[] | null;
  from?: Date | null;
  to?: Date | null;
}
