/**
 * Join tokens that name no role (minted before meet carried roles, or by an
 * integrator with the API key): their holder counts as what Moodle says they
 * are in the course, as joinLiveClass decides, never as a moderator for
 * being the class's host. Through the LiveKit double, its signed webhooks
 * and reconciliation, against academy's Moodle tables.
 */
import { sql, type Kysely } from 'kysely';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetDatabase } from '../database.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { inMinutes, reconcilerFor, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
let db: Kysely<MeetDatabase>;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
  db = meet.platform.db.withSchema('meet');
  ({ reconciler } = reconcilerFor(meet));
});
afterAll(async () => {
  await reconciler?.stop();
  await meet?.stop();
});

/** A token as an integrator mints one with the API key: identity and room, publishing allowed, no metadata. */
async function roleless(identity: string, roomName: string): Promise<string> {
  const { apiKey, apiSecret } = meet.platform.config.livekit;
  const token = new AccessToken(apiKey, apiSecret, { identity, ttl: 600 });
  token.addGrant({ room: roomName, roomJoin: true, canPublish: true, canSubscribe: true });
  return token.toJwt();
}
async function schedule() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Waves', scheduledAt: inMinutes(10) } });
  return body.data.scheduleLiveClass as { id: string; roomName: string };
}
const statusOf = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status } }`)).body.data.liveClass.status;
const role = (shortname: string) => sql`(SELECT id FROM moodle.mdl_role WHERE shortname = ${shortname})`;
const inCourse101 = (userId: string) => sql`userid = ${userId} AND contextid = (SELECT id FROM moodle.mdl_context WHERE contextlevel = 50 AND instanceid = 101)`;
/** Moodle gives the user the role in course 101 instead of the other, for the test's body. */
async function withRole<T>(userId: string, from: string, to: string, body: () => Promise<T>): Promise<T> {
  await sql`UPDATE moodle.mdl_role_assignments SET roleid = ${role(to)} WHERE ${inCourse101(userId)} AND roleid = ${role(from)}`.execute(db);
  try {
    return await body();
  } finally {
    await sql`UPDATE moodle.mdl_role_assignments SET roleid = ${role(from)} WHERE ${inCourse101(userId)} AND roleid = ${role(to)}`.execute(db);
  }
}

describe('join tokens naming no role', () => {
  it('do not let the host Moodle made a student open the class, by webhook or reconciliation, nor moderate it', async () => {
    const liveClass = await schedule(); // Tara (3) is its host
    await withRole('3', 'editingteacher', 'student', async () => {
      const host = await meet.livekit.connect(await roleless('3', liveClass.roomName));
      await meet.livekit.webhooksSettled();
      expect(host.metadata).toBe('');
      expect(await statusOf(liveClass.id)).toBe('WAITING');
      // The webhook lost: reconciliation, seeing her in the room, does not open it either.
      await sql`UPDATE meet.live_classes SET status = 'SCHEDULED' WHERE id = ${liveClass.id}`.execute(db);
      expect((await reconciler.reconcile()).started).not.toContain(liveClass.id);
      expect(await statusOf(liveClass.id)).toBe('WAITING');
      // A student like any other: an admin may promote her.
      const promoted = await meet.call('admin', `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { identity promoted } }`, {
        c: liveClass.id,
        u: '3',
      });
      expect(promoted.body.errors).toBeUndefined();
      expect(promoted.body.data.promoteParticipant).toEqual({ identity: '3', promoted: true });
    });
  });

  it('let a teacher of the course who is not the host open the class', async () => {
    const liveClass = await schedule();
    await withRole('6', 'student', 'editingteacher', async () => {
      await meet.livekit.connect(await roleless('6', liveClass.roomName));
      await meet.livekit.webhooksSettled();
      expect(await statusOf(liveClass.id)).toBe('LIVE');
    });
  });

  it('let a teacher of the course open the class through reconciliation when the webhook was lost', async () => {
    const liveClass = await schedule();
    await withRole('6', 'student', 'editingteacher', async () => {
      meet.livekit.addParticipant(liveClass.roomName, '6', 'Sita', { metadata: '' });
      expect((await reconciler.reconcile()).started).toContain(liveClass.id);
      expect(await statusOf(liveClass.id)).toBe('LIVE');
    });
  });
});
