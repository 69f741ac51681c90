/**
 * Reminder notifications: each round finds the reminders that fell due since
 * the last round (for every participant who has not declined the occurrence:
 * the event's own reminders, else their defaults) and publishes one
 * calendar.event.reminder per person, occurrence and reminder on the event
 * backbone, which Subscription.calendarReminder delivers.
 *
 * Durable and once: how far sending has come is stored (reminder_progress),
 * so a restarted process goes on from there (reminders that fell due while
 * nothing ran are sent late, up to LATE_LIMIT); each reminder is claimed by
 * a row whose key it is, in the transaction that publishes it, so restarts
 * and replicas never send one twice.
 */
import type { Kysely } from 'kysely';
import { publishEvents, type DomainEvent } from '../../../platform/events/publish-event.js';
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { Logger } from '../../../platform/logger.js';
import type { CalendarDatabase } from '../database.js';
import { notAttending } from '../models.js';
import { occurrencesInRange } from '../recurrence/series-occurrences.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import type { ReminderDelivery, ReminderRepository } from '../repositories/reminder-repository.js';
import { announced } from './event-privacy.js';
import { groupBy } from '../group-by.js';

/** Reminders due longer ago than this when sending resumes are dropped: a reminder hours late is noise. */
export const LATE_LIMIT_MS = 60 * 60_000;
/** Where the first round ever starts. */
const FIRST_LOOKBACK_MS = 60_000;

interface DueReminder extends ReminderDelivery {
  companyId: string;
  /** As the bus may tell it (event-privacy.ts `announced`). */
  told: { title: string; class: string | null };
  remindAt: Date;
}

export class ReminderScheduler {
  constructor(
    private readonly db: Kysely<CalendarDatabase>,
    private readonly reminders: ReminderRepository,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly responses: OccurrenceResponseRepository,
    private readonly log: Logger,
  ) {}

  /** Sends what fell due in (last round, now]; answers how many reminders went out. */
  async deliverDue(now = new Date()): Promise<number> {
    const previous = await this.reminders.sentUntil();
    const from = new Date(Math.max(previous?.getTime() ?? now.getTime() - FIRST_LOOKBACK_MS, now.getTime() - LATE_LIMIT_MS));
    if (from >= now) return 0;
    const lead = await this.reminders.longestLead();
    const due = lead === null ? [] : await this.dueBetween(from, now, lead);
    let sent = 0;
    await this.db.transaction().execute(async (trx) => {
      const published: DomainEvent<TopicPayload<'calendar.event.reminder'>>[] = [];
      for (const reminder of due) {
        if (!(await this.reminders.claim(trx, reminder))) continue;
        published.push({
          topic: 'calendar.event.reminder',
          companyId: reminder.companyId,
          key: reminder.eventId,
          source: 'calendar',
          payload: {
            event_id: reminder.eventId,
            company_id: reminder.companyId,
            user_id: reminder.userId,
            title: reminder.told.title,
            class: reminder.told.class,
            occurrence_start: reminder.occurrenceStart.toISOString(),
            minutes_before: reminder.minutesBefore,
            remind_at: reminder.remindAt.toISOString(),
          },
        });
      }
      await publishEvents(trx, published);
      await this.reminders.setSentUntil(trx, now);
      sent = published.length;
    });
    if (sent > 0) this.log.info({ sent, from, to: now }, 'calendar reminders sent');
    return sent;
  }

  private async dueBetween(from: Date, to: Date, leadMinutes: number): Promise<DueReminder[]> {
    const horizon = new Date(to.getTime() + leadMinutes * 60_000);
    const series = await this.reminders.seriesStartingIn(from, horizon);
    const byCompany = groupBy(series, (event) => event.companyId);
    const due: DueReminder[] = [];
    for (const [companyId, events] of byCompany) {
      const ids = events.map((event) => event.id);
      const [overrides, participants] = await Promise.all([this.events.overridesOf(companyId, ids), this.participants.ofEvents(companyId, ids)]);
      const userIds = [...new Set([...participants.flatMap((p) => (p.userId ? [p.userId] : [])), ...events.flatMap((e) => (e.organizerId ? [e.organizerId] : []))])];
      const [defaults, answers] = await Promise.all([this.reminders.defaultsOf(companyId, userIds), this.responses.ofEvents(ids, userIds)]);
      const answered = new Map(answers.map((r) => [`${r.eventId}/${r.userId}/${r.recurrenceId.getTime()}`, r.status]));
      for (const event of events) {
        const own = participants.filter((p) => p.eventId === event.id && p.userId);
        const people = new Map(own.map((p) => [p.userId!, p.status]));
        if (event.organizerId && !people.has(event.organizerId)) people.set(event.organizerId, 'ACCEPTED');
        for (const occurrence of occurrencesInRange(
          event,
          overrides.filter((o) => o.parentId === event.id),
          from,
          horizon,
        )) {
          if (occurrence.start < from) continue;
          for (const [userId, series] of people) {
            const answer = (occurrence.recurrenceId && answered.get(`${event.id}/${userId}/${occurrence.recurrenceId.getTime()}`)) || series;
            if (notAttending(answer)) continue;
            for (const minutes of occurrence.event.reminderMinutes ?? event.reminderMinutes ?? defaults.get(userId) ?? []) {
              const remindAt = new Date(occurrence.start.getTime() - minutes * 60_000);
              if (remindAt > from && remindAt <= to) {
                due.push({ companyId, eventId: event.id, userId, occurrenceStart: occurrence.start, minutesBefore: minutes, told: announced(occurrence.event), remindAt });
              }
            }
          }
        }
      }
    }
    return due;
  }
}
