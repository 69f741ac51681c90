/**
 * Live classes as Moodle sees them: a course event in Moodle's calendar and
 * notifications to the course's teachers and students. Meet publishes, this
 * service writes Moodle's tables; meet never does.
 *
 * Runs inside the event handler's transaction, so an event's writes commit
 * together with the consumer's "processed" mark, or not at all.
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
import { unixNow, type AcademyDb } from '../repositories/academy-db.js';
import { CourseRepository } from '../repositories/course-repository.js';
import { EnrolmentRepository } from '../repositories/enrolment-repository.js';
import { MEET_COMPONENT, MoodleEventRepository, type LiveClassEventFields } from '../repositories/moodle-event-repository.js';
import { NotificationRepository, type NewNotification } from '../repositories/notification-repository.js';
import { escapeHtml, liveClassNotice, type LiveClassNoticeFacts } from './live-class-notices.js';

export type ClassPayload = TopicPayload<'meet.class.scheduled'>;
export type RecordingPayload = TopicPayload<'meet.recording.ready'>;

/** Moodle's "noreply" user, the sender of notifications nobody in particular sends. */
export const MOODLE_NOREPLY_USER = '-10';

export interface MoodleCalendarOptions {
  /** Moodle's wwwroot; without it, links are site-relative (fine in Moodle's own popover). */
  moodleUrl?: string;
  log: Logger;
}

export class MoodleCalendarService {
  private readonly courses: CourseRepository;
  private readonly enrolments: EnrolmentRepository;
  private readonly events: MoodleEventRepository;
  private readonly notifications: NotificationRepository;

  /** `db` is bound to the handler's transaction. */
  constructor(
    db: AcademyDb,
    private readonly options: MoodleCalendarOptions,
  ) {
    this.courses = new CourseRepository(db);
    this.enrolments = new EnrolmentRepository(db);
    this.events = new MoodleEventRepository(db);
    this.notifications = new NotificationRepository(db);
  }

  async scheduled(companyId: string, p: ClassPayload): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    // Delivered again (or re-sent): the course event is there and its users were told; changes come as "updated".
    if (existing) return;
    const fields = this.fieldsOf(p);
    if (!fields) return;
    await this.events.insertLiveClassEvent(course.id, p.live_class_id, p.host_user_id ?? p.actor_id ?? MOODLE_NOREPLY_USER, fields);
    await this.notify(course, actorOf(p), classFacts('liveclass_scheduled', p, course), customData(course, p.live_class_id));
  }

  async updated(companyId: string, p: ClassPayload): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    if (!existing) {
      // Its "scheduled" was never seen here (e.g. consuming was off): show it from now on, without a notice of a change nobody saw.
      const fields = this.fieldsOf(p);
      if (fields) await this.events.insertLiveClassEvent(course.id, p.live_class_id, p.host_user_id ?? p.actor_id ?? MOODLE_NOREPLY_USER, fields);
      return;
    }
    const before: LiveClassEventFields = {
      name: existing.name,
      description: existing.description,
      timestart: Number(existing.timestart),
      timeduration: Number(existing.timeduration),
    };
    const after = this.fieldsOf(p, before)!;
    const moved = after.timestart !== before.timestart || after.timeduration !== before.timeduration;
    if (!moved && after.name === before.name && after.description === before.description) return;
    await this.events.updateLiveClassEvent(existing.id, after);
    if (moved) {
      const facts = { ...classFacts('liveclass_rescheduled', p, course), previousStartsAt: new Date(before.timestart * 1000) };
      await this.notify(course, actorOf(p), facts, customData(course, p.live_class_id));
    }
  }

  /** Deleted, not hidden: Moodle users expect a cancelled class gone from their calendar. */
  async cancelled(companyId: string, p: ClassPayload): Promise<void> {
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const existing = await this.events.findLiveClassEvent(course.id, p.live_class_id);
    if (!existing) return; // Already removed (a redelivery), or never shown: nobody to tell about it.
    await this.events.delete(existing.id);
    const facts = classFacts('liveclass_cancelled', { ...p, title: p.title ?? existing.name }, course);
    await this.notify(course, actorOf(p), { ...facts, startsAt: facts.startsAt ?? new Date(Number(existing.timestart) * 1000) }, customData(course, p.live_class_id));
  }

  async recordingReady(companyId: string, p: RecordingPayload & { title?: unknown }): Promise<void> {
    if (p.status && p.status !== 'READY') return;
    const course = await this.companyCourse(companyId, p);
    if (!course) return;
    const title = typeof p.title === 'string' && p.title ? p.title : 'Live class';
    const data = customData(course, p.live_class_id, { recordingid: p.recording_id });
    // Sent by whoever made it available when the event names them, else by nobody in particular.
    await this.notify(course, p.actor_id ?? undefined, { kind: 'recording_available', title, courseName: course.fullname }, data, { once: true });
  }

  /** The course, if it belongs to the event's company (and the payload agrees on the company). */
  private async companyCourse(companyId: string, p: { company_id: string; course_id: string; live_class_id: string }): Promise<CourseModel | undefined> {
    const [course] = p.company_id === companyId ? await this.courses.findByIds(companyId, [p.course_id]) : [];
    if (!course) this.options.log.warn({ companyId, courseId: p.course_id, liveClassId: p.live_class_id }, 'live class event for a course outside its company; ignored');
    return course;
  }

  /** The course event's fields from a payload, falling back to what Moodle has; undefined when the time is unknown. */
  private fieldsOf(p: ClassPayload, current?: LiveClassEventFields): LiveClassEventFields | undefined {
    const timestart = p.scheduled_at ? Math.floor(Date.parse(p.scheduled_at) / 1000) : current?.timestart;
    if (timestart === undefined) {
      this.options.log.warn({ liveClassId: p.live_class_id }, 'live class event without scheduled_at; no course event');
      return undefined;
    }
    return {
      name: p.title ?? current?.name ?? 'Live class',
      description: p.description !== undefined ? htmlDescription(p.description) : (current?.description ?? ''),
      timestart,
      timeduration: p.duration_minutes ? p.duration_minutes * 60 : (current?.timeduration ?? 0),
    };
  }

  /** One notification per teacher and student of the course, but not to whoever caused it. */
  private async notify(course: CourseModel, actor: string | undefined, facts: LiveClassNoticeFacts, customdata: string, options: { once?: boolean } = {}): Promise<void> {
    const participants = await this.enrolments.participantsOfCourses([course.id]);
    const recipients = [...new Set(participants.map((participant) => participant.id))].filter((id) => id !== actor);
    if (recipients.length === 0) return;
    if (options.once && (await this.notifications.sentTo(recipients[0]!, MEET_COMPONENT, facts.kind, customdata))) return;
    const notice = liveClassNotice(facts);
    const now = String(unixNow());
    const rows: NewNotification[] = recipients.map((useridto) => ({
      useridfrom: actor ?? MOODLE_NOREPLY_USER,
      useridto,
      ...notice,
      fullmessageformat: 2, // FORMAT_PLAIN; the HTML body is in fullmessagehtml
      component: MEET_COMPONENT,
      eventtype: facts.kind,
      contexturl: `${this.options.moodleUrl ?? ''}/course/view.php?id=${course.id}`,
      contexturlname: course.fullname,
      timecreated: now,
      customdata,
    }));
    await this.notifications.insertMany(rows);
  }
}

/** Who caused a class event: the payload's actor (meet's `actor_id`), else the host (events without an actor, e.g. queued before it existed). */
function actorOf(p: ClassPayload): string | undefined {
  return p.actor_id ?? p.host_user_id ?? undefined;
}

function classFacts(kind: LiveClassNoticeFacts['kind'], p: ClassPayload, course: CourseModel): LiveClassNoticeFacts {
  return {
    kind,
    title: p.title ?? 'Live class',
    courseName: course.fullname,
    startsAt: p.scheduled_at ? new Date(p.scheduled_at) : undefined,
    durationMinutes: p.duration_minutes ?? undefined,
  };
}

/** Moodle's `customdata` is JSON; keys are fixed in order so the text is the same for the same facts. */
function customData(course: CourseModel, liveClassId: string, extra: { recordingid?: string } = {}): string {
  return JSON.stringify({ courseid: course.id, liveclassid: liveClassId, ...extra });
}

/** Meet's descriptions are plain text; the course event's format is HTML. */
function htmlDescription(text: string | null): string {
  return text ? escapeHtml(text).replace(/\r?\n/g, '<br>') : '';
}
