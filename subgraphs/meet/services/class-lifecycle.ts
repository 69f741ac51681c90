/**
 * The two status changes that LiveKit, teachers and reconciliation all make:
 * a class goes LIVE, a class ENDS. Each runs inside the caller's transaction
 * on a locked row and publishes its event there, crediting `actorId` (null:
 * LiveKit or reconciliation did it).
 */
import type { Transaction } from 'kysely';
import type { MeetDatabase } from '../database.js';
import type { LiveClassModel } from '../models.js';
import { AttendanceRepository } from '../repositories/attendance-repository.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { publishClassEvent, type ActorId } from './class-events.js';

export async function markLive(trx: Transaction<MeetDatabase>, liveClass: LiveClassModel, at: Date, actorId: ActorId = null): Promise<LiveClassModel> {
  if (liveClass.status !== 'SCHEDULED') return liveClass;
  const live = await new LiveClassRepository(trx).update(liveClass.id, { status: 'LIVE', started_at: at });
  await publishClassEvent(trx, 'meet.class.started', live, actorId);
  return live;
}

/**
 * Ends a class, closing every open attendance interval at the same instant. A class that never went LIVE
 * (nobody joined: ended by its teacher after its start, or by reconciliation after its end) keeps
 * startedAt null: an open room is no start, and nobody attended.
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
