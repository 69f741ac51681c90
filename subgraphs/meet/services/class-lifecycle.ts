/**
 * The status changes that LiveKit, teachers and reconciliation all make:
 * students wait (WAITING), a class goes LIVE, a waiting room closes (back to
 * SCHEDULED), a class ENDS. Each runs inside the caller's transaction on a
 * locked row and publishes its event there, crediting `actorId` (null:
 * LiveKit or reconciliation did it).
 */
import type { Transaction } from 'kysely';
import type { MeetDatabase } from '../database.js';
import type { LiveClassModel } from '../models.js';
import { AttendanceRepository } from '../repositories/attendance-repository.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { publishClassEvent, type ActorId } from './class-events.js';

/** Not started yet: nobody who opens the class has come. */
export const NOT_STARTED = ['SCHEDULED', 'WAITING'] as const;
const notStarted = (liveClass: LiveClassModel) => (NOT_STARTED as readonly string[]).includes(liveClass.status);

export async function markLive(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel, at: Date, actorId: ActorId = null): Promise<LiveClassModel> {
  if (!notStarted(liveClass)) return liveClass;
  const live = await new LiveClassRepository(trx).update(liveClass.id, { status: 'LIVE', started_at: at });
  await publishClassEvent(trx, 'meet.class.started', live, actorId);
  return live;
}

/** Students are in the room before any moderator: the class waits (and is not recorded). */
export async function markWaiting(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel): Promise<LiveClassModel> {
  if (liveClass.status !== 'SCHEDULED') return liveClass;
  const waiting = await new LiveClassRepository(trx).update(liveClass.id, { status: 'WAITING' });
  await publishClassEvent(trx, 'meet.class.waiting', waiting, null);
  return waiting;
}

/** The room of a WAITING class closed (everyone left, no teacher came): SCHEDULED again, its room to be opened again. */
export async function stopWaiting(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel, at: Date): Promise<LiveClassModel> {
  if (liveClass.status !== 'WAITING') return liveClass;
  const scheduled = await new LiveClassRepository(trx).update(liveClass.id, { status: 'SCHEDULED', room_opened_at: null });
  await new AttendanceRepository(trx).closeOpen(liveClass.id, at);
  await publishClassEvent(trx, 'meet.class.updated', scheduled, null, { changed: ['status'], previous_status: 'WAITING' });
  return scheduled;
}

/**
 * Ends a class, closing every open attendance interval at the same instant. A class that never went LIVE
 * (no teacher joined: ended by its teacher after its start, or by reconciliation after its end) keeps
 * startedAt null: an open room is no start.
 */
export async function markEnded(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel, at: Date, reason: string, actorId: ActorId = null): Promise<LiveClassModel> {
  if (liveClass.status === 'ENDED' || liveClass.status === 'CANCELLED') return liveClass;
  const endedAt = liveClass.startedAt && at < liveClass.startedAt ? liveClass.startedAt : at;
  const ended = await new LiveClassRepository(trx).update(liveClass.id, {
    status: 'ENDED',
    ended_at: endedAt,
    room_opened_at: null,
  });
  await new AttendanceRepository(trx).closeOpen(liveClass.id, endedAt);
  await publishClassEvent(trx, 'meet.class.ended', ended, actorId, { reason });
  return ended;
}
