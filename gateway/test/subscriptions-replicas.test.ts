/**
 * Subscriptions across replicas, as real processes: two gateways and two
 * meet processes over one database. A LiveKit webhook received by either
 * meet process reaches the subscribers of both gateways (the event backbone
 * feeds every replica; nothing is in-memory only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { DEMO_COMPANIES, DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { publishEvent } from '../../platform/events/publish-event.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../test/livekit/send-webhook.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { ServiceProcess, StartError } from '../../scripts/lib/service-process.js';
import { subscribeWs, type Subscription } from './subscriptions-support.js';

const [NEWTON, ENERGY] = DEMO_LIVE_CLASSES;
const BHEEM = DEMO_COMPANIES.bheem.id;
const QUERY = `subscription { liveClassStatusChanged(courseId: "101") { id status course { fullname } calendarEvent { start } } }`;

let livekit: LiveKitDouble;
let platform: TestPlatform;
const processes: ServiceProcess[] = [];

function start(name: string, args: string[], env: Record<string, string>): ServiceProcess {
  const service = new ServiceProcess(name, ['--import', 'tsx', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
  });
  processes.push(service);
  return service;
}

/**
 * Until the process answers /health/live (the gateway is never ready: most subgraphs do not run). Its
 * startup takes seconds (tsx compiles); on a busy machine four processes loading at once wait for a
 * core, which is slow, not broken: no progress for 60 s, or 10 minutes in all, fails.
 */
async function live(service: ServiceProcess, port: number): Promise<void> {
  try {
    await service.waitReady(`http://127.0.0.1:${port}`, { stallMs: 60_000, totalMs: 600_000 }, () => {}, '/health/live');
  } catch (error) {
    if (error instanceof StartError) throw new Error(`${error.message}:\n${error.lastLines.join('\n')}`);
    throw error;
  }
}

const meets: number[] = [];
const gateways: number[] = [];

beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  const common = {
    DATABASE_URL: platform.database.url,
    LIVEKIT_URL: livekit.url,
    ACADEMY_URL: platform.subgraphs.academy!.url,
    CALENDAR_URL: platform.subgraphs.calendar!.url,
  };
  for (let index = 0; index < 2; index++) {
    const port = await freePort();
    start(`meet ${index}`, ['scripts/start-subgraph.ts', 'meet'], { ...common, MEET_PORT: String(port), SKIP_MIGRATIONS: 'true', MEET_RECONCILE_INTERVAL_SECONDS: '0' });
    meets.push(port);
  }
  for (let index = 0; index < 2; index++) {
    const port = await freePort();
    start(`gateway ${index}`, ['gateway/main.ts'], {
      ...common,
      GATEWAY_PORT: String(port),
      MEET_URL: `http://127.0.0.1:${meets[index]}/graphql`,
      GATEWAY_RATE_LIMIT_STORE: 'off',
    });
    gateways.push(port);
  }
  await Promise.all([...meets, ...gateways].map((port, index) => live(processes[index]!, port)));
}, 660_000);

afterAll(async () => {
  await Promise.all(processes.map((service) => service.stop(10_000)));
  await platform?.stop();
  await livekit?.stop();
});

/** Meet runs in other processes: the room name comes through a gateway. */
async function roomOf(gatewayPort: number): Promise<string> {
  const answer = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await platform.tokenFor('admin')}` },
    body: JSON.stringify({ query: `{ liveClass(id: "${NEWTON.id}") { roomName } }` }),
  });
  return ((await answer.json()) as any).data.liveClass.roomName;
}
// The teacher joining makes the class LIVE (an empty room's room_started does not); its room finishing ends it.
const hook = (meetPort: number, event: string, room: string) =>
  sendWebhook(`http://127.0.0.1:${meetPort}/webhooks/livekit`, event, {
    room: { sid: 'RM_r', name: room },
    ...(event === 'participant_joined' && { participant: { sid: 'PA_r', identity: '3' } }),
  });

/** Until one of the subscriber's events matches (events arrive asynchronously; no sleeping). */
const arrived = (subscriber: Subscription, id: string, status: string) =>
  expect
    .poll(() => subscriber.events.some((event) => event.data?.liveClassStatusChanged?.id === id && event.data.liveClassStatusChanged.status === status), { timeout: 60_000 })
    .toBe(true);

describe('subscriptions across replicas', () => {
  it('delivers a webhook received by either meet process to subscribers on both gateways', async () => {
    const token = await platform.tokenFor('sam.student');
    const subscribers: Subscription[] = gateways.map((port) => subscribeWs(`ws://127.0.0.1:${port}/graphql`, token, QUERY));
    // Attached upstream once an event reaches both: publish markers (as any meet replica would) until then.
    const { db } = platform;
    await expect
      .poll(
        async () => {
          await publishEvent(db, {
            topic: 'meet.class.scheduled',
            companyId: BHEEM,
            key: ENERGY.id,
            source: 'meet',
            payload: { company_id: BHEEM, live_class_id: ENERGY.id, course_id: '101', status: 'SCHEDULED' },
          });
          return subscribers.every((subscriber) => subscriber.events.length > 0);
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);

    const room = await roomOf(gateways[0]!);
    expect((await hook(meets[0]!, 'participant_joined', room)).status).toBe(200);
    for (const subscriber of subscribers) await arrived(subscriber, NEWTON.id, 'LIVE');
    expect((await hook(meets[1]!, 'room_finished', room)).status).toBe(200);
    for (const subscriber of subscribers) await arrived(subscriber, NEWTON.id, 'ENDED');
    const live = subscribers[1]!.events.find((event) => event.data.liveClassStatusChanged.status === 'LIVE');
    expect(live.data.liveClassStatusChanged).toMatchObject({ course: { fullname: 'Physics 101: Mechanics' }, calendarEvent: { start: expect.any(String) } });
    for (const subscriber of subscribers) subscriber.dispose();
  }, 90_000);
});
