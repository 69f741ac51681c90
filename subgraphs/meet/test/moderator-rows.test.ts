/**
 * Each moderator's action is its own audit row. An action LiveKit did not
 * confirm is settled only by meet's judges finishing it (a takeback,
 * reconciliation's removal): a moderator acting again right after, the same
 * action, is another action by its own actor, and was merged into the first
 * row (settling it), so the log lost who acted the second time.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../../test/livekit/livekit-double.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, type MeetTestPlatform, meetWithReconciler } from './meet-platform.js';

let meet: MeetTestPlatform;
let _reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler: _reconciler } = started));

const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted } }`;
const DEMOTE = `mutation($c: ID!, $u: ID!) { demoteParticipant(liveClassId: $c, userId: $u) { promoted canPublish } }`;
const REMOVE = `mutation($c: ID!, $u: ID!) { removeParticipant(liveClassId: $c, userId: $u) { id } }`;
const LOG = `query($id: ID!) { liveClass(id: $id) { moderationLog { action detail actor { id } } } }`;

async function logOf(id: string, action: string) {
  const { body } = await meet.call('tara.teacher', LOG, { id });
  return (body.data.liveClass.moderationLog as { action: string; detail: string | null; actor: { id: string } | null }[]).filter((entry) => entry.action === action);
}

/** The next UpdateParticipant (or RemoveParticipant) for Sam is lost before LiveKit acts on it. */
function loseNext(method: string) {
  meet.livekit.beforeActing = ({ method: called, body }) => {
    if (called !== method || body.identity !== '5') return;
    meet.livekit.beforeActing = undefined;
    throw new ConnectionReset();
  };
}

describe('two moderators acting on one student one after the other', () => {
  it('audits a demotion repeated after an unconfirmed one as a second row, by its own actor', async () => {
    const { id } = await classWithInRoom(meet, 'Lenses', ['tara.teacher', 'sam.student']);
    expect((await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' })).body.data.promoteParticipant).toEqual({ promoted: true });
    loseNext('UpdateParticipant');
    expect((await meet.call('tara.teacher', DEMOTE, { c: id, u: '5' })).body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    const again = await meet.call('admin', DEMOTE, { c: id, u: '5' });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.demoteParticipant).toEqual({ promoted: false, canPublish: false });
    const log = await logOf(id, 'DEMOTED');
    expect(log.map((entry) => entry.detail)).toEqual([null, 'unconfirmed']);
    expect(log[1]!.actor).toEqual({ id: '3' });
    expect(log[0]!.actor).not.toEqual({ id: '3' });
  });

  it('audits a removal repeated after an unconfirmed one as a second row', async () => {
    const { id, roomName } = await classWithInRoom(meet, 'Mirrors', ['tara.teacher', 'sam.student']);
    loseNext('RemoveParticipant');
    expect((await meet.call('tara.teacher', REMOVE, { c: id, u: '5' })).body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    expect(meet.livekit.participant(roomName, '5')).toBeDefined();
    const again = await meet.call('admin', REMOVE, { c: id, u: '5' });
    expect(again.body.errors).toBeUndefined();
    expect(meet.livekit.participant(roomName, '5')).toBeUndefined();
    expect((await logOf(id, 'REMOVED')).map((entry) => entry.detail)).toEqual([null, 'unconfirmed']);
  });
});
