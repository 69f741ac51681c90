/**
 * Federated subscriptions through the real gateway, with the graphql-ws
 * client: events carrying fields of three subgraphs, a LiveKit webhook
 * posted to meet making the event arrive, authorization per event, auth
 * failure codes, limits, SSE, a subgraph restarted mid-stream (events of
 * the gap delivered in order, none twice), a slow client next to a fast
 * one, and graceful shutdown.
 */
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { DEMO_COMPANIES, DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { publishEvent } from '../../platform/events/publish-event.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../test/livekit/send-webhook.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { createLogger } from '../../platform/logger.js';
import { startGateway } from '../start-gateway.js';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { SubscriptionCloseCode, TOO_SLOW_ERROR_CODE } from '../subscriptions/close-codes.js';
import { FAN_OUT_TIMINGS_CHANNEL, type FanOutTimings } from '../subscriptions/fan-out-timings.js';
import { rawSseSubscriber, rawSubscriber, subscribeSse, subscribeWs, wsUrlOf } from './subscriptions-support.js';

const [PHYSICS_NEWTON, PHYSICS_ENERGY, CALCULUS] = DEMO_LIVE_CLASSES;
const BHEEM = DEMO_COMPANIES.bheem.id;

const FEDERATED = `subscription($courseId: ID) {
  liveClassStatusChanged(courseId: $courseId) {
    id status startedAt
    course { fullname teachers { fullName } }
    calendarEvent { start }
    recordings { status }
  }
}`;
const IDS = 'subscription { liveClassStatusChanged { id status } }';

let livekit: LiveKitDouble;
let platform: TestPlatform;
let db: TestPlatform['db'];
let url: string;

beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet', 'calendar'], env: { LIVEKIT_URL: livekit.url, MEET_RECONCILE_INTERVAL_SECONDS: '0' } });
  db = platform.db;
  url = wsUrlOf(platform.gateway!.url);
});
afterAll(async () => {
  await platform?.stop();
  await livekit?.stop();
});

const sseUrl = () => platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/graphql/stream');
const webhookUrl = () => platform.subgraphs.meet!.url.replace(/\/graphql$/, '/webhooks/livekit');
const roomOf = async (id: string) => (await platform.query('admin', `{ liveClass(id: "${id}") { roomName } }`)).data.liveClass.roomName as string;
const sqlRows = async (query: string) => (await sql.raw(query).execute(db)).rows as any[];

/** A meet.class.* event straight into the backbone, as any meet replica would publish it. */
async function publishClassEvent(topic: 'meet.class.started' | 'meet.class.ended' | 'meet.class.scheduled', liveClass: { id: string; course: string }, status: string) {
  await publishEvent(db, {
    topic,
    companyId: BHEEM,
    key: liveClass.id,
    source: 'meet',
    payload: { company_id: BHEEM, live_class_id: liveClass.id, course_id: liveClass.course, status },
  });
}

describe('federated subscriptions through the gateway', () => {
  // Each test starts once the previous one's subscriptions are gone upstream, so that counts mean what they say.
  beforeEach(() => waitUntilSubscribed(0));

  it('delivers a webhook-started class with fields of meet, academy and calendar', async () => {
    const subscription = subscribeWs(url, await platform.tokenFor('sam.student'), FEDERATED, { courseId: '101' });
    await waitUntilSubscribed();
    const hook = await sendWebhook(webhookUrl(), 'participant_joined', {
      room: { sid: 'RM_1', name: await roomOf(PHYSICS_NEWTON.id) },
      participant: { sid: 'PA_1', identity: '3' },
    });
    expect(hook.status).toBe(200);
    const event = await subscription.event(1);
    expect(event.errors).toBeUndefined();
    expect(event.data.liveClassStatusChanged).toMatchObject({
      id: PHYSICS_NEWTON.id,
      status: 'LIVE',
      course: { fullname: 'Physics 101: Mechanics', teachers: [{ fullName: 'Tara Iyer' }] },
      recordings: [],
    });
    expect(event.data.liveClassStatusChanged.startedAt).not.toBeNull();
    expect(event.data.liveClassStatusChanged.calendarEvent?.start).toEqual(expect.any(String));
    subscription.dispose();
  });

  it('gives each subscriber only events of courses it may see', async () => {
    const sita = subscribeWs(url, await platform.tokenFor('sita.student'), IDS); // enrolled in 101 only
    const neil = subscribeWs(url, await platform.tokenFor('neil.student'), IDS); // enrolled in 102 only
    const globex = subscribeWs(url, await platform.tokenFor('globex.admin'), IDS);
    const admin = subscribeWs(url, await platform.tokenFor('admin'), IDS);
    await waitUntilSubscribed(4);
    await publishClassEvent('meet.class.scheduled', CALCULUS, 'SCHEDULED');
    await publishClassEvent('meet.class.scheduled', PHYSICS_ENERGY, 'SCHEDULED');
    expect((await sita.event(1)).data.liveClassStatusChanged.id).toBe(PHYSICS_ENERGY.id);
    expect((await neil.event(1)).data.liveClassStatusChanged.id).toBe(CALCULUS.id);
    expect((await admin.event(2)).data.liveClassStatusChanged.id).toBe(PHYSICS_ENERGY.id);
    // Globex's admin saw neither; a later event of Globex's own reaches it.
    const globexClass = DEMO_LIVE_CLASSES[3];
    await publishEvent(db, {
      topic: 'meet.class.scheduled',
      companyId: DEMO_COMPANIES.globex.id,
      key: globexClass.id,
      source: 'meet',
      payload: { company_id: DEMO_COMPANIES.globex.id, live_class_id: globexClass.id, course_id: globexClass.course, status: 'SCHEDULED' },
    });
    expect((await globex.event(1)).data.liveClassStatusChanged.id).toBe(globexClass.id);
    expect(sita.events).toHaveLength(1);
    expect(neil.events).toHaveLength(1);
    for (const subscription of [sita, neil, globex, admin]) subscription.dispose();
  });

  it('times each event through the fan-out on its diagnostics channel while someone listens', async () => {
    const timings: FanOutTimings[] = [];
    const listen = (timing: unknown) => timings.push(timing as FanOutTimings);
    diagnostics.subscribe(FAN_OUT_TIMINGS_CHANNEL, listen);
    try {
      const subscription = subscribeWs(url, await platform.tokenFor('admin'), IDS);
      await waitUntilSubscribed();
      const publishedAt = Date.now();
      await publishClassEvent('meet.class.scheduled', CALCULUS, 'SCHEDULED');
      await subscription.event(1);
      await vi.waitFor(() => expect(timings).toHaveLength(1));
      const [timing] = timings;
      expect(timing!.clients).toBe(1);
      // Date.now() has whole milliseconds, the timings fractions of one.
      expect(timing!.receivedAt).toBeGreaterThan(publishedAt - 1);
      expect(timing!.completedAt).toBeGreaterThanOrEqual(timing!.receivedAt);
      expect(timing!.writtenAt).toBeGreaterThanOrEqual(timing!.completedAt);
      expect(timing!.writtenAt).toBeLessThan(Date.now() + 1);
      expect(timing!.idleAtWritten).toBeGreaterThanOrEqual(timing!.idleAtReceipt);
      expect(timing!.idleAtWritten - timing!.idleAtReceipt).toBeLessThanOrEqual(timing!.writtenAt - timing!.receivedAt + 1);
      subscription.dispose();
    } finally {
      diagnostics.unsubscribe(FAN_OUT_TIMINGS_CHANNEL, listen);
    }
  });

  it('refuses a missing or invalid token with 4403, an expired one with 4440, and closes the socket when the token expires (4440)', async () => {
    expect((await subscribeWs(url, undefined, IDS).ended).code).toBe(4403);
    expect((await subscribeWs(url, 'not-a-token', IDS).ended).code).toBe(4403);
    const expired = await platform.tokenFor('admin', { expiresIn: -10 });
    expect((await subscribeWs(url, expired, IDS).ended).code).toBe(4440);
    const shortLived = subscribeWs(url, await platform.tokenFor('admin', { expiresIn: 2 }), IDS);
    expect(await shortLived.ended).toMatchObject({ code: SubscriptionCloseCode.TokenExpired });
  });

  it('applies the operation limits and refuses mutations over WebSocket (queries are served: conformance/defer.test.ts)', async () => {
    const token = await platform.tokenFor('admin');
    const deep = `subscription { liveClassStatusChanged { course { liveClasses { course { liveClasses { course { liveClasses { course { liveClasses { course { liveClasses { course { liveClasses { id } } } } } } } } } } } } } }`;
    const errorOf = async (subscription: { ended: Promise<{ error?: any }> }) => ((await subscription.ended).error as any[])[0];
    expect((await errorOf(subscribeWs(url, token, deep))).extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    expect((await errorOf(subscribeWs(url, token, 'mutation { nope }'))).message).toMatch(/Mutations are served over HTTP/);
    expect((await errorOf(subscribeWs(url, token, 'subscription { nope }'))).message).toMatch(/Cannot query field "nope"/);
  });

  it('serves the same subscriptions over SSE', async () => {
    const sse = subscribeSse(platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/graphql/stream'), await platform.tokenFor('tara.teacher'), FEDERATED, {
      courseId: '101',
    });
    await waitUntilSubscribed();
    await publishClassEvent('meet.class.started', PHYSICS_ENERGY, 'LIVE');
    const event = await sse.event(1);
    expect(event.data.liveClassStatusChanged).toMatchObject({ id: PHYSICS_ENERGY.id, course: { fullname: 'Physics 101: Mechanics' } });
    sse.dispose();
  });

  it('re-subscribes after meet restarts and delivers the events of the gap in order, none twice', async () => {
    const subscription = subscribeWs(url, await platform.tokenFor('admin'), IDS);
    await waitUntilSubscribed();
    await publishClassEvent('meet.class.ended', PHYSICS_NEWTON, 'ENDED');
    expect((await subscription.event(1)).data.liveClassStatusChanged.id).toBe(PHYSICS_NEWTON.id);
    await platform.stopSubgraph('meet');
    // Raised while meet is down (by another replica, say).
    await publishClassEvent('meet.class.scheduled', CALCULUS, 'SCHEDULED');
    await publishClassEvent('meet.class.started', PHYSICS_ENERGY, 'LIVE');
    await publishClassEvent('meet.class.ended', CALCULUS, 'ENDED');
    await platform.restartSubgraph('meet');
    await subscription.event(4);
    await publishClassEvent('meet.class.started', PHYSICS_NEWTON, 'LIVE');
    await subscription.event(5);
    expect(subscription.events.map((event) => event.data.liveClassStatusChanged.id)).toEqual([PHYSICS_NEWTON.id, CALCULUS.id, PHYSICS_ENERGY.id, CALCULUS.id, PHYSICS_NEWTON.id]);
    expect(subscription.events.every((event) => !event.errors)).toBe(true);
    subscription.dispose();
  });

  it('does not let a slow client delay a fast one: the slow one is closed (4008)', async () => {
    // Big events fill the slow client's socket buffers quickly.
    await sqlRows(`UPDATE meet.live_classes SET description = repeat('x', 60000) WHERE id = '${PHYSICS_ENERGY.id}'`);
    const token = await platform.tokenFor('admin');
    const query = `subscription { liveClassStatusChanged(liveClassId: "${PHYSICS_ENERGY.id}") { id description } }`;
    const fast = subscribeWs(url, token, query);
    await waitUntilSubscribed();
    const slow = rawSubscriber(url, token, query);
    await slow.acknowledged;
    slow.pause();
    const count = 400;
    await publishStartedInOneTransaction(count);
    await fast.event(count);
    expect(fast.events.every((event) => event.data.liveClassStatusChanged.description.length === 60000)).toBe(true);
    slow.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(SubscriptionCloseCode.TooSlow);
    expect(closed.reason).toMatch(/Too slow/);
    expect(slow.messages()).toBeLessThan(count);
    fast.dispose();
  });

  it('does not let a slow SSE client delay a fast one: the slow one is told why, then its stream ends', async () => {
    await sqlRows(`UPDATE meet.live_classes SET description = repeat('x', 60000) WHERE id = '${PHYSICS_ENERGY.id}'`);
    const token = await platform.tokenFor('admin');
    const query = `subscription { liveClassStatusChanged(liveClassId: "${PHYSICS_ENERGY.id}") { id description } }`;
    const fast = subscribeSse(sseUrl(), token, query);
    await waitUntilSubscribed();
    const slow = rawSseSubscriber(sseUrl(), token, query);
    await slow.open;
    slow.pause();
    const count = 400;
    await publishStartedInOneTransaction(count);
    await fast.event(count);
    expect(fast.events.every((event) => event.data.liveClassStatusChanged.description.length === 60000)).toBe(true);
    slow.resume();
    expect(await slow.ended).toEqual({ complete: true });
    const received = slow.nextEvents();
    const last = received.at(-1)!.data;
    expect(last.errors[0]).toMatchObject({ message: expect.stringMatching(/Too slow/), extensions: { code: TOO_SLOW_ERROR_CODE } });
    const delivered = received.slice(0, -1);
    expect(delivered.length).toBeLessThan(count);
    expect(delivered.every((event) => event.data.data.liveClassStatusChanged.description.length === 60000)).toBe(true);
    fast.dispose();
  });

  it('closes clients with 1001 (going away) on shutdown', async () => {
    // A gateway of its own in front of the same subgraphs: the file's gateway serves the other tests, whichever run after.
    const subgraphUrls = Object.fromEntries(Object.entries(platform.subgraphs).map(([name, running]) => [name, running!.url]));
    const gateway = await startGateway({ config: platform.config, log: createLogger('subscriptions-shutdown'), subgraphUrls });
    let stopped = false;
    try {
      const subscription = subscribeWs(wsUrlOf(gateway.url), await platform.tokenFor('admin'), IDS);
      await waitUntilSubscribed();
      stopped = true;
      await gateway.stop();
      expect((await subscription.ended).code).toBe(1001);
    } finally {
      if (!stopped) await gateway.stop();
    }
  });
});

/** Until meet serves `count` upstream subscriptions (clients of one identity and operation share one); the test's timeout bounds it. */
/** `count` start events of the physics class, committed together: they reach subscribers as one burst. */
async function publishStartedInOneTransaction(count: number) {
  await db.transaction().execute(async (trx) => {
    for (let index = 0; index < count; index++) {
      await publishEvent(trx, {
        topic: 'meet.class.started',
        companyId: BHEEM,
        key: PHYSICS_ENERGY.id,
        source: 'meet',
        payload: { company_id: BHEEM, live_class_id: PHYSICS_ENERGY.id, course_id: '101' },
      });
    }
  });
}

async function waitUntilSubscribed(count = 1) {
  await expect.poll(() => activeSubscriptions('meet'), { timeout: 60_000 }).toBe(count);
}
