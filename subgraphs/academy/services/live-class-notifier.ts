/**
 * Tells a course's teachers and students (teachers only, for a hidden
 * course) about one of its live classes, as
 * Moodle's message_send() would with the popup processor on: one
 * `mdl_notifications` row per recipient with its `mdl_message_popup_notifications`
 * row, worded in the recipient's time zone and linking to the class. When
 * mail is on, each notification is also handed to the mail consumer through
 * an `academy.notification.created` event, in the same transaction.
 */
import type { DomainEvent } from '../../../platform/events/publish-event.js';
import type { CourseModel } from '../models.js';
import { unixNow, type AcademyDb } from '../repositories/academy-db.js';
import { EnrolmentRepository } from '../repositories/enrolment-repository.js';
import { MoodleConfigRepository } from '../repositories/moodle-config-repository.js';
import { NOTICE_PROVIDER, NotificationRepository, type NewNotification } from '../repositories/notification-repository.js';
import { UserRepository } from '../repositories/user-repository.js';
import { classUrl } from './class-links.js';
import { liveClassNotice, type LiveClassNoticeFacts } from './live-class-notices.js';
import { moodleUserTimeZone } from './moodle-time-zone.js';

/** Moodle's "noreply" user, the sender of notifications nobody in particular sends. */
export const MOODLE_NOREPLY_USER = '-10';

export interface LiveClassNotifierOptions {
  /** Base of class links (config.academy.classUrlBase). */
  classUrlBase: string;
  /** Moodle's wwwroot (MOODLE_URL): notices then also link to the course in Moodle. */
  moodleUrl?: string;
  /** Publishes events in the caller's transaction; given only when notifications are to be mailed. */
  publishForMail?: (events: DomainEvent<object>[]) => Promise<void>;
}

export class LiveClassNotifier {
  private readonly enrolments: EnrolmentRepository;
  private readonly notifications: NotificationRepository;
  private readonly users: UserRepository;
  private readonly site: MoodleConfigRepository;

  /** `db` is bound to the caller's transaction. */
  constructor(
    db: AcademyDb,
    private readonly options: LiveClassNotifierOptions,
  ) {
    this.enrolments = new EnrolmentRepository(db);
    this.notifications = new NotificationRepository(db);
    this.users = new UserRepository(db);
    this.site = new MoodleConfigRepository(db);
  }

  /** One notification per teacher and student of the course, but not to whoever caused it. Returns how many were written. */
  async notify(
    companyId: string,
    course: CourseModel,
    actor: string | undefined,
    facts: LiveClassNoticeFacts,
    customdata: string,
    options: { once?: boolean } = {},
  ): Promise<number> {
    const participants = await this.enrolments.participantsOfCourses([course.id]);
    // A hidden course is its teachers' alone in Moodle (moodle/course:viewhiddencourses): students are not told of it.
    const addressees = course.visible ? participants : participants.filter((participant) => participant.role === 'TEACHER');
    const recipients = [...new Set(addressees.map((participant) => participant.id))].filter((id) => id !== actor);
    if (recipients.length === 0) return 0;
    // Which notice this is travels in customdata (the provider is core's, the same for all): also the dedupe key.
    const noticeData = JSON.stringify({ ...(JSON.parse(customdata) as object), notice: facts.kind });
    if (options.once && (await this.notifications.sentTo(recipients[0]!, NOTICE_PROVIDER.component, NOTICE_PROVIDER.eventtype, noticeData))) return 0;

    const [site, userZones] = await Promise.all([this.site.timeZones(), this.users.timeZones(recipients)]);
    const audience = {
      classUrl: classUrl(this.options.classUrlBase, course.id, facts.liveClassId),
      moodleCourseUrl: this.options.moodleUrl ? `${this.options.moodleUrl}/course/view.php?id=${course.id}` : undefined,
      now: new Date(),
    };
    const notices = new Map<string, ReturnType<typeof liveClassNotice>>(); // one wording per time zone
    const now = String(unixNow());
    const rows: NewNotification[] = recipients.map((useridto) => {
      const timeZone = moodleUserTimeZone(userZones.get(useridto), site);
      let notice = notices.get(timeZone);
      if (!notice) notices.set(timeZone, (notice = liveClassNotice(facts, { ...audience, timeZone })));
      return {
        useridfrom: actor ?? MOODLE_NOREPLY_USER,
        useridto,
        ...notice,
        fullmessageformat: 2, // FORMAT_PLAIN; the HTML body is in fullmessagehtml
        ...NOTICE_PROVIDER,
        contexturl: audience.classUrl,
        contexturlname: facts.title,
        timecreated: now,
        customdata: noticeData,
      };
    });
    const written = await this.notifications.insertMany(rows);
    await this.options.publishForMail?.(
      written.map((row) => ({
        topic: 'academy.notification.created',
        companyId,
        key: row.id,
        source: 'academy',
        payload: { company_id: companyId, notification_id: row.id, user_id: row.useridto, kind: facts.kind },
      })),
    );
    return written.length;
  }
}
