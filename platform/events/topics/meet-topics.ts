/**
 * Meet's topics: a live class's lifecycle and its recordings. The ids a
 * consumer needs to act are required; the rest of the class's snapshot is
 * typed when present.
 */
import { boolean, dateTime, decimalId, integer, object, oneOf, optional, string, uuid } from '../payload-schema.js';
import { defineTopic } from '../topic-registry.js';

const liveClass = object({
  company_id: uuid(),
  live_class_id: uuid(),
  /** Moodle course id. */
  course_id: decimalId(),
  title: optional(string()),
  description: optional(string()),
  scheduled_at: optional(dateTime()),
  duration_minutes: optional(integer({ min: 1 })),
  status: optional(oneOf(['SCHEDULED', 'WAITING', 'LIVE', 'ENDED', 'CANCELLED'])),
  started_at: optional(dateTime()),
  ended_at: optional(dateTime()),
  room_name: optional(string()),
  /** Moodle user id of the teacher holding the class. */
  host_user_id: optional(decimalId()),
  /** Moodle user id of whoever made the change; null (or absent, in events queued before it existed) for LiveKit- and job-driven changes. */
  actor_id: optional(decimalId()),
});

const recording = object({
  company_id: uuid(),
  recording_id: uuid(),
  live_class_id: uuid(),
  course_id: decimalId(),
  status: optional(oneOf(['RECORDING', 'PROCESSING', 'READY', 'FAILED', 'DELETED'])),
  duration_seconds: optional(integer({ min: 0 })),
  /** Whether students see it (absent in events queued before publishing existed). */
  published: optional(boolean()),
  /** As for classes: null when egress finished it (webhook or reconciliation); absent in older events. */
  actor_id: optional(decimalId()),
});

const classKey = (p: { live_class_id: string }) => p.live_class_id;
const classTopic = (name: string, description: string) => defineTopic(name, { schema: liveClass, keyOf: classKey, description });

export const meetTopics = {
  'meet.class.scheduled': classTopic('meet.class.scheduled', 'A live class was scheduled.'),
  'meet.class.updated': classTopic('meet.class.updated', 'A live class changed (title, time, duration...).'),
  'meet.class.cancelled': classTopic('meet.class.cancelled', 'A live class was cancelled.'),
  'meet.class.waiting': classTopic('meet.class.waiting', 'Students are in a live class\u2019s room, waiting for its host or a teacher (WAITING).'),
  'meet.class.started': classTopic('meet.class.started', 'A live class went live (its room opened).'),
  'meet.class.ended': classTopic('meet.class.ended', 'A live class ended.'),
  'meet.class.moderated': defineTopic('meet.class.moderated', {
    schema: object({
      company_id: uuid(),
      live_class_id: uuid(),
      course_id: decimalId(),
      action: oneOf(['HAND_RAISED', 'HAND_LOWERED', 'PROMOTED', 'DEMOTED', 'SOURCE_REVOKED', 'TRACK_MUTED', 'REMOVED', 'READMITTED']),
      /** Moodle user id of the participant the action was about. */
      target_user_id: decimalId(),
      /** Null when meet itself acted (reconciliation removing a user no longer enrolled). */
      actor_id: optional(decimalId()),
    }),
    keyOf: classKey,
    description: 'Moderation in a live class: a hand raised or lowered, a participant promoted, demoted, held to a promoted student\u2019s sources, muted, removed or re-admitted.',
  }),
  'meet.recording.ready': defineTopic('meet.recording.ready', {
    schema: recording,
    keyOf: (p) => p.recording_id,
    description: 'A recording finished processing and can be played.',
  }),
  'meet.recording.published': defineTopic('meet.recording.published', {
    schema: recording,
    keyOf: (p) => p.recording_id,
    description: 'A teacher published a recording: students see it.',
  }),
  'meet.recording.unpublished': defineTopic('meet.recording.unpublished', {
    schema: recording,
    keyOf: (p) => p.recording_id,
    description: 'A teacher unpublished a recording: students no longer see it.',
  }),
};
