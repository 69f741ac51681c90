/**
 * Opening a class's LiveKit room: ahead of time by the room-opening job
 * (when the join window opens), or on a join that finds none (fallback).
 * LiveKit answers an existing room with itself, so either may run first, and
 * replicas may race without harm.
 */
import type { Kysely } from 'kysely';
import type { MeetConfig } from '../../../platform/config.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { LiveClassModel } from '../models.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';

export async function openRoom(db: Kysely<MeetDatabase>, livekit: LiveKitApi, settings: MeetConfig, liveClass: LiveClassModel, now: Date): Promise<void> {
  // An empty room lives at least until the scheduled end: a room opened an hour early must still be there at the start.
  const untilEnd = Math.ceil((liveClass.endsAt.getTime() - now.getTime()) / 1000);
  await livekit.createRoom({
    name: liveClass.roomName,
    emptyTimeout: Math.max(settings.roomEmptyTimeoutSeconds, untilEnd),
    departureTimeout: settings.roomDepartureTimeoutSeconds,
    maxParticipants: settings.roomMaxParticipants,
    metadata: JSON.stringify({ class_id: liveClass.id, course_id: liveClass.courseId, company_id: liveClass.companyId }),
  });
  await new LiveClassRepository(db).markRoomOpened(liveClass.id, now);
}
