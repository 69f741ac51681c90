/**
 * liveClassStatusChanged through the gateway, over graphql-ws: a course or
 * class the caller cannot see is refused with an error when subscribing,
 * instead of an acknowledged stream that stays silent.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { useMeetGateway } from './meet-platform.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { subscribeWs, wsUrlOf } from '../../../gateway/test/subscriptions-support.js';

const CALCULUS = DEMO_LIVE_CLASSES[2]!; // course 102: sam and neil, not sita
const SUBSCRIBE = 'subscription($courseId: ID, $liveClassId: ID) { liveClassStatusChanged(courseId: $courseId, liveClassId: $liveClassId) { id status } }';

const meet = useMeetGateway();

/** The first thing the subscription yields: an event with errors, or its end. */
async function firstOutcome(user: string, variables: Record<string, unknown>) {
  const { platform } = meet;
  const subscription = subscribeWs(wsUrlOf(platform.gateway!.url), await platform.tokenFor(user), SUBSCRIBE, variables);
  try {
    return await Promise.race([subscription.event(1).then((event: any) => ({ event })), subscription.ended.then((ended) => ({ ended }))]);
  } finally {
    subscription.dispose();
  }
}
const codeOf = (outcome: any) => outcome.event?.errors?.[0]?.extensions?.code ?? (outcome.ended?.error as any)?.[0]?.extensions?.code;

describe('subscription scope', () => {
  it('refuses a course of another company as NOT_FOUND', async () => {
    expect(codeOf(await firstOutcome('gary.student', { courseId: '101' }))).toBe('NOT_FOUND');
  });

  it('refuses a course the caller is not enrolled in as FORBIDDEN', async () => {
    expect(codeOf(await firstOutcome('sita.student', { courseId: '102' }))).toBe('FORBIDDEN');
  });

  it('refuses a class the caller cannot see, and a class of another course than the one named', async () => {
    expect(codeOf(await firstOutcome('sita.student', { liveClassId: CALCULUS.id }))).toBe('NOT_FOUND');
    expect(codeOf(await firstOutcome('sam.student', { liveClassId: 'not-a-uuid' }))).toBe('NOT_FOUND');
    expect(codeOf(await firstOutcome('sam.student', { courseId: '101', liveClassId: CALCULUS.id }))).toBe('BAD_USER_INPUT');
  });

  it('still serves a visible scope, delivering its events', async () => {
    const { platform } = meet;
    const subscription = subscribeWs(wsUrlOf(platform.gateway!.url), await platform.tokenFor('sam.student'), SUBSCRIBE, { liveClassId: CALCULUS.id });
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 60_000 }).toBe(1);
    await platform.query('ravi.teacher', `mutation { cancelLiveClass(id: "${CALCULUS.id}") { id } }`);
    expect((await subscription.event(1)).data.liveClassStatusChanged).toEqual({ id: CALCULUS.id, status: 'CANCELLED' });
    subscription.dispose();
  });
});
