/**
 * A demotion whose LiveKit answer is lost goes to its safe side, as a
 * removal's does: the database says demoted (a join gives a listener's
 * token), the teacher is told UNCONFIRMED, and the judges of publishing take
 * back what LiveKit still allows, which finishes the demotion: one audit row,
 * the teacher's, settled once confirmed.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../../test/livekit/livekit-double.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, JOIN, type MeetTestPlatform, meetWithReconciler } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted } }`;
const DEMOTE = `mutation($c: ID!, $u: ID!) { demoteParticipant(liveClassId: $c, userId: $u) { promoted canPublish } }`;
const STANDING = `query($id: ID!) { liveClass(id: $id) { roomParticipants { identity promoted } moderationLog { action detail actor { id } } } }`;

/** A class with Tara and Sam (user 5) in its room, Sam promoted and publishing his camera. */
async function samSpeaking(title: string) {
  const created = await classWithInRoom(meet, title, ['tara.teacher', 'sam.student']);
  expect((await meet.call('tara.teacher', PROMOTE, { c: created.id, u: '5' })).body.data.promoteParticipant).toEqual({ promoted: true });
  meet.livekit.publishTrack(created.roomName, '5', 'CAMERA');
  await meet.livekit.webhooksSettled();
  return created;
}
async function standingOf(id: string) {
  const { body } = await meet.call('tara.teacher', STANDING, { id });
  const { roomParticipants, moderationLog } = body.data.liveClass;
  return {
    promoted: roomParticipants.find((participant: { identity: string }) => participant.identity === '5')?.promoted as boolean,
    log: (moderationLog as { action: string; detail: string | null; actor: { id: string } | null }[]).filter((entry) => entry.action !== 'PROMOTED'),
  };
}
const heldIn = async (id: string) => (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);

describe('a demotion whose LiveKit answer is lost', () => {
  it('before LiveKit acted is UNCONFIRMED: demoted in the database, finished by reconciliation, audited once', async () => {
    const { id, roomName } = await samSpeaking('Filters');
    meet.livekit.beforeActing = ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.identity !== '5') return;
      meet.livekit.beforeActing = undefined;
      throw new ConnectionReset(); // lost on its way: Sam still publishes
    };
    const { status, body } = await meet.call('tara.teacher', DEMOTE, { c: id, u: '5' });
    expect(status).not.toBe(500);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNCONFIRMED', userId: '5' });
    expect(body.data?.demoteParticipant ?? null).toBeNull();
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true }, tracks: [{ source: 'CAMERA' }] });
    expect(await standingOf(id)).toEqual({ promoted: false, log: [{ action: 'DEMOTED', detail: 'unconfirmed', actor: { id: '3' } }] });
    // Joins follow the database: a listener's token.
    expect((await meet.call('sam.student', JOIN, { id })).body.data.joinLiveClass.canPublish).toBe(false);
    expect(await heldIn(id)).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(await standingOf(id)).toEqual({ promoted: false, log: [{ action: 'DEMOTED', detail: null, actor: { id: '3' } }] });
    expect(await heldIn(id)).toEqual([]);
  });

  it('after LiveKit acted is UNCONFIRMED and leaves nothing more to do', async () => {
    const { id, roomName } = await samSpeaking('Polarisers');
    meet.livekit.beforeAnswer = ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      throw new ConnectionReset();
    };
    const { status, body } = await meet.call('tara.teacher', DEMOTE, { c: id, u: '5' });
    expect(status).not.toBe(500);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(await heldIn(id)).toEqual([]);
    expect(await standingOf(id)).toEqual({ promoted: false, log: [{ action: 'DEMOTED', detail: 'unconfirmed', actor: { id: '3' } }] });
  });
});
