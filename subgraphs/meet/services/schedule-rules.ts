/** What a valid schedule is, and which status changes a class allows. */
import { randomBytes } from 'node:crypto';
import { badInput, conflict } from '../../../platform/errors.js';
import type { LiveClassModel, LiveClassStatus } from '../models.js';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const DURATION_MIN = 5;
export const DURATION_MAX = 480;

export function validTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badInput('The title must not be empty', 'title');
  if (trimmed.length > TITLE_MAX) throw badInput(`The title must be at most ${TITLE_MAX} characters`, 'title');
  return trimmed;
}

export function validDescription(description: string | null | undefined): string | null {
  const trimmed = description?.trim();
  if (!trimmed) return null;
  if (trimmed.length > DESCRIPTION_MAX) throw badInput(`The description must be at most ${DESCRIPTION_MAX} characters`, 'description');
  return trimmed;
}

export function validDuration(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < DURATION_MIN || minutes > DURATION_MAX) {
    throw badInput(`The duration must be ${DURATION_MIN} to ${DURATION_MAX} minutes`, 'durationMinutes');
  }
  return minutes;
}

export function validStart(scheduledAt: Date, now = new Date()): Date {
  if (scheduledAt.getTime() <= now.getTime()) throw badInput('A class must be scheduled in the future', 'scheduledAt');
  return scheduledAt;
}

/** `class-<course>-<8 hex>`: readable in LiveKit's dashboards, unguessable enough, unique by constraint. */
export function newRoomName(courseId: string): string {
  return `class-${courseId}-${randomBytes(4).toString('hex')}`;
}

const WHY_NOT: Record<LiveClassStatus, string> = {
  SCHEDULED: 'it has not started yet',
  WAITING: 'it has not started yet (students are waiting for a teacher)',
  LIVE: 'it is live',
  ENDED: 'it has ended',
  CANCELLED: 'it was cancelled',
};

/** CONFLICT unless the class is in one of the allowed statuses. */
export function requireStatus(liveClass: LiveClassModel, allowed: readonly LiveClassStatus[], action: string): void {
  if (!allowed.includes(liveClass.status)) throw conflict(`Cannot ${action} live class ${liveClass.id}: ${WHY_NOT[liveClass.status]}`);
}

/**
 * Ending a class nobody joined (still SCHEDULED, room open or not): once its start has come, the teacher may close
 * it (nobody came; it ends with no start). Before its start there is nothing to end: the teacher means to call it
 * off, which cancelLiveClass does and announces (Moodle notifies the students), so it is refused with that advice
 * rather than silently turned into a cancel the caller did not ask for.
 */
export function requireEndable(liveClass: LiveClassModel, now: Date): void {
  if ((liveClass.status === 'SCHEDULED' || liveClass.status === 'WAITING') && now < liveClass.scheduledAt) {
    throw conflict(`Cannot end live class ${liveClass.id}: nobody has joined and it has not started yet; use cancelLiveClass to call it off`);
  }
}
