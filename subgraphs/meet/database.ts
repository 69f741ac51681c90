/** Kysely types for meet's own tables (schema `meet`). */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type BigInt = string; // int8 as returned by pg: exact, never a float
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type LiveClassStatus = 'SCHEDULED' | 'WAITING' | 'LIVE' | 'ENDED' | 'CANCELLED';
/** LiveKit's ParticipantInfo.Kind names (OTHER: kinds newer than meet knows). */
export type ParticipantKind = 'STANDARD' | 'INGRESS' | 'EGRESS' | 'SIP' | 'AGENT' | 'OTHER';
export type RecordingStatus = 'RECORDING' | 'PROCESSING' | 'READY' | 'FAILED' | 'DELETED';

export interface LiveClassesTable {
  id: Generated<string>;
  company_id: string;
  /** Moodle course id (mdl_course.id). */
  course_id: BigInt;
  title: string;
  description: string | null;
  scheduled_at: Timestamp;
  /** scheduled_at as the DateTime scalar's JSON text, quotes included; null outside years 1 to 9999 (migrations/scheduled-at-json.ts). */
  scheduled_at_json: GeneratedAlways<string | null>;
  duration_minutes: number;
  status: Generated<LiveClassStatus>;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  room_name: string;
  /** Moodle user id of the teacher who holds the class. */
  host_user_id: BigInt;
  record: Generated<boolean>;
  /** LIVE only once the host, a teacher or an admin joins; students before wait (WAITING). */
  wait_for_moderator: Generated<boolean>;
  /** When we asked LiveKit for the room (null: not yet, or it has closed since). */
  room_opened_at: Timestamp | null;
  /** Passport subject of whoever scheduled it. */
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RecordingsTable {
  id: Generated<string>;
  company_id: string;
  live_class_id: string;
  /** Denormalised from the class, so access checks need no join. */
  course_id: BigInt;
  egress_id: string;
  status: Generated<RecordingStatus>;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: number | null;
  size_bytes: BigInt | null;
  /** `local` (a file under the recordings directory) or `s3`. */
  storage: string;
  /** The file's path relative to the recordings directory, or its S3 key. */
  file_key: string | null;
  /** Where LiveKit says it wrote the file. */
  location: string | null;
  error: string | null;
  /** Visible to students (teachers see unpublished ones too). */
  published: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One stay of one participant session in a room: LiveKit's participant sid identifies it. */
export interface AttendanceTable {
  id: Generated<string>;
  company_id: string;
  live_class_id: string;
  /** Moodle user id when the identity is one. */
  user_id: BigInt | null;
  participant_identity: string;
  participant_sid: string;
  participant_kind: Generated<ParticipantKind>;
  /** Null while only the `left` event of this session has been seen. */
  joined_at: Timestamp | null;
  left_at: Timestamp | null;
  /** When reconciliation last saw the session in the room: where an interval whose `left` was lost is closed. */
  last_seen_at: Timestamp | null;
  /** `left_at` is meet's inference (the class ended, reconciliation no longer saw it), not LiveKit's participant_left. */
  left_inferred: Generated<boolean>;
  created_at: CreatedAt;
}

/** LiveKit webhook ids already applied: deliveries are at least once. */
export interface WebhookEventsTable {
  id: string;
  event: string;
  room_name: string | null;
  created_at: Timestamp;
  received_at: CreatedAt;
}

/** One user's standing in one class, as moderators left it (no row: never moderated). */
export interface ClassParticipantsTable {
  live_class_id: string;
  /** Moodle user id (the LiveKit identity meet gives the user). */
  user_id: BigInt;
  company_id: string;
  /** A student asking to speak; cleared when lowered or promoted. */
  hand_raised_at: Timestamp | null;
  /** May publish camera and microphone (also when joining again); null once demoted. */
  promoted_at: Timestamp | null;
  /** Removed by a moderator: joins are refused until re-admitted. */
  removed_at: Timestamp | null;
  updated_at: UpdatedAt;
}

export type ModerationAction = 'HAND_RAISED' | 'HAND_LOWERED' | 'PROMOTED' | 'DEMOTED' | 'SOURCE_REVOKED' | 'TRACK_MUTED' | 'REMOVED' | 'READMITTED';

/** The audit of moderation: one row per action, updated only to settle one LiveKit did not confirm (moderation-record.ts). */
export interface ModerationLogTable {
  id: Generated<string>;
  company_id: string;
  live_class_id: string;
  action: ModerationAction;
  /** Moodle user id of who acted; null for meet itself (reconciliation) or a user without one. */
  actor_user_id: BigInt | null;
  /** Passport subject of who acted (`service:meet` for reconciliation). */
  actor_subject: string;
  target_user_id: BigInt;
  /** The muted track, or why meet removed someone (`not_enrolled`, `removed`); ` unconfirmed` ends it while LiveKit did not confirm. */
  detail: string | null;
  created_at: CreatedAt;
}

/** A class's recording start under way, claimed until its recording is written (recordings/recording-control.ts). */
export interface RecordingStartsTable {
  live_class_id: string;
  /** The starter's own token: only it drops the claim. */
  claim: string;
  claimed_at: UpdatedAt;
  /** Set when LiveKit's answer to the start was lost: it may have started an egress meet does not know yet. */
  unconfirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The file path the start asks egress for: its egress, should meet learn of it unanswered, is the one naming it. */
  file_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MeetDatabase {
  live_classes: LiveClassesTable;
  recordings: RecordingsTable;
  recording_starts: RecordingStartsTable;
  attendance: AttendanceTable;
  webhook_events: WebhookEventsTable;
  class_participants: ClassParticipantsTable;
  moderation_log: ModerationLogTable;
}
