/**
 * findMeetingTimes: candidate starts every `step` in the window; a candidate
 * fits when every required attendee is within their working hours (in their
 * zone) and has nothing BUSY or OUT_OF_OFFICE over it (their calendar events,
 * live classes, approved leave and CalDAV-pulled events alike: free/busy's
 * intervals). Fitting candidates are ranked: optional attendees who can
 * come, fewer TENTATIVE answers in the way, then earlier. Every refusal is
 * counted per required attendee and obstacle, which is the answer when
 * nothing fits.
 */
import { badInput } from '../../../platform/errors.js';
import { MAX_FREE_BUSY_USERS, type FreeBusyService, type StatusInterval } from './free-busy-service.js';
import type { WorkingHoursModel } from '../repositories/working-hours-repository.js';
import type { UserDirectory } from './user-directory.js';
import { workingWindows } from './working-hours.js';

export const MAX_FIND_DAYS = 31;
const MINUTE = 60_000;
type Obstacle = 'BUSY' | 'OUT_OF_OFFICE' | 'OUTSIDE_WORKING_HOURS';

export interface FindMeetingTimesArgs {
  attendeeIds: readonly string[];
  optionalAttendeeIds?: readonly string[] | null;
  durationMinutes: number;
  from: Date;
  to: Date;
  stepMinutes?: number | null;
  limit?: number | null;
}

function bounded(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be a whole number from ${min} to ${max}`, field);
  return value;
}

export class MeetingTimeFinder {
  constructor(
    private readonly freeBusy: FreeBusyService,
    private readonly users: UserDirectory,
  ) {}

  async find(args: FindMeetingTimesArgs) {
    const duration = bounded(args.durationMinutes, 5, 24 * 60, 'durationMinutes') * MINUTE;
    const step = bounded(args.stepMinutes ?? 30, 5, 240, 'stepMinutes') * MINUTE;
    const limit = bounded(args.limit ?? 10, 1, 50, 'limit');
    if (args.from >= args.to) throw badInput('`from` must be before `to`', 'from');
    if (args.to.getTime() - args.from.getTime() > MAX_FIND_DAYS * 86_400_000) throw badInput(`The window may span at most ${MAX_FIND_DAYS} days`, 'to');
    if (args.attendeeIds.length === 0) throw badInput('Name at least one attendee', 'attendeeIds');
    const required = await this.users.requireCompanyUsers(args.attendeeIds, 'attendeeIds');
    const optional = (await this.users.requireCompanyUsers(args.optionalAttendeeIds ?? [], 'optionalAttendeeIds')).filter((id) => !required.includes(id));
    const everyone = [...required, ...optional];
    if (everyone.length > MAX_FREE_BUSY_USERS) throw badInput(`At most ${MAX_FREE_BUSY_USERS} attendees`, 'attendeeIds');
    const [intervals, hours] = await Promise.all([this.freeBusy.statusIntervals(everyone, args.from, args.to), this.freeBusy.hoursOf(everyone)]);

    return rankSlots({ required, optional, intervals, hours, from: args.from, to: args.to, duration, step, limit });
  }
}

/** What the ranking needs, all read already: pure, so that the bench can time it alone. */
export interface SlotSearch {
  required: readonly string[];
  optional: readonly string[];
  intervals: ReadonlyMap<string, readonly StatusInterval[]>;
  hours: ReadonlyMap<string, WorkingHoursModel>;
  from: Date;
  to: Date;
  /** Milliseconds. */
  duration: number;
  step: number;
  limit: number;
}

export function rankSlots({ required, optional, intervals, hours, from, to, duration, step, limit }: SlotSearch) {
  const windows = new Map([...required, ...optional].map((id) => [id, workingWindows(hours.get(id)!, from, to)]));
  const obstacleOf = (userId: string, start: Date, end: Date): { obstacle: Obstacle | null; tentative: boolean } => {
    if (!windows.get(userId)!.some((w) => w.start <= start && w.end >= end)) return { obstacle: 'OUTSIDE_WORKING_HOURS', tentative: false };
    const over = (intervals.get(userId) ?? []).filter((i: StatusInterval) => i.start < end && i.end > start);
    if (over.some((i) => i.status === 'OUT_OF_OFFICE')) return { obstacle: 'OUT_OF_OFFICE', tentative: false };
    if (over.some((i) => i.status === 'BUSY')) return { obstacle: 'BUSY', tentative: false };
    return { obstacle: null, tentative: over.length > 0 };
  };

  const rejected = new Map<string, number>();
  const slots: { start: Date; end: Date; score: number; unavailable: { id: string }[] }[] = [];
  const first = Math.ceil(from.getTime() / step) * step;
  const count = Math.max(1, Math.floor((to.getTime() - duration - first) / step) + 1);
  for (let at = first, index = 0; at + duration <= to.getTime(); at += step, index++) {
    const start = new Date(at);
    const end = new Date(at + duration);
    let fits = true;
    let tentative = 0;
    for (const userId of required) {
      const { obstacle, tentative: soft } = obstacleOf(userId, start, end);
      if (obstacle) {
        fits = false;
        rejected.set(`${userId}/${obstacle}`, (rejected.get(`${userId}/${obstacle}`) ?? 0) + 1);
      } else if (soft) tentative++;
    }
    if (!fits) continue;
    const unavailable = optional.filter((userId) => obstacleOf(userId, start, end).obstacle);
    const score = optional.length - unavailable.length - tentative * 0.5 + (1 - index / count) * 0.1;
    slots.push({ start, end, score: Math.round(score * 1000) / 1000, unavailable: unavailable.map((id) => ({ id })) });
  }
  slots.sort((a, b) => b.score - a.score || a.start.getTime() - b.start.getTime());
  const rejections = [...rejected]
    .map(([key, slots]) => {
      const [id, reason] = key.split('/') as [string, Obstacle];
      return { user: { id }, reason, slots };
    })
    .sort((a, b) => b.slots - a.slots);
  return { slots: slots.slice(0, limit), rejections };
}
