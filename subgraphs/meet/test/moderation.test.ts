/**
 * Moderation of a live class through the gateway, with clients in the LiveKit
 * double holding the tokens joinLiveClass hands out: raised hands, promotion
 * to speak (canPublish in LiveKit's participant state), demotion, muting,
 * removal with joins refused until re-admitted, the audit, and
 * reconciliation removing a user academy no longer lists in the course.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeWs, wsUrlOf } from '../../../gateway/test/subscriptions-support.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import type { LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import type { TestPlatform } from '../../../test/support/test-platform.js';
import type { MeetDatabase } from '../database.js';
import { gatewayData, inMinutes, reconcilerFor, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let livekit: LiveKitDouble;
let platform: TestPlatform;
let db: Kysely<MeetDatabase>;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' }, { gateway: true });
  ({ livekit, platform } = meet);
  db = platform.db.withSchema('meet');
});
afterAll(() => meet?.stop());

const gql = (user: string, query: string, variables?: Record<string, unknown>) => gatewayData(platform, user, query, variables);
/** The first error's code (and the data must be null or absent for the failed field). */
async function codeOf(user: string, query: string, variables?: Record<string, unknown>) {
  const result = await platform.query(user, query, variables);
  expect(result.errors, `expected ${user} to be refused`).toBeDefined();
  return result.errors![0]!.extensions?.code;
}
async function schedule() {
  const data = await gql('tara.teacher', `mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id roomName } }`, {
    input: { courseId: '101', title: 'Optics', scheduledAt: inMinutes(5) },
  });
  return data.scheduleLiveClass as { id: string; roomName: string };
}
const JOIN = `mutation($id: ID!) { joinLiveClass(id: $id) { token canPublish } }`;
/** The user joins through the API, then connects to the room with the ticket, as a client would. */
async function enter(user: string, classId: string) {
  const data = await gql(user, JOIN, { id: classId });
  const participant = await livekit.connect(data.joinLiveClass.token);
  await livekit.webhooksSettled();
  return participant;
}

const PARTICIPANT = 'identity canPublish canPublishSources promoted handRaisedAt tracks { sid source muted }';
const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { ${PARTICIPANT} } }`;
const DEMOTE = `mutation($c: ID!, $u: ID!) { demoteParticipant(liveClassId: $c, userId: $u) { ${PARTICIPANT} } }`;
const MUTE = `mutation($c: ID!, $u: ID!, $sid: ID, $source: TrackSource) { muteParticipantTrack(liveClassId: $c, userId: $u, trackSid: $sid, source: $source) { ${PARTICIPANT} } }`;
const REMOVE = `mutation($c: ID!, $u: ID!) { removeParticipant(liveClassId: $c, userId: $u) { id removedParticipants { id } } }`;
const READMIT = `mutation($c: ID!, $u: ID!) { readmitParticipant(liveClassId: $c, userId: $u) { id removedParticipants { id } } }`;
const RAISE = `mutation($c: ID!) { raiseHand(liveClassId: $c) { id raisedHands { user { id } } } }`;
const LOWER = `mutation($c: ID!, $u: ID) { lowerHand(liveClassId: $c, userId: $u) { id raisedHands { user { id } } } }`;
const LOG = `query($id: ID!) { liveClass(id: $id) { moderationLog { action actor { id } target { id fullName } detail at } } }`;

describe('live class moderation (through the gateway)', () => {
  it('promotes a student with a raised hand to camera and microphone in LiveKit, mutes and demotes them, and audits it', async () => {
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    const sam = await enter('sam.student', liveClass.id);
    expect(sam.permission).toMatchObject({ canPublish: false, canPublishSources: [] });

    // Sam raises a hand: the teacher sees it, Sita (another student) does not, Sam sees their own.
    expect((await gql('sam.student', RAISE, { c: liveClass.id })).raiseHand.raisedHands).toEqual([{ user: { id: '5' } }]);
    const hands = `query($id: ID!) { liveClass(id: $id) { raisedHands { user { id fullName } raisedAt } } }`;
    expect((await gql('tara.teacher', hands, { id: liveClass.id })).liveClass.raisedHands).toEqual([{ user: { id: '5', fullName: 'Sam Dutta' }, raisedAt: expect.any(String) }]);
    expect((await gql('sita.student', hands, { id: liveClass.id })).liveClass.raisedHands).toEqual([]);

    // A student may not promote; the teacher does, through RoomService UpdateParticipant.
    expect(await codeOf('sita.student', PROMOTE, { c: liveClass.id, u: '5' })).toBe('FORBIDDEN');
    expect(livekit.participant(liveClass.roomName, '5')!.permission!.canPublish).toBe(false);
    const promoted = (await gql('tara.teacher', PROMOTE, { c: liveClass.id, u: '5' })).promoteParticipant;
    expect(promoted).toMatchObject({ identity: '5', canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'], promoted: true, handRaisedAt: null });
    // LiveKit's own state: the token holder may now publish camera and microphone, nothing else.
    expect(livekit.participant(liveClass.roomName, '5')!.permission).toEqual({
      canSubscribe: true,
      canPublish: true,
      canPublishData: true,
      canPublishSources: ['CAMERA', 'MICROPHONE'],
    });
    expect(livekit.callsTo('UpdateParticipant').at(-1)).toMatchObject({ status: 200, body: { room: liveClass.roomName, identity: '5' } });
    expect(() => livekit.publishTrack(liveClass.roomName, '5', 'SCREEN_SHARE')).toThrow(/may not publish/);
    const microphone = livekit.publishTrack(liveClass.roomName, '5', 'MICROPHONE');
    livekit.publishTrack(liveClass.roomName, '5', 'CAMERA');
    // Promotion cleared the hand; joining again keeps the right to speak.
    expect((await gql('tara.teacher', hands, { id: liveClass.id })).liveClass.raisedHands).toEqual([]);
    expect((await gql('sam.student', JOIN, { id: liveClass.id })).joinLiveClass.canPublish).toBe(true);

    // Mute by source (MutePublishedTrack), then demote: LiveKit unpublishes what Sam may no longer publish.
    const muted = (await gql('tara.teacher', MUTE, { c: liveClass.id, u: '5', source: 'MICROPHONE' })).muteParticipantTrack;
    expect(muted.tracks).toContainEqual({ sid: microphone.sid, source: 'MICROPHONE', muted: true });
    expect(livekit.participant(liveClass.roomName, '5')!.tracks!.find((track) => track.sid === microphone.sid)!.muted).toBe(true);
    expect(livekit.callsTo('MutePublishedTrack').at(-1)).toMatchObject({ status: 200, body: { identity: '5', trackSid: microphone.sid, muted: true } });
    const demoted = (await gql('tara.teacher', DEMOTE, { c: liveClass.id, u: '5' })).demoteParticipant;
    expect(demoted).toMatchObject({ canPublish: false, canPublishSources: [], promoted: false, tracks: [] });
    expect(livekit.participant(liveClass.roomName, '5')).toMatchObject({ permission: { canPublish: false, canPublishSources: [] }, tracks: [] });
    expect((await gql('sam.student', JOIN, { id: liveClass.id })).joinLiveClass.canPublish).toBe(false);

    // The room as the teacher sees it, and the audit, newest first, for teachers only.
    const room = (await gql('tara.teacher', `query($id: ID!) { liveClass(id: $id) { roomParticipants { identity moderator canPublish user { id } } } }`, { id: liveClass.id }))
      .liveClass;
    expect(room.roomParticipants).toEqual([
      { identity: '3', moderator: true, canPublish: true, user: { id: '3' } },
      { identity: '5', moderator: false, canPublish: false, user: { id: '5' } },
    ]);
    const log = (await gql('tara.teacher', LOG, { id: liveClass.id })).liveClass.moderationLog;
    expect(log.map((entry: any) => [entry.action, entry.actor?.id, entry.target.id])).toEqual([
      ['DEMOTED', '3', '5'],
      ['TRACK_MUTED', '3', '5'],
      ['PROMOTED', '3', '5'],
      ['HAND_RAISED', '5', '5'],
    ]);
    expect(log[1].detail).toBe(`MICROPHONE ${microphone.sid}`);
    expect(log[0].target.fullName).toBe('Sam Dutta');
    expect(await codeOf('sam.student', LOG, { id: liveClass.id })).toBe('FORBIDDEN');
  });

  it('removes a participant from the room and refuses their joins until re-admitted', async () => {
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    const ticket = (await gql('sita.student', JOIN, { id: liveClass.id })).joinLiveClass;
    await livekit.connect(ticket.token);
    await livekit.webhooksSettled();
    expect(await codeOf('sam.student', REMOVE, { c: liveClass.id, u: '6' })).toBe('FORBIDDEN');
    expect((await gql('tara.teacher', REMOVE, { c: liveClass.id, u: '6' })).removeParticipant.removedParticipants).toEqual([{ id: '6' }]);
    expect(livekit.participant(liveClass.roomName, '6')).toBeUndefined();
    expect(livekit.callsTo('RemoveParticipant').at(-1)).toMatchObject({ status: 200, body: { room: liveClass.roomName, identity: '6' } });
    const refused = await platform.query('sita.student', JOIN, { id: liveClass.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REMOVED' });
    // Back with the token minted before (LiveKit keeps no ban list): meet has LiveKit remove her again at once.
    await livekit.connect(ticket.token);
    await livekit.webhooksSettled();
    expect(livekit.participant(liveClass.roomName, '6')).toBeUndefined();
    // Removing someone not there is NOT_IN_ROOM; re-admitting lets Sita in again.
    expect(await codeOf('tara.teacher', REMOVE, { c: liveClass.id, u: '6' })).toBe('NOT_IN_ROOM');
    expect((await gql('tara.teacher', READMIT, { c: liveClass.id, u: '6' })).readmitParticipant.removedParticipants).toEqual([]);
    await enter('sita.student', liveClass.id);
    const log = (await gql('admin', LOG, { id: liveClass.id })).liveClass.moderationLog;
    expect(log.map((entry: any) => [entry.action, entry.actor?.id ?? null, entry.target.id, entry.detail])).toEqual([
      ['READMITTED', '3', '6', null],
      ['REMOVED', null, '6', 'removed'],
      ['REMOVED', '3', '6', null],
    ]);
    expect(log.every((entry: any) => Date.parse(entry.at) > Date.now() - 600_000)).toBe(true);
  });

  it('answers bad targets and callers with stable codes', async () => {
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    await enter('sam.student', liveClass.id);
    const vars = (u: string) => ({ c: liveClass.id, u });
    expect(await codeOf('tara.teacher', PROMOTE, vars('6'))).toBe('NOT_IN_ROOM'); // Sita is enrolled but not connected
    expect(await codeOf('tara.teacher', PROMOTE, vars('3'))).toBe('BAD_USER_INPUT'); // a moderator
    expect(await codeOf('tara.teacher', PROMOTE, vars('not-a-user'))).toBe('BAD_USER_INPUT');
    expect(await codeOf('tara.teacher', PROMOTE, { c: '00000000-0000-4000-8000-000000000000', u: '5' })).toBe('NOT_FOUND');
    expect(await codeOf('tara.teacher', PROMOTE, { c: 'nonsense', u: '5' })).toBe('NOT_FOUND');
    expect(await codeOf('neil.student', PROMOTE, vars('5'))).toBe('NOT_FOUND'); // not enrolled in the course
    expect(await codeOf('globex.admin', PROMOTE, vars('5'))).toBe('NOT_FOUND'); // another company
    expect(await codeOf('tara.teacher', MUTE, vars('5'))).toBe('BAD_USER_INPUT'); // neither sid nor source
    expect(await codeOf('tara.teacher', MUTE, { ...vars('5'), sid: 'TR_x', source: 'CAMERA' })).toBe('BAD_USER_INPUT');
    expect(await codeOf('tara.teacher', MUTE, { ...vars('5'), source: 'CAMERA' })).toBe('NOT_FOUND'); // publishes nothing
    expect(await codeOf('tara.teacher', RAISE, { c: liveClass.id })).toBe('BAD_USER_INPUT');
    expect(await codeOf('sita.student', RAISE, { c: liveClass.id })).toBe('NOT_IN_ROOM');
    expect(await codeOf('neil.student', RAISE, { c: liveClass.id })).toBe('NOT_FOUND');
    // Students lower only their own hand.
    await gql('sam.student', RAISE, { c: liveClass.id });
    expect(await codeOf('sita.student', LOWER, { c: liveClass.id, u: '5' })).toBe('FORBIDDEN');
    expect((await gql('sam.student', LOWER, { c: liveClass.id })).lowerHand.raisedHands).toEqual([]);
    expect(await codeOf('sam.student', `{ liveClass(id: "${liveClass.id}") { roomParticipants { identity } } }`)).toBe('FORBIDDEN');
  });

  it('pushes a raised hand to a teacher watching the class', async () => {
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    await enter('sam.student', liveClass.id);
    const before = activeSubscriptions('meet');
    const watching = subscribeWs(
      wsUrlOf(platform.gateway!.url),
      await platform.tokenFor('tara.teacher'),
      'subscription($id: ID) { liveClassStatusChanged(liveClassId: $id) { id raisedHands { user { id } } } }',
      { id: liveClass.id },
    );
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 10_000 }).toBe(before + 1);
    await gql('sam.student', RAISE, { c: liveClass.id });
    expect((await watching.event(1)).data.liveClassStatusChanged.raisedHands).toEqual([{ user: { id: '5' } }]);
    watching.dispose();
  });

  it('reconciliation removes from the room a user academy no longer lists in the course, and nobody else', async () => {
    const { reconciler } = reconcilerFor(meet);
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    await enter('admin', liveClass.id); // a company admin, not enrolled in the course: stays
    await enter('sam.student', liveClass.id);
    await enter('sita.student', liveClass.id);
    expect((await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([]);

    await sql`UPDATE moodle.mdl_user SET suspended = 1 WHERE id = 6`.execute(db);
    try {
      const report = await reconciler.reconcile();
      expect(report.removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([{ liveClassId: liveClass.id, userId: '6', reason: 'not_enrolled' }]);
    } finally {
      await sql`UPDATE moodle.mdl_user SET suspended = 0 WHERE id = 6`.execute(db);
      await reconciler.stop();
    }
    expect(
      livekit.participants
        .get(liveClass.roomName)!
        .map((participant) => participant.identity)
        .sort(),
    ).toEqual(['2', '3', '5']);
    const log = (await gql('tara.teacher', LOG, { id: liveClass.id })).liveClass.moderationLog;
    expect(log).toEqual([{ action: 'REMOVED', actor: null, target: { id: '6', fullName: 'Sita Kapoor' }, detail: 'not_enrolled', at: expect.any(String) }]);
  });

  it('reconciliation takes a teacher’s token out of the room once Moodle made them a student mid-class; they come back as one', async () => {
    const { reconciler } = reconcilerFor(meet);
    const liveClass = await schedule();
    await enter('tara.teacher', liveClass.id);
    // Sita is made a teacher of the course in Moodle, and joins as one (room admin, every source).
    const assignment = sql`FROM moodle.mdl_role_assignments ra USING moodle.mdl_context c
      WHERE ra.contextid = c.id AND c.contextlevel = 50 AND c.instanceid = 101 AND ra.userid = 6 AND ra.roleid = (SELECT id FROM moodle.mdl_role WHERE shortname = 'editingteacher')`;
    await sql`INSERT INTO moodle.mdl_role_assignments (roleid, contextid, userid)
      SELECT r.id, c.id, 6 FROM moodle.mdl_role r, moodle.mdl_context c WHERE r.shortname = 'editingteacher' AND c.contextlevel = 50 AND c.instanceid = 101`.execute(db);
    try {
      expect((await gql('sita.student', JOIN, { id: liveClass.id })).joinLiveClass.canPublish).toBe(true);
      const asTeacher = await enter('sita.student', liveClass.id);
      expect(JSON.parse(asTeacher.metadata!).role).toBe('teacher');
      expect((await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([]);
      // Moodle takes the teacher role back mid-class: she stays enrolled, as a student.
      await sql`DELETE ${assignment}`.execute(db);
      const report = await reconciler.reconcile();
      expect(report.removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([{ liveClassId: liveClass.id, userId: '6', reason: 'not_teacher' }]);
      expect(livekit.participant(liveClass.roomName, '6')).toBeUndefined();
      // Joining again hands her a student's token, which stays.
      const asStudent = await enter('sita.student', liveClass.id);
      expect(JSON.parse(asStudent.metadata!).role).toBe('student');
      expect(asStudent.permission!.canPublish).toBe(false);
      expect((await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([]);
    } finally {
      await sql`DELETE ${assignment}`.execute(db);
      await reconciler.stop();
    }
    const log = (await gql('tara.teacher', LOG, { id: liveClass.id })).liveClass.moderationLog;
    expect(log).toEqual([{ action: 'REMOVED', actor: null, target: { id: '6', fullName: 'Sita Kapoor' }, detail: 'not_teacher', at: expect.any(String) }]);
  });

  it('reconciliation holds the class’s host to the same rules as joinLiveClass: demoted, then suspended, they are removed', async () => {
    const { reconciler } = reconcilerFor(meet);
    const liveClass = await schedule(); // Tara (3) schedules it: she is its host
    const host = await enter('tara.teacher', liveClass.id);
    expect(JSON.parse(host.metadata!).role).toBe('teacher');
    await enter('sam.student', liveClass.id);
    const role = (shortname: string) => sql`(SELECT id FROM moodle.mdl_role WHERE shortname = ${shortname})`;
    const taraInCourse = sql`userid = 3 AND contextid = (SELECT id FROM moodle.mdl_context WHERE contextlevel = 50 AND instanceid = 101)`;
    try {
      expect((await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([]);
      // Moodle makes the host a student of the course mid-class: her teacher token (room admin) goes.
      await sql`UPDATE moodle.mdl_role_assignments SET roleid = ${role('student')} WHERE ${taraInCourse} AND roleid = ${role('editingteacher')}`.execute(db);
      const demoted = await reconciler.reconcile();
      expect(demoted.removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([{ liveClassId: liveClass.id, userId: '3', reason: 'not_teacher' }]);
      expect(livekit.participant(liveClass.roomName, '3')).toBeUndefined();
      // joinLiveClass hands the host a student's token now, which reconciliation leaves alone.
      const asStudent = await enter('tara.teacher', liveClass.id);
      expect(JSON.parse(asStudent.metadata!).role).toBe('student');
      expect(asStudent.permission!.canPublish).toBe(false);
      expect((await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([]);
      // Being the host no longer makes her a moderator: an admin may promote her like any student.
      expect((await gql('admin', PROMOTE, { c: liveClass.id, u: '3' })).promoteParticipant).toMatchObject({ identity: '3', canPublish: true, promoted: true });
      // Suspended, the host is no participant of the course at all (joinLiveClass refuses her too).
      await sql`UPDATE moodle.mdl_user SET suspended = 1 WHERE id = 3`.execute(db);
      const suspended = await reconciler.reconcile();
      expect(suspended.removedParticipants.filter((removal) => removal.liveClassId === liveClass.id)).toEqual([{ liveClassId: liveClass.id, userId: '3', reason: 'not_enrolled' }]);
      expect(livekit.participant(liveClass.roomName, '3')).toBeUndefined();
      expect(livekit.participant(liveClass.roomName, '5')).toBeDefined();
    } finally {
      await sql`UPDATE moodle.mdl_user SET suspended = 0 WHERE id = 3`.execute(db);
      await sql`UPDATE moodle.mdl_role_assignments SET roleid = ${role('editingteacher')} WHERE ${taraInCourse} AND roleid = ${role('student')}`.execute(db);
      await reconciler.stop();
    }
    const log = (await gql('tara.teacher', LOG, { id: liveClass.id })).liveClass.moderationLog;
    expect(log.map((entry: { action: string; detail: string | null; target: { id: string } }) => [entry.action, entry.target.id, entry.detail])).toEqual([
      ['REMOVED', '3', 'not_enrolled'],
      ['PROMOTED', '3', null],
      ['REMOVED', '3', 'not_teacher'],
    ]);
  });
});
