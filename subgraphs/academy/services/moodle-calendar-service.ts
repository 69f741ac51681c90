/**
 * Live classes as Moodle sees them: a course event in Moodle's calendar and
 * notifications to the course's teachers and students. Meet publishes, this
 * service writes Moodle's tables; meet never does.
 *
 * Runs inside the event handler's transaction, so an event's writes commit
 * together with the consumer's "processed" mark, or not at all.
 *
 * A class that goes live is announced to its course, once.
 *
 * Each class also gets a reminder, due `reminderMinutes` before it starts
 * (academy.live_class_reminders, sent by jobs/class-reminders.ts), unless it
 * was scheduled or moved closer to its start than that.
 *
 * Idempotent on its own, beyond the backbone's dedupe on event ids:
 * notifications follow what changed in `mdl_event` (a course event created,
 * moved, deleted), and a recording notice is sent once per recording (its id
 * is in `customdata`). The same event twice leaves one row and one notice per user.
 *
 * Tenancy: a course is acted on only if it lies in one of the event
 * company's course categories, and course events are looked up within that
 * course, so a forged event cannot reach another company's Moodle rows.
 */
import type { Logger } from '../../../platform/logger.js';
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { CourseModel } from '../models.js';
import type { AcademyDb } from '../repositories/academy-db.js';
import { CourseRepository } from '../repositories/course-repository.js';
import { MoodleEventRepository, type LiveClassEventFields } from '../repositories/moodle-event-repository.js';
import { ReminderRepository } from '../repositories/reminder-repository.js';
import { classUrl } from './class-links.js';
import { escapeHtml, type LiveClassNoticeFacts } from './live-class-notices.js';
import { LiveClassNotifier, MOODLE_NOREPLY_USER, type LiveClassNotifierOptions } from './live-class-notifier.js';

export type ClassPayload = TopicPayload<'meet.class.scheduled'>;
export type RecordingPayload = TopicPayload<'meet.recording.ready'>;
export { MOODLE_NOREPLY_USER };

export interface MoodleCalendarOptions extends LiveClassNotifierOptions {
  /** Minutes before a class's start its reminder is due; 0: no reminders. */
  reminderMinutes: number;
  log: Logger;
}

export class MoodleCalendarService {
  private readonly courses: CourseRepository;
  private readonly events: MoodleEventRepository;
  private readonly reminders: ReminderRepository;
  private readonly notifier: LiveClassNotifier;

  /** `db` is bound to the handler's transaction. */
  constructor(
    db: AcademyDb,
    private readonly options: MoodleCalendarOptions,
  ) {
    this.courses = new CourseRepository(db);
    this.events = new MoodleEventRepository(db);
    this.reminders = new ReminderRepository(db);
    this.notifier = new LiveClassNotifier(db, options);
  }

  /** `decidedAt`: when meet made the change (the event's time), which decides whether a reminder is still due. */
  async scheduled(companyId: string, p: ClassPayload, decidedAt = new Date()): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    // Delivered again (or re-sent): the course event is there and its users were told; changes come as "updated".
    if (existing) return;
    const fields = this.fieldsOf(p);
    if (!fields) return;
    await this.events.insertLiveClassEvent(course.id, p.live_class_id, p.host_user_id ?? p.actor_id ?? MOODLE_NOREPLY_USER, fields);
    await this.planReminder(companyId, course, p.live_class_id, fields, decidedAt);
    await this.notifier.notify(companyId, course, actorOf(p), classFacts('liveclass_scheduled', p, course), customData(course, p.live_class_id));
  }

  async updated(companyId: string, p: ClassPayload, decidedAt = new Date()): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    if (!existing) {
      // Its "scheduled" was never seen here (e.g. consuming was off): show it from now on, without a notice of a change nobody saw.
      const fields = this.fieldsOf(p);
      if (fields) {
        await this.events.insertLiveClassEvent(course.id, p.live_class_id, p.host_user_id ?? p.actor_id ?? MOODLE_NOREPLY_USER, fields);
        await this.planReminder(companyId, course, p.live_class_id, fields, decidedAt);
      }
      return;
    }
    const before: LiveClassEventFields = {
      name: existing.name,
      description: existing.description,
      timestart: Number(existing.timestart),
      timeduration: Number(existing.timeduration),
      location: existing.location ?? '',
    };
    const after = this.fieldsOf(p, before)!;
    const moved = after.timestart !== before.timestart || after.timeduration !== before.timeduration;
    const unchanged = after.name === before.name && after.description === before.description && after.location === before.location;
    if (!moved && unchanged && existing.component === null) return;
    await this.events.updateLiveClassEvent(existing.id, after);
    if (moved) {
      await this.planReminder(companyId, course, p.live_class_id, after, decidedAt);
      const facts = { ...classFacts('liveclass_rescheduled', p, course), previousStartsAt: new Date(before.timestart * 1000) };
      await this.notifier.notify(companyId, course, actorOf(p), facts, customData(course, p.live_class_id));
    } else if (after.name !== before.name) {
      await this.reminders.rename(p.live_class_id, after.name);
    }
  }

  /** Deleted, not hidden: Moodle users expect a cancelled class gone from their calendar. */
  async cancelled(companyId: string, p: ClassPayload): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    if (!existing) return; // Already removed (a redelivery), or never shown: nobody to tell about it.
    await this.events.delete(existing.id);
    await this.reminders.remove(p.live_class_id);
    const facts = classFacts('liveclass_cancelled', { ...p, title: p.title ?? existing.name }, course);
    await this.notifier.notify(
      companyId,
      course,
      actorOf(p),
      { ...facts, startsAt: facts.startsAt ?? new Date(Number(existing.timestart) * 1000) },
      customData(course, p.live_class_id),
    );
  }

  /** The class went live: its course is told once (a class that goes live again is not announced again), and its reminder is dropped. */
  async started(companyId: string, p: ClassPayload): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    await this.reminders.remove(p.live_class_id);
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    const facts = classFacts('liveclass_started', { ...p, title: p.title ?? existing?.name }, course);
    // Who opened the room is not told; LiveKit-driven starts name no actor, and the host is the likeliest to have opened it.
    await this.notifier.notify(companyId, course, actorOf(p), facts, customData(course, p.live_class_id), { once: true });
  }

  async recordingReady(companyId: string, p: RecordingPayload & { title?: unknown }): Promise<void> {
    if (p.status && p.status !== 'READY') return;
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const title = typeof p.title === 'string' && p.title ? p.title : 'Live class';
    const data = customData(course, p.live_class_id, { recordingid: p.recording_id });
    // Sent by whoever made it available when the event names them, else by nobody in particular.
    const facts: LiveClassNoticeFacts = { kind: 'recording_available', liveClassId: p.live_class_id, title, courseName: course.fullname };
    await this.notifier.notify(companyId, course, p.actor_id ?? undefined, facts, data, { once: true });
  }

  /** The course, if it belongs to the event's company (and the payload agrees on the company). */
  private async companyCourse(companyId: string, p: { company_id: string; course_id: string; live_class_id: string }): Promise<CourseModel | undefined> {
    const [course] = p.company_id === companyId ? await this.courses.findByIds(companyId, [p.course_id]) : [];
    if (!course) this.options.log.warn({ companyId, courseId: p.course_id, liveClassId: p.live_class_id }, 'live class event for a course outside its company; ignored');
    return course;
  }

  /** A reminder `reminderMinutes` before the start, unless the class was scheduled (or moved) closer to its start than that. */
  private async planReminder(companyId: string, course: CourseModel, liveClassId: string, fields: LiveClassEventFields, decidedAt: Date): Promise<void> {
    const startsAt = new Date(fields.timestart * 1000);
    const remindAt = new Date(startsAt.getTime() - this.options.reminderMinutes * 60_000);
    if (this.options.reminderMinutes <= 0 || remindAt <= decidedAt) {
      await this.reminders.remove(liveClassId);
      return;
    }
    const durationMinutes = fields.timeduration > 0 ? Math.round(fields.timeduration / 60) : null;
    await this.reminders.plan({ liveClassId, companyId, courseId: course.id, title: fields.name, startsAt, durationMinutes, remindAt });
  }

  /** The course event's fields from a payload, falling back to what Moodle has; undefined when the time is unknown. */
  private fieldsOf(p: ClassPayload, current?: LiveClassEventFields): LiveClassEventFields | undefined {
    const timestart = p.scheduled_at ? Math.floor(Date.parse(p.scheduled_at) / 1000) : current?.timestart;
    if (timestart === undefined) {
      this.options.log.warn({ liveClassId: p.live_class_id }, 'live class event without scheduled_at; no course event');
      return undefined;
    }
    const link = classUrl(this.options.classUrlBase, p.course_id, p.live_class_id);
    return {
      name: p.title ?? current?.name ?? 'Live class',
      description: p.description !== undefined ? courseEventDescription(p.description, link) : (current?.description ?? courseEventDescription(null, link)),
      timestart,
      timeduration: p.duration_minutes ? p.duration_minutes * 60 : (current?.timeduration ?? 0),
      location: link,
    };
  }
}

/** Who caused a class event: the payload's actor (meet's `actor_id`), else the host (events without an actor, e.g. queued before it existed). */
function actorOf(p: ClassPayload): string | undefined {
  return p.actor_id ?? p.host_user_id ?? undefined;
}

function classFacts(kind: LiveClassNoticeFacts['kind'], p: ClassPayload, course: CourseModel): LiveClassNoticeFacts {
  return {
    kind,
    liveClassId: p.live_class_id,
    title: p.title ?? 'Live class',
    courseName: course.fullname,
    startsAt: p.scheduled_at ? new Date(p.scheduled_at) : undefined,
    durationMinutes: p.duration_minutes ?? undefined,
  };
}

/** Moodle's `customdata` is JSON; keys are fixed in order so the text is the same for the same facts. */
export function customData(course: { id: string }, liveClassId: string, extra: { recordingid?: string } = {}): string {
  return JSON.stringify({ courseid: course.id, liveclassid: liveClassId, ...extra });
}

/** The course event's description (format HTML): meet's plain-text description, then a link to the class. */
export function courseEventDescription(text: string | null, link: string): string {
  const described = text ? `<p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>` : '';
  return `${described}<p><a href="${escapeHtml(link)}">Join the live class</a></p>`;
}
