/**
 * Meet's domain events, written to the outbox in the transaction of the
 * change. Payloads are snake_case, the platform's event contract; academy
 * (Moodle calendar, notifications) and calendar consume them.
 *
 * Topics: meet.class.scheduled, .updated, .cancelled, .waiting, .started, .ended,
 * .moderated (services/moderation-service.ts); meet.recording.ready, .published,
 * .unpublished (schemas in platform/events/topics/meet-topics.ts,
 * which names the class `live_class_id` and the host `host_user_id`; the
 * short names `class_id` and `host_id` are carried too).
 *
 * `actor_id` is the Moodle user id of whoever made the change (a teacher or
 * admin through a mutation), null when LiveKit's webhooks or meet's own jobs
 * made it, or when the user has no Moodle account. Consumers credit the
 * change to the actor (Moodle notifications' sender), else to the host.
 */
import type { Kysely, Transaction } from 'kysely';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { LiveClassModel, RecordingModel } from '../models.js';

export type ClassTopic = 'meet.class.scheduled' | 'meet.class.updated' | 'meet.class.cancelled' | 'meet.class.waiting' | 'meet.class.started' | 'meet.class.ended';

/** Who made a change: a user's Moodle id, or null for LiveKit and meet's jobs. */
export type ActorId = string | null;

export function classPayload(liveClass: LiveClassModel, actorId: ActorId): Record<string, unknown> {
  return {
    class_id: liveClass.id,
    live_class_id: liveClass.id,
    course_id: liveClass.courseId,
    company_id: liveClass.companyId,
    title: liveClass.title,
    description: liveClass.description,
    scheduled_at: liveClass.scheduledAt.toISOString(),
    duration_minutes: liveClass.durationMinutes,
    ends_at: liveClass.endsAt.toISOString(),
    host_id: liveClass.hostUserId,
    host_user_id: liveClass.hostUserId,
    room_name: liveClass.roomName,
    wait_for_moderator: liveClass.waitForModerator,
    status: liveClass.status,
    started_at: liveClass.startedAt?.toISOString() ?? null,
    ended_at: liveClass.endedAt?.toISOString() ?? null,
    actor_id: actorId,
  };
}

export function publishClassEvent(trx: Transaction<any> | Kysely<any>, topic: ClassTopic, liveClass: LiveClassModel, actorId: ActorId, extra: Record<string, unknown> = {}) {
  return publishEvent(trx, { topic, companyId: liveClass.companyId, key: liveClass.id, payload: { ...classPayload(liveClass, actorId), ...extra }, source: 'meet' });
}

/** A recording becomes ready when egress says so (webhook or reconciliation): nobody in particular did it unless `actorId` says. */
export function publishRecordingReady(trx: Transaction<any> | Kysely<any>, recording: RecordingModel, liveClass: LiveClassModel, actorId: ActorId = null) {
  return publishRecordingChange(trx, 'meet.recording.ready', recording, liveClass, actorId);
}

export type RecordingTopic = 'meet.recording.ready' | 'meet.recording.published' | 'meet.recording.unpublished';

export function publishRecordingChange(trx: Transaction<any> | Kysely<any>, topic: RecordingTopic, recording: RecordingModel, liveClass: LiveClassModel, actorId: ActorId) {
  return publishEvent(trx, {
    topic,
    companyId: recording.companyId,
    key: recording.id,
    payload: {
      recording_id: recording.id,
      class_id: recording.liveClassId,
      live_class_id: recording.liveClassId,
      status: recording.status,
      course_id: recording.courseId,
      company_id: recording.companyId,
      title: liveClass.title,
      duration_seconds: recording.durationSeconds,
      size_bytes: recording.sizeBytes,
      published: recording.published,
      actor_id: actorId,
    },
    source: 'meet',
  });
}
