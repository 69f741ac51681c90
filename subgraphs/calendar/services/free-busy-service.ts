/**
 * Free/busy of company users: the occurrences of events they organize or have
 * not declined (series-wide or for that occurrence), merged into intervals.
 * Only times are answered, never what the events are.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput } from '../../../platform/errors.js';
import type { CalendarEventModel, EventParticipantModel } from '../models.js';
import type { OccurrenceBudget } from '../recurrence/occurrence-limits.js';
import { occurrencesInRange } from '../recurrence/series-occurrences.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { requireRange } from './date-range.js';
import type { UserDirectory } from './user-directory.js';

/** Events that mark a day without blocking anyone's time (iCalendar TRANSP:TRANSPARENT). */
export const TRANSPARENT_TYPES = ['TASK_DEADLINE', 'MILESTONE', 'REMINDER', 'HOLIDAY'] as const;
export const MAX_FREE_BUSY_USERS = 50;

export interface Interval {
  start: Date;
  end: Date;
}

/** Sorted, overlapping or touching intervals joined. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else merged.push({ ...interval });
  }
  return merged;
}

export class FreeBusyService {
  constructor(
    private readonly viewer: Viewer,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly responses: OccurrenceResponseRepository,
    private readonly users: UserDirectory,
    private readonly budget: OccurrenceBudget,
  ) {}

  async freeBusy(userIds: readonly string[], from: Date, to: Date): Promise<{ user: { id: string }; busy: Interval[] }[]> {
    requireRange(from, to);
    this.budget.check();
    if (userIds.length > MAX_FREE_BUSY_USERS) throw badInput(`Ask for at most ${MAX_FREE_BUSY_USERS} users at a time`, 'userIds');
    const ids = await this.users.requireCompanyUsers(userIds, 'userIds');
    const companyId = this.viewer.companyId;
    const events = await this.events.findInvolving(companyId, ids, from, to, TRANSPARENT_TYPES);
    const eventIds = events.map((event) => event.id);
    const [participants, overrides, responses] = await Promise.all([
      this.participants.ofEvents(companyId, eventIds),
      this.events.overridesOf(companyId, eventIds),
      this.responses.ofEvents(eventIds, ids),
    ]);
    const declined = new Set(responses.filter((r) => r.status === 'DECLINED').map((r) => `${r.eventId}/${r.userId}/${r.recurrenceId.getTime()}`));
    const participantsOf = groupBy(participants, (p) => p.eventId);
    const overridesOf = groupBy(overrides, (o) => o.parentId!);

    return ids.map((userId) => {
      const busy: Interval[] = [];
      for (const event of events) {
        if (!this.takesPart(event, participantsOf.get(event.id) ?? [], userId)) continue;
        const occurrences = occurrencesInRange(event, overridesOf.get(event.id) ?? [], from, to);
        this.budget.spend(occurrences.length);
        for (const occurrence of occurrences) {
          if (!occurrence.end || occurrence.end <= occurrence.start) continue;
          if (occurrence.recurrenceId && declined.has(`${event.id}/${userId}/${occurrence.recurrenceId.getTime()}`)) continue;
          busy.push({ start: occurrence.start < from ? from : occurrence.start, end: occurrence.end > to ? to : occurrence.end });
        }
      }
      return { user: { id: userId }, busy: mergeIntervals(busy) };
    });
  }

  private takesPart(event: CalendarEventModel, participants: EventParticipantModel[], userId: string): boolean {
    const own = participants.find((p) => p.userId === userId);
    if (own) return own.status !== 'DECLINED';
    return event.organizerId === userId;
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
