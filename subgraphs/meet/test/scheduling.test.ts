import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const schedule = (user: string, input: Record<string, unknown>) =>
  meet.call(user, SCHEDULE, { input: { courseId: '101', title: 'Friction', scheduledAt: inMinutes(120), ...input } });
const mutate = (user: string, name: string, id: string) => meet.call(user, `mutation($id: ID!) { ${name}(id: $id) { id status endedAt } }`, { id });
const codeOf = (result: { body: any }) => result.body.errors?.[0]?.extensions?.code;

describe('scheduling live classes', () => {
  it('lets a teacher schedule a class of their course and publishes meet.class.scheduled with it', async () => {
    const scheduledAt = inMinutes(180);
    const { body } = await schedule('tara.teacher', { title: '  Friction and drag ', scheduledAt, durationMinutes: 45, description: 'Bring a ruler', record: true });
    expect(body.errors).toBeUndefined();
    const created = body.data.scheduleLiveClass;
    expect(created).toMatchObject({ status: 'SCHEDULED', title: 'Friction and drag', durationMinutes: 45, record: true, host: { id: '3' }, course: { id: '101' } });
    expect(created.roomName).toMatch(/^class-101-[0-9a-f]{8}$/);
    const events = (await meet.outbox('meet.class.scheduled')).filter((event) => event.entity_key === created.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.company_id).toBe(demoCompanyId('bheem'));
    expect(events[0]!.payload).toMatchObject({
      class_id: created.id,
      course_id: '101',
      company_id: demoCompanyId('bheem'),
      title: 'Friction and drag',
      description: 'Bring a ruler',
      scheduled_at: new Date(scheduledAt).toISOString(),
      duration_minutes: 45,
      host_id: '3',
      room_name: created.roomName,
      status: 'SCHEDULED',
      actor_id: '3',
    });
    const admin = await schedule('admin', { title: 'Admin-led review' });
    expect(admin.body.data.scheduleLiveClass.host).toEqual({ id: '2' });
  });

  it('refuses students, teachers of other courses and other companies, and writes no event', async () => {
    const before = (await meet.outbox('meet.class.scheduled')).length;
    expect(codeOf(await schedule('sam.student', {}))).toBe('FORBIDDEN');
    expect(codeOf(await schedule('ravi.teacher', {}))).toBe('FORBIDDEN');
    expect(codeOf(await schedule('gina.teacher', {}))).toBe('NOT_FOUND');
    expect(codeOf(await schedule('globex.admin', {}))).toBe('NOT_FOUND');
    expect(await meet.outbox('meet.class.scheduled')).toHaveLength(before);
  });

  it('validates title, time and duration', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ scheduledAt: inMinutes(-5) }, 'scheduledAt'],
      [{ durationMinutes: 4 }, 'durationMinutes'],
      [{ durationMinutes: 481 }, 'durationMinutes'],
    ];
    for (const [input, field] of cases) {
      const result = await schedule('tara.teacher', input);
      expect(codeOf(result), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(result.body.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(codeOf(await schedule('tara.teacher', { title: 'x'.repeat(200), durationMinutes: 480 }))).toBeUndefined();
  });

  it('reschedules a class and publishes meet.class.updated with the previous time', async () => {
    const created = (await schedule('tara.teacher', {})).body.data.scheduleLiveClass;
    const newTime = inMinutes(24 * 60);
    const update = `mutation($id: ID!, $input: UpdateLiveClassInput!) { updateLiveClass(id: $id, input: $input) { scheduledAt durationMinutes title } }`;
    const { body } = await meet.call('tara.teacher', update, { id: created.id, input: { scheduledAt: newTime, durationMinutes: 90 } });
    expect(body.errors).toBeUndefined();
    expect(body.data.updateLiveClass).toEqual({ scheduledAt: new Date(newTime).toISOString(), durationMinutes: 90, title: 'Friction' });
    const [event] = (await meet.outbox('meet.class.updated')).filter((row) => row.entity_key === created.id);
    expect(event!.payload).toMatchObject({ scheduled_at: new Date(newTime).toISOString(), duration_minutes: 90, previous_scheduled_at: created.scheduledAt, actor_id: '3' });
    // An admin changing Tara's class is the actor; Tara stays the host.
    expect((await meet.call('admin', update, { id: created.id, input: { title: 'Friction, again' } })).body.errors).toBeUndefined();
    const byAdmin = (await meet.outbox('meet.class.updated')).filter((row) => row.entity_key === created.id).at(-1);
    expect(byAdmin!.payload).toMatchObject({ title: 'Friction, again', actor_id: '2', host_user_id: '3' });
    expect(codeOf(await meet.call('sam.student', update, { id: created.id, input: { title: 'Mine now' } }))).toBe('FORBIDDEN');
    expect(codeOf(await meet.call('tara.teacher', update, { id: created.id, input: { durationMinutes: 1000 } }))).toBe('BAD_USER_INPUT');
  });

  it('cancels a scheduled class once, and refuses every later change with CONFLICT', async () => {
    const created = (await schedule('tara.teacher', {})).body.data.scheduleLiveClass;
    expect(codeOf(await mutate('sam.student', 'cancelLiveClass', created.id))).toBe('FORBIDDEN');
    const cancelled = await mutate('tara.teacher', 'cancelLiveClass', created.id);
    expect(cancelled.body.data.cancelLiveClass.status).toBe('CANCELLED');
    const events = (await meet.outbox('meet.class.cancelled')).filter((row) => row.entity_key === created.id);
    expect(events.map((event) => [event.payload.status, event.payload.actor_id])).toEqual([['CANCELLED', '3']]);
    expect(codeOf(await mutate('tara.teacher', 'cancelLiveClass', created.id))).toBe('CONFLICT');
    expect(codeOf(await mutate('tara.teacher', 'endLiveClass', created.id))).toBe('CONFLICT');
    expect(codeOf(await meet.call('tara.teacher', JOIN, { id: created.id }))).toBe('CONFLICT');
  });

  it('refuses to end a class nobody joined before its start, pointing to cancelLiveClass, and leaves it and its room alone', async () => {
    const created = (await schedule('tara.teacher', { scheduledAt: inMinutes(10) })).body.data.scheduleLiveClass;
    expect((await meet.call('tara.teacher', JOIN, { id: created.id })).body.errors).toBeUndefined(); // teachers open early
    expect(meet.livekit.rooms.has(created.roomName)).toBe(true);
    const refused = await mutate('tara.teacher', 'endLiveClass', created.id);
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.body.errors?.[0]?.message).toMatch(/nobody has joined.*cancelLiveClass/);
    expect((await meet.call('tara.teacher', `{ liveClass(id: "${created.id}") { status } }`)).body.data.liveClass.status).toBe('SCHEDULED');
    expect(meet.livekit.rooms.has(created.roomName)).toBe(true);
    expect((await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === created.id)).toEqual([]);
    expect((await mutate('tara.teacher', 'cancelLiveClass', created.id)).body.data.cancelLiveClass.status).toBe('CANCELLED');
  });

  it('ends a live class, closes its LiveKit room and publishes meet.class.ended', async () => {
    const created = (await schedule('tara.teacher', { scheduledAt: inMinutes(10) })).body.data.scheduleLiveClass;
    expect((await meet.call('tara.teacher', JOIN, { id: created.id })).body.errors).toBeUndefined();
    await meet.livekit.webhooksSettled();
    const tara = meet.livekit.addParticipant(created.roomName, '3');
    await sendWebhook(meet.webhookUrl, 'participant_joined', { room: { name: created.roomName }, participant: tara });
    const ended = await meet.call('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { id status startedAt endedAt } }`, { id: created.id });
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data.endLiveClass).toMatchObject({ status: 'ENDED', startedAt: new Date(Number(tara.joinedAt) * 1000).toISOString() });
    expect(ended.body.data.endLiveClass.endedAt).toBeTruthy();
    expect(meet.livekit.rooms.has(created.roomName)).toBe(false);
    expect(meet.livekit.callsTo('DeleteRoom').at(-1)).toMatchObject({ body: { room: created.roomName }, status: 200 });
    const [event] = (await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === created.id);
    expect(event!.payload).toMatchObject({ class_id: created.id, status: 'ENDED', reason: 'ended_by_teacher', actor_id: '3' });
    expect(codeOf(await mutate('tara.teacher', 'cancelLiveClass', created.id))).toBe('CONFLICT');
    expect(codeOf(await mutate('tara.teacher', 'endLiveClass', created.id))).toBe('CONFLICT');
  });

  it('ends a class nobody joined once its start has passed, with no start time', async () => {
    const created = (await schedule('tara.teacher', { scheduledAt: inMinutes(10) })).body.data.scheduleLiveClass;
    await meet.exec(`UPDATE meet.live_classes SET scheduled_at = now() - interval '15 minutes' WHERE id = '${created.id}'`);
    const ended = await meet.call('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { status startedAt endedAt } }`, { id: created.id });
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data.endLiveClass).toMatchObject({ status: 'ENDED', startedAt: null });
    const [event] = (await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === created.id);
    expect(event!.payload).toMatchObject({ status: 'ENDED', started_at: null, ended_at: ended.body.data.endLiveClass.endedAt, actor_id: '3' });
  });

  it('does not let another company touch a class', async () => {
    const created = (await schedule('tara.teacher', {})).body.data.scheduleLiveClass;
    for (const name of ['cancelLiveClass', 'endLiveClass']) {
      expect(codeOf(await mutate('globex.admin', name, created.id))).toBe('NOT_FOUND');
    }
    expect(codeOf(await meet.call('gina.teacher', JOIN, { id: created.id }))).toBe('NOT_FOUND');
  });
});
