/**
 * A removal is in the database before LiveKit disconnects the student: a
 * join while LiveKit's answer to RemoveParticipant is held back (the double
 * has removed them) is refused, so no new token lets them back in. LiveKit
 * refusing, the claim is withdrawn: not removed, UNAVAILABLE, no 500.
 * LiveKit's answer lost (a connection reset, the SDK's timeout), the claim
 * stays, audited: UNCONFIRMED, joins refused, and reconciliation disconnects
 * them if LiveKit still lists them, settling that audit row (one removal, one
 * row).
 */
import { describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../../test/livekit/livekit-double.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, JOIN, type MeetTestPlatform, meetWithReconciler } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

const REMOVE = `mutation($c: ID!, $u: ID!) { removeParticipant(liveClassId: $c, userId: $u) { id } }`;
const REMOVED = `query($id: ID!) { liveClass(id: $id) { removedParticipants { id } moderationLog { action detail actor { id } } } }`;

/** A class with its teacher and Sam (user 5, a student) in the room. */
async function classWithSam() {
  return classWithInRoom(meet, 'Mirrors', ['tara.teacher', 'sam.student']);
}
async function removedOf(id: string) {
  const { body } = await meet.call('tara.teacher', REMOVED, { id });
  return body.data.liveClass as { removedParticipants: { id: string }[]; moderationLog: { action: string; detail: string | null; actor: { id: string } | null }[] };
}

describe('removing a student', () => {
  it('refuses their join while LiveKit\u2019s answer to the removal is on its way', async () => {
    const { id, roomName } = await classWithSam();
    let rejoin: { status: number; body: any } | undefined;
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'RemoveParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      rejoin = await meet.call('sam.student', JOIN, { id });
    };
    const { body } = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' });
    expect(body.data.removeParticipant).toEqual({ id });
    expect(rejoin?.status).not.toBe(500);
    expect(rejoin?.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REMOVED' });
    expect(rejoin?.body.data?.joinLiveClass ?? null).toBeNull();
    expect(meet.livekit.participant(roomName, '5')).toBeUndefined();
    const { removedParticipants, moderationLog } = await removedOf(id);
    expect(removedParticipants).toEqual([{ id: '5' }]);
    expect(moderationLog.map((entry) => entry.action)).toEqual(['REMOVED']);
  });

  it('that LiveKit fails is answered UNAVAILABLE and leaves them in the class, free to join', async () => {
    const { id, roomName } = await classWithSam();
    meet.livekit.unavailableMethods.add('RemoveParticipant');
    try {
      const { status, body } = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' });
      expect(status).not.toBe(500);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(body.data?.removeParticipant ?? null).toBeNull();
    } finally {
      meet.livekit.unavailableMethods.delete('RemoveParticipant');
    }
    expect(meet.livekit.participant(roomName, '5')).toBeDefined();
    expect((await removedOf(id)).removedParticipants).toEqual([]);
    expect((await removedOf(id)).moderationLog).toEqual([]);
    expect((await meet.call('sam.student', JOIN, { id })).body.data.joinLiveClass.token).toEqual(expect.any(String));
  });

  it('whose answer is lost after LiveKit disconnected them is UNCONFIRMED: recorded, audited, their joins refused', async () => {
    const { id, roomName } = await classWithSam();
    meet.livekit.beforeAnswer = ({ method, body }) => {
      if (method !== 'RemoveParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      throw new ConnectionReset();
    };
    const { status, body } = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' });
    expect(status).not.toBe(500);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNCONFIRMED', userId: '5' });
    expect(body.data?.removeParticipant ?? null).toBeNull();
    expect(meet.livekit.participant(roomName, '5')).toBeUndefined();
    const { removedParticipants, moderationLog } = await removedOf(id);
    expect(removedParticipants).toEqual([{ id: '5' }]);
    expect(moderationLog).toEqual([{ action: 'REMOVED', detail: 'unconfirmed', actor: { id: '3' } }]);
    const rejoin = await meet.call('sam.student', JOIN, { id });
    expect(rejoin.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REMOVED' });
  });

  it('unanswered until the SDK gives up leaves them removed, and reconciliation disconnects them while LiveKit lists them', async () => {
    const { id, roomName } = await classWithSam();
    const sam = structuredClone(meet.livekit.participant(roomName, '5')!);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'RemoveParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      meet.livekit.addParticipant(roomName, '5', sam.name, sam); // the removal did not take: Sam is still connected
      await released;
    };
    let answer: { status: number; body: any };
    try {
      answer = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' }); // answered once the SDK's timeout fired
    } finally {
      release();
    }
    expect(answer.status).not.toBe(500);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    expect(meet.livekit.participant(roomName, '5')).toBeDefined();
    expect((await removedOf(id)).removedParticipants).toEqual([{ id: '5' }]);
    const removed = (await reconciler.reconcile()).removedParticipants.filter((removal) => removal.liveClassId === id);
    expect(removed).toEqual([{ liveClassId: id, userId: '5', reason: 'removed' }]);
    expect(meet.livekit.participant(roomName, '5')).toBeUndefined();
    // Reconciliation finished Tara's removal: her audit row is settled, none added.
    expect((await removedOf(id)).moderationLog).toEqual([{ action: 'REMOVED', detail: null, actor: { id: '3' } }]);
  });
});
