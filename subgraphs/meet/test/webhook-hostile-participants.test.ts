/**
 * LiveKit webhooks, signed as LiveKit signs them, about participants whose
 * identity, name and metadata are hostile: participants of every kind
 * LiveKit has, metadata that is JSON of another shape (or pretends to name
 * a role), 10 kB names and identities, an identity that is another
 * company's user, a room meet does not know. What must hold: every event
 * is answered (never a 5xx), a class waiting for its teacher stays waiting,
 * and attendance says nothing of another company's people.
 * (Kinds by number or name, replays, out-of-order joined/left and unknown
 * rooms as such are in webhooks.test.ts, webhook-participants.test.ts and
 * webhook-sequences.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' }, { gateway: true });
});
afterAll(() => meet?.stop());

const KINDS = ['STANDARD', 'INGRESS', 'EGRESS', 'SIP', 'AGENT', 0, 1, 2, 3, 4, 'KIND_OF_TOMORROW'];
/** Metadata that a careless parser would take for a teacher's token. */
const PRETENDING = [
  '{"role":{"$ne":null}}',
  '{"__proto__":{"role":"teacher"}}',
  '{"constructor":{"prototype":{"role":"teacher"}}}',
  '[{"role":"teacher"}]',
  JSON.stringify(JSON.stringify({ role: 'teacher' })),
  '{"role":"TEACHER"}',
  '{"role":"teacher ","admin":"true"}',
  `${'{"a":'.repeat(20_000)}{"role":"teacher"}${'}'.repeat(20_000)}`,
  '{"role":"student"}{"role":"teacher"}',
  'null',
  '\ufeff{"role":"teacher"}',
];
/** The companies' people (demo-ids.ts): Globex's must never be told to Bheem. */
const GLOBEX_PEOPLE = /Greta|Lind|Gina|Holm|Gary|Berg|Globex/;

const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
const hook = (event: string, fields: Record<string, unknown>) => sendWebhook(meet.webhookUrl, event, fields);

/** A class of Tara's course, its room opened by her join (the class waits for its teacher). */
async function openedClass(title: string) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title, scheduledAt: inMinutes(10) } });
  const liveClass = body.data.scheduleLiveClass as { id: string; roomName: string };
  expect((await meet.call('tara.teacher', JOIN, { id: liveClass.id })).body.errors).toBeUndefined();
  await meet.livekit.webhooksSettled();
  return liveClass;
}
const statusOf = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status } }`)).body.data.liveClass.status as string;

it('no participant of any kind, with metadata that pretends, opens a class waiting for its teacher; none fails', async () => {
  const liveClass = await openedClass('Hostile participants');
  const room = { sid: 'RM_hostile', name: liveClass.roomName };
  const participants = [
    // A person (Sam, a student) whose metadata pretends; a service of any kind with a teacher's very token.
    ...(['STANDARD', 0] as const).flatMap((kind) => PRETENDING.map((metadata, m) => ({ kind, metadata, identity: '5', sid: `PA_${kind}_${m}` }))),
    ...KINDS.filter((kind) => kind !== 'STANDARD' && kind !== 0).map((kind) => ({ kind, metadata: '{"role":"teacher"}', identity: '3', sid: `PA_service_${kind}` })),
    ...KINDS.map((kind, k) => ({ kind, metadata: '{"role":"student"}', identity: 'i'.repeat(10_000), name: 'n'.repeat(10_000), sid: `PA_long_${k}` })),
    // A company admin of Globex (demo user 20), with a student's token in a Bheem class.
    { kind: 'STANDARD', metadata: '{"role":"student"}', identity: '20', sid: 'PA_globex' },
  ];
  const answers: string[] = [];
  for (const participant of participants) {
    for (const event of ['participant_joined', 'track_published', 'participant_left']) {
      const answer = await hook(event, { room, participant: { ...participant, state: 'ACTIVE', joinedAt: seconds(new Date()) } });
      if (answer.status !== 200) answers.push(`${event} ${String(participant.kind)} ${participant.metadata.slice(0, 40)}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
  expect(answers).toEqual([]);
  expect(await statusOf(liveClass.id)).toBe('WAITING');
});

it('a participant naming another company’s user counts under that identity, and tells Bheem nothing of them', async () => {
  const liveClass = await openedClass('A visitor from elsewhere');
  const room = { sid: 'RM_visit', name: liveClass.roomName };
  const joinedAt = seconds(new Date(Date.now() - 60_000));
  expect((await hook('participant_joined', { room, participant: { sid: 'PA_tara', identity: '3', state: 'ACTIVE', joinedAt, metadata: '{"role":"teacher"}' } })).body.status).toBe(
    'applied',
  );
  for (const identity of ['20', '21', '22']) {
    const participant = { sid: `PA_${identity}`, identity, name: 'Greta Lind', state: 'ACTIVE', joinedAt, metadata: '{"role":"student"}' };
    expect((await hook('participant_joined', { room, participant })).status).toBe(200);
  }
  expect(await statusOf(liveClass.id)).toBe('LIVE');
  const seen = await meet.platform.query(
    'tara.teacher',
    `{ liveClass(id: "${liveClass.id}") { attendance { identity user { id fullName email } secondsPresent } attendanceCsv { url } } }`,
  );
  expect(JSON.stringify(seen)).not.toMatch(GLOBEX_PEOPLE);
  expect(seen.data.liveClass.attendance.map((entry: { identity: string }) => entry.identity).sort()).toEqual(['20', '21', '22', '3']);
  const url = new URL(seen.data.liveClass.attendanceCsv.url);
  const csv = await (await fetch(`${meet.platform.subgraphs.meet!.url.replace(/\/graphql$/, '')}${url.pathname}${url.search}`)).text();
  expect(csv).toContain('Tara Iyer');
  expect(csv).not.toMatch(GLOBEX_PEOPLE);
});

it('events about a room meet does not know are acknowledged and change nothing, whoever they name', async () => {
  const before = await meet.exec('SELECT count(*)::int AS n FROM meet.attendance');
  const room = { sid: 'RM_unknown', name: `not-a-class-${Date.now()}` };
  for (const [k, kind] of KINDS.entries()) {
    for (const event of ['room_started', 'participant_joined', 'track_published', 'participant_left', 'room_finished']) {
      const answer = await hook(event, { room, participant: { sid: `PA_u${k}`, identity: '3', kind, state: 'ACTIVE', metadata: '{"role":"teacher"}' } });
      expect([event, kind, answer.status, answer.body?.status]).toEqual([event, kind, 200, 'ignored']);
    }
  }
  expect(await meet.exec('SELECT count(*)::int AS n FROM meet.attendance')).toEqual(before);
});
