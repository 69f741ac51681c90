/**
 * Free/busy of company users: the occurrences of events they organize or have
 * not declined (series-wide or for that occurrence), merged into intervals.
 * Only times are answered, never what the events are.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput } from '../../../platform/errors.js';
import { notAttending, type CalendarEventModel, type EventParticipantModel, type ParticipationStatusName } from '../models.js';
import type { OccurrenceBudget } from '../recurrence/occurrence-limits.js';
import { occurrencesInRange } from '../recurrence/series-occurrences.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { requireRange } from './date-range.js';
import { isTransparent, TRANSPARENT_TYPES } from './event-transparency.js';
import type { WorkingHoursModel, WorkingHoursRepository } from '../repositories/working-hours-repository.js';
import type { UserDirectory } from './user-directory.js';
import { DEFAULT_WORKING_HOURS, workingHoursView } from './working-hours.js';
import { groupBy } from '../group-by.js';

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

export type FreeBusyStatus = 'BUSY' | 'TENTATIVE' | 'OUT_OF_OFFICE';
export interface StatusInterval extends Interval {
  status: FreeBusyStatus;
}

export class FreeBusyService {
  constructor(
    private readonly viewer: Viewer,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly responses: OccurrenceResponseRepository,
    private readonly users: UserDirectory,
    private readonly budget: OccurrenceBudget,
    private readonly workingHours: WorkingHoursRepository,
  ) {}

  async freeBusy(userIds: readonly string[], from: Date, to: Date) {
    requireRange(from, to);
    if (userIds.length > MAX_FREE_BUSY_USERS) throw badInput(`Ask for at most ${MAX_FREE_BUSY_USERS} users at a time`, 'userIds');
    const ids = await this.users.requireCompanyUsers(userIds, 'userIds');
    const [intervals, hours] = await Promise.all([this.statusIntervals(ids, from, to), this.hoursOf(ids)]);
    return ids.map((userId) => {
      const own = intervals.get(userId) ?? [];
      const perStatus = (['BUSY', 'TENTATIVE', 'OUT_OF_OFFICE'] as const).flatMap((status) =>
        mergeIntervals(own.filter((i) => i.status === status)).map((i) => ({ ...i, status })),
      );
      return {
        user: { id: userId },
        busy: mergeIntervals(own),
        intervals: perStatus.sort((a, b) => a.start.getTime() - b.start.getTime()),
        workingHours: workingHoursView(hours.get(userId)!),
      };
    });
  }

  /** Working hours of users (checked ones), the default where none are set. */
  async hoursOf(userIds: readonly string[]): Promise<Map<string, WorkingHoursModel>> {
    const set = await this.workingHours.ofUsers(this.viewer.companyId, userIds);
    return new Map(userIds.map((id) => [id, set.get(id) ?? DEFAULT_WORKING_HOURS]));
  }

  /**
   * Each user's occupied intervals in [from, to) with their status, unmerged:
   * occurrences of events they organise or have not declined (series-wide or
   * for that occurrence); leave is OUT_OF_OFFICE, a TENTATIVE answer TENTATIVE.
   * The ids must already be checked users of the caller's company.
   */
  async statusIntervals(ids: readonly string[], from: Date, to: Date): Promise<Map<string, StatusInterval[]>> {
    this.budget.check();
    const companyId = this.viewer.companyId;
    const events = await this.events.findInvolving(companyId, ids, from, to, TRANSPARENT_TYPES);
    const eventIds = events.map((event) => event.id);
    const [participants, overrides, responses] = await Promise.all([
      this.participants.ofEvents(companyId, eventIds),
      this.events.overridesOf(companyId, eventIds),
      this.responses.ofEvents(eventIds, ids),
    ]);
    const answered = new Map(responses.map((r) => [`${r.eventId}/${r.userId}/${r.recurrenceId.getTime()}`, r.status]));
    const participantsOf = groupBy(participants, (p) => p.eventId);
    const overridesOf = groupBy(overrides, (o) => o.parentId!);
    const result = new Map<string, StatusInterval[]>(ids.map((id) => [id, []]));
    for (const event of events) {
      const occurrences = occurrencesInRange(event, overridesOf.get(event.id) ?? [], from, to);
      this.budget.spend(occurrences.length);
      for (const userId of ids) {
        const series = this.answerOf(event, participantsOf.get(event.id) ?? [], userId);
        if (!series) continue;
        for (const occurrence of occurrences) {
          if (!occurrence.end || occurrence.end <= occurrence.start || isTransparent(occurrence.event)) continue;
          const answer = (occurrence.recurrenceId && answered.get(`${event.id}/${userId}/${occurrence.recurrenceId.getTime()}`)) || series;
          if (notAttending(answer)) continue;
          const status: FreeBusyStatus = event.eventType === 'LEAVE' ? 'OUT_OF_OFFICE' : answer === 'TENTATIVE' ? 'TENTATIVE' : 'BUSY';
          result.get(userId)!.push({ start: occurrence.start < from ? from : occurrence.start, end: occurrence.end > to ? to : occurrence.end, status });
        }
      }
    }
    return result;
  }

  /** The user's series-wide answer, or null when they have no part in the event. */
  private answerOf(event: CalendarEventModel, participants: EventParticipantModel[], userId: string): ParticipationStatusName | null {
    const own = participants.find((p) => p.userId === userId);
    if (own) return own.status;
    return event.organizerId === userId ? 'ACCEPTED' : null;
  }
}
