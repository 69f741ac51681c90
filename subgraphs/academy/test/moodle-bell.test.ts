/**
 * Live-class notifications as a Moodle user meets them: in Moodle's bell
 * (read with the query message_popup\api::get_popup_notifications runs), by
 * mail through a real SMTP server, in the user's Moodle time zone, with a
 * link to the class; and a reminder before the class, sent once across
 * restarts of the service.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { publishEvent } from '../../../platform/events/publish-event.js';
import { createLogger } from '../../../platform/logger.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../../test/mail/smtp-sink.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { MOODLE_CALENDAR_GROUP } from '../consumers/moodle-calendar-consumer.js';
import { sendDueReminders } from '../jobs/class-reminders.js';

let livekit: LiveKitDouble;
let smtp: SmtpSink;
let platform: TestPlatform;
let db: Kysely<any>;
let moodle: Kysely<any>;
beforeAll(async () => {
  livekit = await startLiveKitDouble();
  smtp = await startSmtpSink();
  platform = await startTestPlatform({
    subgraphs: ['academy', 'meet'],
    gateway: false,
    // Reminders a minute before the start; the reminder job is off until a test turns it on (it restarts academy).
    env: {
      LIVEKIT_URL: livekit.url,
      ACADEMY_CONSUME_EVENTS: 'true',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Bheem Academy <academy@bheem.example>',
      ACADEMY_REMINDER_MINUTES: '1',
      ACADEMY_REMINDER_POLL_SECONDS: '0',
    },
  });
  db = platform.db;
  moodle = db.withSchema(platform.config.moodle.schema);
});
afterAll(async () => {
  await platform?.stop();
  await smtp?.stop();
  await livekit?.stop();
});

const bheem = demoCompanyId('bheem');
const meet = (user: string, query: string, variables: Record<string, unknown>) =>
  callSubgraph({ url: platform.subgraphs.meet!.url, audience: 'meet', secret: platform.config.internalSigningSecret, viewer: demoViewer(user), query, variables });
const SCHEDULE = `mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id scheduledAt } }`;

async function waitFor<T>(check: () => Promise<T> | T, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What Moodle's bell shows a user: message_popup\api::get_popup_notifications's query, as Moodle runs it. */
async function popupNotifications(userId: string) {
  const s = sql.id(platform.config.moodle.schema);
  const { rows } = await sql<Record<string, any>>`
    SELECT n.id, n.useridfrom, n.useridto, n.subject, n.fullmessage, n.fullmessageformat, n.fullmessagehtml, n.smallmessage,
           n.contexturl, n.contexturlname, n.timecreated, n.component, n.eventtype, n.timeread, n.customdata
      FROM ${s}.mdl_notifications n
     WHERE n.id IN (SELECT notificationid FROM ${s}.mdl_message_popup_notifications)
       AND n.useridto = ${userId}
  ORDER BY timecreated DESC, timeread DESC, id DESC`.execute(db);
  return rows;
}

/** message_popup\api::count_unread_popup_notifications: the number on the bell. */
async function unreadCount(userId: string): Promise<number> {
  const s = sql.id(platform.config.moodle.schema);
  const { rows } = await sql<{ count: string }>`
    SELECT count(id) AS count FROM ${s}.mdl_notifications
     WHERE id IN (SELECT notificationid FROM ${s}.mdl_message_popup_notifications) AND useridto = ${userId} AND timeread IS NULL`.execute(db);
  return Number(rows[0]!.count);
}

/** Which notice a row is: in its customdata, since all come through one core provider. */
const ofClass = (liveClassId: string, kind: string) => (row: Record<string, any>) =>
  JSON.parse(row.customdata).notice === kind && JSON.parse(row.customdata).liveclassid === liveClassId;
/** Moodle core's message providers (component 'moodle'), as lib/db/messages.php declares them: what its preferences page lists. */
const MOODLE_CORE_PROVIDERS = [
  'newlogin',
  'notices',
  'errors',
  'availableupdate',
  'instantmessage',
  'backup',
  'courserequested',
  'courserequestapproved',
  'courserequestrejected',
  'coursecompleted',
  'coursecontentupdated',
  'badgerecipientnotice',
  'badgecreatornotice',
  'competencyplancomment',
  'competencyusercompcomment',
  'insights',
  'messagecontactrequests',
  'asyncbackupnotification',
  'gradenotifications',
  'infected',
  'reportbuilderschedule',
  'failedtaskmaxdelay',
  'enrolcoursewelcomemessage',
];
const mailsAbout = (title: string, subjectStart: string) => smtp.mails.filter((mail) => mail.subject.startsWith(subjectStart) && mail.subject.includes(title));
const mailTo = (mails: ReceivedMail[], address: string) => mails.filter((mail) => mail.to.includes(address));
/** "14:30" in a zone, as a person there reads a clock. */
const clock = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);

describe("live classes in Moodle's bell and mail", () => {
  it("shows a scheduled class in the bell of each student, linking to the class, and mails it in each one's time zone", async () => {
    const scheduledAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5 * 3_600_000);
    const { body } = await meet('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Waves & sound', scheduledAt: scheduledAt.toISOString(), durationMinutes: 50 } });
    expect(body.errors).toBeUndefined();
    const id: string = body.data.scheduleLiveClass.id;
    const link = `${platform.config.publicUrl}/app/courses/101#class-${id}`;

    // Sam (site zone, Asia/Kolkata in the demo data) and Sita (Europe/London) study course 101; Tara scheduled it.
    const [samTop] = await waitFor(async () => ((await popupNotifications('5')).some(ofClass(id, 'liveclass_scheduled')) ? popupNotifications('5') : undefined), "Sam's bell");
    expect(samTop).toMatchObject({
      useridfrom: '3',
      component: 'moodle',
      eventtype: 'coursecontentupdated',
      contexturl: link,
      contexturlname: 'Waves & sound',
      timeread: null,
    });
    // A provider every Moodle has: the user's notification preferences find it (no plugin of ours is installed there).
    expect(samTop!.component === 'moodle' && MOODLE_CORE_PROVIDERS.includes(samTop!.eventtype)).toBe(true);
    expect(JSON.parse(samTop!.customdata)).toEqual({ courseid: '101', liveclassid: id, notice: 'liveclass_scheduled' });
    expect(samTop!.fullmessage).toContain(`at ${clock(scheduledAt, 'Asia/Kolkata')} (Asia/Kolkata), for 50 minutes`);
    expect(samTop!.fullmessagehtml).toContain(`<a href="${link}">Open the live class</a>`);
    const [sitaTop] = await popupNotifications('6');
    expect(sitaTop).toMatchObject({ eventtype: 'coursecontentupdated', contexturl: link });
    expect(ofClass(id, 'liveclass_scheduled')(sitaTop!)).toBe(true);
    expect(sitaTop!.fullmessage).toContain(`at ${clock(scheduledAt, 'Europe/London')} (Europe/London)`);
    expect(await unreadCount('5')).toBeGreaterThanOrEqual(1);
    expect((await popupNotifications('3')).some(ofClass(id, 'liveclass_scheduled'))).toBe(false);

    // One mail each, through the SMTP server, with the class link and the local time.
    const mails = await waitFor(
      () => (mailsAbout('Waves & sound', 'Live class scheduled').length >= 2 ? mailsAbout('Waves & sound', 'Live class scheduled') : undefined),
      'the mails',
    );
    const [sam] = mailTo(mails, 'sam.student@bheem.example');
    const [sita] = mailTo(mails, 'sita.student@bheem.example');
    expect(sam!.subject).toBe(
      `Live class scheduled: Waves & sound (${new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', weekday: 'short', day: 'numeric', month: 'short' }).format(scheduledAt)}, ${clock(scheduledAt, 'Asia/Kolkata')})`,
    );
    expect(sam!.text).toContain(`at ${clock(scheduledAt, 'Asia/Kolkata')} (Asia/Kolkata)`);
    expect(sam!.text).toContain(link);
    expect(sam!.html).toContain(`href="${link}"`);
    expect(sam!.headers.get('from')).toBe('Bheem Academy <academy@bheem.example>');
    expect(sam!.headers.get('message-id')).toBe(`<notification-${samTop!.id}@bheem.example>`);
    expect(sita!.text).toContain(`at ${clock(scheduledAt, 'Europe/London')} (Europe/London)`);
    expect(mailTo(mails, 'tara.teacher@bheem.example')).toEqual([]);
    expect(mails).toHaveLength(2);
  });

  it('sends no mail to a user who turned notifications off, but still writes the notification', async () => {
    await moodle.updateTable('mdl_user').set({ emailstop: 1 }).where('id', '=', '6').execute();
    try {
      const { body } = await meet('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Quiet hours', scheduledAt: new Date(Date.now() + 7 * 3_600_000).toISOString() } });
      const id: string = body.data.scheduleLiveClass.id;
      await waitFor(() => mailsAbout('Quiet hours', 'Live class scheduled').length >= 1, "Sam's mail");
      const [sita] = await waitFor(async () => {
        const rows = (await popupNotifications('6')).filter(ofClass(id, 'liveclass_scheduled'));
        return rows.length ? rows : undefined;
      }, "Sita's notification");
      // Her notification's mail event was handled (and skipped): no mail will come.
      await waitFor(async () => {
        const { rows } = await sql`SELECT 1 FROM events.outbox o JOIN events.processed p ON p.event_id = o.id AND p.group_name = 'academy.notification-mail'
          WHERE o.topic = 'academy.notification.created' AND o.payload ->> 'notification_id' = ${sita!.id}`.execute(db);
        return rows.length > 0;
      }, "the mail consumer to handle Sita's notification");
      expect(mailTo(mailsAbout('Quiet hours', 'Live class scheduled'), 'sita.student@bheem.example')).toEqual([]);
    } finally {
      await moodle.updateTable('mdl_user').set({ emailstop: 0 }).where('id', '=', '6').execute();
    }
  });

  it('sends a mail again when the SMTP server refuses it for now, and only once when it accepts', async () => {
    smtp.refuseNext(1);
    const { body } = await meet('ravi.teacher', SCHEDULE, {
      input: { courseId: '102', title: 'Series, busy server', scheduledAt: new Date(Date.now() + 9 * 3_600_000).toISOString() },
    });
    expect(body.errors).toBeUndefined();
    // Course 102: Sam and Neil study it; one of their mails is refused first, then retried by the backbone.
    const mails = await waitFor(
      () => (mailsAbout('Series, busy server', 'Live class scheduled').length >= 2 ? mailsAbout('Series, busy server', 'Live class scheduled') : undefined),
      'both mails',
    );
    expect(smtp.refused).toBe(1);
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['neil.student@bheem.example', 'sam.student@bheem.example']);
  });

  it('puts a link to the class in the course event, and mirrors the seeded demo classes', async () => {
    const seeded = await moodle.selectFrom('mdl_event').select(['uuid', 'courseid', 'name', 'description']).where('uuid', '=', '0b0e0010-0000-4000-8000-000000000001').execute();
    expect(seeded).toEqual([
      {
        uuid: '0b0e0010-0000-4000-8000-000000000001',
        courseid: '101',
        name: 'Newton\u2019s laws, live',
        description: `<p><a href="${platform.config.publicUrl}/app/courses/101#class-0b0e0010-0000-4000-8000-000000000001">Join the live class</a></p>`,
      },
    ]);
    const meetClasses = await db.withSchema('meet').selectFrom('live_classes').select(['id', 'scheduled_at', 'duration_minutes']).execute();
    const events = await moodle.selectFrom('mdl_event').select(['uuid', 'timestart', 'timeduration']).where('eventtype', '=', 'course').execute();
    for (const liveClass of meetClasses.filter((row) => row.id.startsWith('0b0e0010-'))) {
      expect(events.find((event) => event.uuid === liveClass.id)).toEqual({
        uuid: liveClass.id,
        timestart: String(liveClass.scheduled_at.getTime() / 1000),
        timeduration: String(liveClass.duration_minutes * 60),
      });
    }
  });

  it('announces a class that goes live once, in the bell and by mail, and drops its reminder', async () => {
    const liveClassId = randomUUID();
    const payload = {
      company_id: bheem,
      live_class_id: liveClassId,
      course_id: '102',
      title: 'Limits, live',
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
      duration_minutes: 45,
      host_user_id: '4',
    };
    const handled = async (eventId: string) =>
      (await sql`SELECT 1 FROM events.processed WHERE group_name = ${MOODLE_CALENDAR_GROUP} AND event_id = ${eventId}`.execute(db)).rows.length > 0;
    const publish = (topic: string, changes: Record<string, unknown>) =>
      db.transaction().execute((trx) => publishEvent(trx, { topic, companyId: bheem, key: liveClassId, source: 'meet', payload: { ...payload, ...changes } }));
    const scheduled = await publish('meet.class.scheduled', { actor_id: '4' });
    await waitFor(() => handled(scheduled.id), 'the scheduled event');
    expect(await db.selectFrom('academy.live_class_reminders').select('live_class_id').where('live_class_id', '=', liveClassId).execute()).toHaveLength(1);

    // LiveKit made it live (no actor): Ravi hosts it; Sam and Neil study course 102. Reconciliation may say so again.
    for (let round = 0; round < 2; round++) {
      const started = await publish('meet.class.started', { status: 'LIVE', started_at: new Date().toISOString(), actor_id: null });
      await waitFor(() => handled(started.id), 'the started event');
    }
    const announced = async (userId: string) => (await popupNotifications(userId)).filter(ofClass(liveClassId, 'liveclass_started'));
    expect(await announced('5')).toHaveLength(1);
    expect(await announced('7')).toHaveLength(1);
    expect(await announced('4')).toEqual([]);
    expect((await announced('5'))[0]).toMatchObject({
      subject: 'Live class started: Limits, live',
      contexturl: `${platform.config.publicUrl}/app/courses/102#class-${liveClassId}`,
    });
    await waitFor(() => mailsAbout('Limits, live', 'Live class started').length >= 2, 'the mails');
    expect(
      mailsAbout('Limits, live', 'Live class started')
        .map((mail) => mail.to[0])
        .sort(),
    ).toEqual(['neil.student@bheem.example', 'sam.student@bheem.example']);
    expect(mailsAbout('Limits, live', 'Live class started')[0]!.text).toContain(`Join the live class: ${platform.config.publicUrl}/app/courses/102#class-${liveClassId}`);
    expect(await db.selectFrom('academy.live_class_reminders').select('live_class_id').where('live_class_id', '=', liveClassId).execute()).toEqual([]);
  });

  it('reminds the course a set time before the class, once, across restarts', async () => {
    const liveClassId = randomUUID();
    // Starts in 70 s; with ACADEMY_REMINDER_MINUTES=1 its reminder is due in 10 s.
    const startsAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 70_000); // whole seconds, as Moodle keeps times
    const published = await db.transaction().execute((trx) =>
      publishEvent(trx, {
        topic: 'meet.class.scheduled',
        companyId: bheem,
        key: liveClassId,
        source: 'meet',
        payload: {
          company_id: bheem,
          live_class_id: liveClassId,
          course_id: '101',
          title: 'Doppler effect',
          scheduled_at: startsAt.toISOString(),
          duration_minutes: 30,
          host_user_id: '3',
          actor_id: '3',
        },
      }),
    );
    await waitFor(
      async () => (await sql`SELECT 1 FROM events.processed WHERE group_name = ${MOODLE_CALENDAR_GROUP} AND event_id = ${published.id}`.execute(db)).rows.length > 0,
      'the scheduled event',
    );
    const reminder = await db.selectFrom('academy.live_class_reminders').selectAll().where('live_class_id', '=', liveClassId).executeTakeFirstOrThrow();
    expect(reminder.remind_at.getTime()).toBe(startsAt.getTime() - 60_000);
    expect(reminder.sent_at).toBeNull();

    // The reminder comes due while no reminder job runs (the service is down, as far as reminders go).
    await waitFor(() => Date.now() > reminder.remind_at.getTime() + 500, 'the reminder to come due');
    const reminders = async (userId: string) => (await popupNotifications(userId)).filter(ofClass(liveClassId, 'liveclass_reminder'));
    expect(await reminders('5')).toEqual([]);

    // Academy restarts with its reminder job on: the reminder goes out, to the host too (nobody caused it).
    platform.config.academy.reminderPollSeconds = 1;
    await platform.stopSubgraph('academy');
    await platform.restartSubgraph('academy');
    const [samReminder] = await waitFor(async () => ((await reminders('5')).length ? reminders('5') : undefined), "Sam's reminder");
    expect(samReminder).toMatchObject({ useridfrom: '-10', contexturl: `${platform.config.publicUrl}/app/courses/101#class-${liveClassId}` });
    expect(samReminder!.subject).toBe(
      `Live class starting soon: Doppler effect (${new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', weekday: 'short', day: 'numeric', month: 'short' }).format(startsAt)}, ${clock(startsAt, 'Asia/Kolkata')})`,
    );
    expect(samReminder!.fullmessage).toMatch(/starts in \d+ minutes?, /);
    const reminderMails = () => mailsAbout('Doppler effect', 'Live class starting soon');
    await waitFor(() => reminderMails().length >= 3, 'the reminder mails');

    // Restarted again, and another replica's run besides: nothing more is sent.
    await platform.stopSubgraph('academy');
    await platform.restartSubgraph('academy');
    expect(await sendDueReminders(db as Kysely<any>, platform.config, createLogger('test'))).toMatchObject({ sent: 0 });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // three polls of the restarted job
    for (const userId of ['3', '5', '6']) expect(await reminders(userId)).toHaveLength(1);
    expect((await db.selectFrom('academy.live_class_reminders').select('sent_at').where('live_class_id', '=', liveClassId).executeTakeFirstOrThrow()).sent_at).not.toBeNull();
    expect(
      reminderMails()
        .map((mail) => mail.to[0])
        .sort(),
    ).toEqual(['sam.student@bheem.example', 'sita.student@bheem.example', 'tara.teacher@bheem.example']);
  });
});
