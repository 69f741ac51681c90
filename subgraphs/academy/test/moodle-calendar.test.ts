import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { PublishedEvent } from '../../../platform/events/published-event.js';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { MOODLE_CALENDAR_GROUP, moodleCalendarHandlers, moodleCalendarOptions } from '../consumers/moodle-calendar-consumer.js';

let livekit: LiveKitDouble;
let platform: TestPlatform;
let db: Kysely<any>;
let moodle: Kysely<any>;
beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false, env: { LIVEKIT_URL: livekit.url, ACADEMY_CONSUME_EVENTS: 'true' } });
  db = platform.db;
  moodle = db.withSchema(platform.config.moodle.schema);
});
afterAll(async () => {
  await platform?.stop(); // also closes `db`
  await livekit?.stop();
});

const bheem = demoCompanyId('bheem');
const inMinutes = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000).toISOString();
const unix = (iso: string) => String(Date.parse(iso) / 1000);

const meet = (user: string, query: string, variables: Record<string, unknown>) =>
  callSubgraph({ url: platform.subgraphs.meet!.url, audience: 'meet', secret: platform.config.internalSigningSecret, viewer: demoViewer(user), query, variables });
const SCHEDULE = `mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id scheduledAt } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLiveClassInput!) { updateLiveClass(id: $id, input: $input) { id } }`;
const CANCEL = `mutation($id: ID!) { cancelLiveClass(id: $id) { id status } }`;

async function schedule(user: string, input: Record<string, unknown>): Promise<string> {
  const { body } = await meet(user, SCHEDULE, { input });
  expect(body.errors).toBeUndefined();
  return body.data.scheduleLiveClass.id;
}

/** Polls a condition (the consumer works in the background) until it holds, or fails after the timeout. */
async function waitFor<T>(check: () => Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const courseEvents = (liveClassId: string) => moodle.selectFrom('mdl_event').selectAll().where('uuid', '=', liveClassId).execute();
const notices = async (liveClassId: string, kind: string) =>
  moodle
    .selectFrom('mdl_notifications')
    .selectAll()
    .where(sql<boolean>`customdata::jsonb ->> 'notice' = ${kind}`)
    .where(sql<boolean>`customdata::jsonb ->> 'liveclassid' = ${liveClassId}`)
    .orderBy('useridto')
    .execute();
const recipients = (rows: Record<string, any>[]) => rows.map((row) => row.useridto).sort();
const processed = async (eventId: string) =>
  (await sql`SELECT 1 FROM events.processed WHERE group_name = ${MOODLE_CALENDAR_GROUP} AND event_id = ${eventId}`.execute(db)).rows.length > 0;

function classPayload(liveClassId: string, changes: Record<string, unknown> = {}) {
  return {
    company_id: bheem,
    live_class_id: liveClassId,
    course_id: '101',
    title: 'Vectors',
    description: null,
    scheduled_at: inMinutes(300),
    duration_minutes: 30,
    status: 'SCHEDULED',
    host_user_id: '3',
    ...changes,
  };
}

async function publish(topic: string, key: string, payload: Record<string, any>, companyId = bheem): Promise<string> {
  return db.transaction().execute(async (trx) => (await publishEvent(trx, { topic, companyId, key, payload, source: 'meet' })).id);
}

/** One delivery of an event to the group's handler, outside the backbone (to deliver the very same event twice). */
async function deliver(topic: 'meet.class.scheduled' | 'meet.class.cancelled', payload: Record<string, any>, event: { id: string }, options: { thenFail?: boolean } = {}) {
  const handlers = moodleCalendarHandlers(moodleCalendarOptions(platform.config));
  const published = {
    id: event.id,
    topic,
    companyId: bheem,
    key: payload.live_class_id,
    payload,
    source: 'meet',
    createdAt: new Date(),
    position: '0',
    cursor: '',
  } as PublishedEvent<any>;
  await db.transaction().execute(async (trx) => {
    await handlers[topic](published, { trx, attempt: 1, group: MOODLE_CALENDAR_GROUP, log: createLogger('test') });
    if (options.thenFail) throw new Error('crash after the handler');
  });
}

describe('live classes in Moodle', () => {
  it('puts a class scheduled in meet into the course calendar, and notifies the enrolled users but its host', async () => {
    const scheduledAt = inMinutes(180);
    const before = Math.floor(Date.now() / 1000);
    const id = await schedule('tara.teacher', { courseId: '101', title: 'Friction & drag', description: 'Bring a ruler\nand a <pen>', scheduledAt, durationMinutes: 45 });

    const [event] = await waitFor(async () => ((await courseEvents(id)).length ? courseEvents(id) : undefined), 'the course event');
    const link = `${platform.config.publicUrl}/app/courses/101#class-${id}`;
    expect(event).toMatchObject({
      eventtype: 'course',
      courseid: '101',
      userid: '3',
      name: 'Friction & drag',
      description: `<p>Bring a ruler<br>and a &lt;pen&gt;</p><p><a href="${link}">Join the live class</a></p>`,
      format: 1,
      visible: 1,
      component: null,
      location: link,
      modulename: '',
      instance: '0',
      sequence: '1',
      timestart: unix(scheduledAt),
      timesort: unix(scheduledAt),
      timeduration: '2700',
    });
    const sent = await waitFor(async () => ((await notices(id, 'liveclass_scheduled')).length ? notices(id, 'liveclass_scheduled') : undefined), 'notifications');
    // Course 101: Tara teaches (and scheduled it), Sam and Sita study.
    expect(recipients(sent)).toEqual(['5', '6']);
    expect(sent[0]).toMatchObject({
      useridfrom: '3',
      component: 'moodle',
      eventtype: 'coursecontentupdated',
      contexturl: link,
      contexturlname: 'Friction & drag',
      fullmessageformat: 2,
      timeread: null,
    });
    expect(sent[0]!.subject).toMatch(/^Live class scheduled: Friction & drag \(\w{3} \d{1,2} \w{3}, \d\d:\d\d\)$/);
    expect(sent[0]!.smallmessage).toBe(sent[0]!.subject);
    // Sam keeps the site's zone (Asia/Kolkata in the demo data), Sita chose Europe/London.
    expect(sent[0]!.fullmessage).toContain('(Asia/Kolkata), for 45 minutes.');
    expect(sent[1]!.fullmessage).toContain('(Europe/London), for 45 minutes.');
    expect(sent[0]!.fullmessage).toContain(`Open the live class: ${link}`);
    expect(sent[0]!.fullmessagehtml).toContain('&quot;Friction &amp; drag&quot;');
    // Written between the request and now, however long that took.
    expect(Number(sent[0]!.timecreated)).toBeGreaterThanOrEqual(before);
    expect(Number(sent[0]!.timecreated)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it('moves the same course event when the class is rescheduled, and removes it when cancelled', async () => {
    const id = await schedule('tara.teacher', { courseId: '101', title: 'Momentum', scheduledAt: inMinutes(240), durationMinutes: 60 });
    const [created] = await waitFor(async () => ((await courseEvents(id)).length ? courseEvents(id) : undefined), 'the course event');

    const movedTo = inMinutes(24 * 60);
    expect((await meet('tara.teacher', UPDATE, { id, input: { scheduledAt: movedTo, durationMinutes: 90 } })).body.errors).toBeUndefined();
    const [moved, ...others] = await waitFor(async () => {
      const rows = await courseEvents(id);
      return rows[0]?.sequence === '2' ? rows : undefined;
    }, 'the moved course event');
    expect(others).toEqual([]);
    expect(moved).toMatchObject({ id: created!.id, timestart: unix(movedTo), timeduration: '5400', name: 'Momentum' });
    const rescheduled = await notices(id, 'liveclass_rescheduled');
    expect(recipients(rescheduled)).toEqual(['5', '6']);
    expect(rescheduled[0]!.fullmessage).toContain('instead of');

    // A new title is shown, but it is no reschedule: nobody is notified again.
    expect((await meet('tara.teacher', UPDATE, { id, input: { title: 'Momentum, revisited' } })).body.errors).toBeUndefined();
    await waitFor(async () => (await courseEvents(id))[0]?.sequence === '3', 'the renamed course event');
    expect((await courseEvents(id))[0]!.name).toBe('Momentum, revisited');
    expect(await notices(id, 'liveclass_rescheduled')).toHaveLength(2);

    expect((await meet('tara.teacher', CANCEL, { id })).body.data.cancelLiveClass.status).toBe('CANCELLED');
    await waitFor(async () => (await courseEvents(id)).length === 0, 'the course event to go');
    const cancelled = await waitFor(async () => ((await notices(id, 'liveclass_cancelled')).length ? notices(id, 'liveclass_cancelled') : undefined), 'notifications');
    expect(recipients(cancelled)).toEqual(['5', '6']);
    expect(cancelled[0]!.subject).toBe('Live class cancelled: Momentum, revisited');
  });

  it('tells every teacher and student of the course when a recording is ready, once per recording', async () => {
    const liveClassId = randomUUID();
    const recording = { company_id: bheem, recording_id: randomUUID(), live_class_id: liveClassId, course_id: '102', status: 'READY', duration_seconds: 3000, title: 'Series' };
    const first = await publish('meet.recording.ready', recording.recording_id, recording);
    await waitFor(() => processed(first), 'the first delivery');
    const sent = await notices(liveClassId, 'recording_available');
    // Course 102: Ravi teaches, Sam and Neil study; nobody in particular sends it.
    expect(recipients(sent)).toEqual(['4', '5', '7']);
    expect(sent[0]).toMatchObject({
      useridfrom: '-10',
      subject: 'Recording available: Series',
      contexturl: `${platform.config.publicUrl}/app/courses/102#class-${liveClassId}`,
      contexturlname: 'Series',
    });

    const again = await publish('meet.recording.ready', recording.recording_id, recording);
    await waitFor(() => processed(again), 'the second delivery');
    expect(await notices(liveClassId, 'recording_available')).toHaveLength(3);
  });

  it('sends notifications from the actor meet names, the host only when an event names none', async () => {
    // Through meet: the admin (Moodle user 2) moves Tara's class; Tara, the host, is told too.
    const id = await schedule('tara.teacher', { courseId: '101', title: 'Torque', scheduledAt: inMinutes(200), durationMinutes: 30 });
    await waitFor(async () => ((await courseEvents(id)).length ? true : undefined), 'the course event');
    expect((await meet('admin', UPDATE, { id, input: { scheduledAt: inMinutes(400) } })).body.errors).toBeUndefined();
    const moved = await waitFor(async () => ((await notices(id, 'liveclass_rescheduled')).length ? notices(id, 'liveclass_rescheduled') : undefined), 'notifications');
    expect(moved.map((row) => row.useridfrom)).toEqual(['2', '2', '2']);
    expect(recipients(moved)).toEqual(['3', '5', '6']);

    // A cancellation queued before meet sent actors: credited to the host, who is not told of it.
    const older = randomUUID();
    const scheduledEvent = await publish('meet.class.scheduled', older, classPayload(older, { actor_id: '4' }));
    await waitFor(() => processed(scheduledEvent), 'the scheduled event');
    expect((await notices(older, 'liveclass_scheduled')).map((row) => row.useridfrom)).toEqual(['4', '4', '4']);
    const cancelEvent = await publish('meet.class.cancelled', older, classPayload(older, { status: 'CANCELLED' }));
    await waitFor(() => processed(cancelEvent), 'the cancelled event');
    const cancelled = await notices(older, 'liveclass_cancelled');
    expect(cancelled.map((row) => row.useridfrom)).toEqual(['3', '3']);
    expect(recipients(cancelled)).toEqual(['5', '6']);

    // A recording made available by someone: sent by them, and not to them.
    const liveClassId = randomUUID();
    const recording = { company_id: bheem, recording_id: randomUUID(), live_class_id: liveClassId, course_id: '101', status: 'READY', title: 'Torque', actor_id: '3' };
    const readyEvent = await publish('meet.recording.ready', recording.recording_id, recording);
    await waitFor(() => processed(readyEvent), 'the recording event');
    const ready = await notices(liveClassId, 'recording_available');
    expect(ready.map((row) => row.useridfrom)).toEqual(['3', '3']);
    expect(recipients(ready)).toEqual(['5', '6']);
  });

  it('leaves one course event and one notification per user when the very same event is delivered twice', async () => {
    const liveClassId = randomUUID();
    const payload = classPayload(liveClassId);
    const scheduled = { id: randomUUID() };
    await deliver('meet.class.scheduled', payload, scheduled);
    await deliver('meet.class.scheduled', payload, scheduled);
    expect(await courseEvents(liveClassId)).toHaveLength(1);
    expect(recipients(await notices(liveClassId, 'liveclass_scheduled'))).toEqual(['5', '6']);

    const cancelled = { id: randomUUID() };
    await deliver('meet.class.cancelled', { ...payload, status: 'CANCELLED' }, cancelled);
    await deliver('meet.class.cancelled', { ...payload, status: 'CANCELLED' }, cancelled);
    expect(await courseEvents(liveClassId)).toEqual([]);
    expect(recipients(await notices(liveClassId, 'liveclass_cancelled'))).toEqual(['5', '6']);
  });

  it('writes nothing when the delivery does not commit', async () => {
    const liveClassId = randomUUID();
    await expect(deliver('meet.class.scheduled', classPayload(liveClassId), { id: randomUUID() }, { thenFail: true })).rejects.toThrow('crash after the handler');
    expect(await courseEvents(liveClassId)).toEqual([]);
    expect(await notices(liveClassId, 'liveclass_scheduled')).toEqual([]);
  });

  it("never touches another company's course from a forged event", async () => {
    const globexClass = await schedule('gina.teacher', { courseId: '201', title: 'Pitch clinic', scheduledAt: inMinutes(600) });
    const [globexEvent] = await waitFor(async () => ((await courseEvents(globexClass)).length ? courseEvents(globexClass) : undefined), 'the Globex course event');
    expect(globexEvent!.courseid).toBe('201');

    // Bheem's events naming Globex's course, or Globex's class under Bheem's course.
    const forgedClass = randomUUID();
    const forged = [
      await publish('meet.class.scheduled', forgedClass, classPayload(forgedClass, { course_id: '201' })),
      await publish('meet.class.cancelled', globexClass, classPayload(globexClass, { course_id: '201', status: 'CANCELLED' })),
      await publish('meet.class.updated', globexClass, classPayload(globexClass, { course_id: '101', title: 'Hijacked' })),
      await publish('meet.class.cancelled', globexClass, classPayload(globexClass, { course_id: '101', status: 'CANCELLED' })),
      await publish('meet.recording.ready', randomUUID(), { company_id: bheem, recording_id: randomUUID(), live_class_id: forgedClass, course_id: '201', status: 'READY' }),
    ];
    for (const eventId of forged) await waitFor(() => processed(eventId), 'the forged events to be handled');

    expect(await courseEvents(forgedClass)).toEqual([]);
    expect(await courseEvents(globexClass)).toEqual([globexEvent]);
    const globexNotices = await moodle
      .selectFrom('mdl_notifications')
      .select(['useridto', sql<string>`customdata::jsonb ->> 'notice'`.as('notice')])
      .where('useridto', 'in', ['20', '21', '22'])
      .execute();
    expect(globexNotices).toEqual([{ useridto: '22', notice: 'liveclass_scheduled' }]);
  });
});
