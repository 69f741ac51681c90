/**
 * Subscriptions across replicas, as real processes: two gateways and two
 * meet processes over one database. A LiveKit webhook received by either
 * meet process reaches the subscribers of both gateways (the event backbone
 * feeds every replica; nothing is in-memory only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { publishEvent } from '../../platform/events/publish-event.js';
import { processCpuMs } from '../../platform/process-stats.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../test/livekit/send-webhook.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { subscribeWs, type Subscription } from './subscriptions-support.js';

const [NEWTON, ENERGY] = DEMO_LIVE_CLASSES;
const BHEEM = DEMO_COMPANIES.bheem.id;
const QUERY = `subscription { liveClassStatusChanged(courseId: "101") { id status course { fullname } calendarEvent { start } } }`;

let livekit: LiveKitDouble;
let platform: TestPlatform;
const processes: ChildProcess[] = [];
const outputs = new Map<ChildProcess, string[]>();

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the failure message should the process not come up.
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  child.once('exit', (code, signal) => output.push(`[exited: ${code ?? signal}]`));
  child.once('error', (error) => output.push(`[spawn error: ${error.message}]`));
  outputs.set(child, output);
  processes.push(child);
  return child;
}

/**
 * Until the process answers /health/live (its startup takes seconds: migrations are skipped, tsx
 * compiles). It may take as long as it keeps using CPU: on a busy machine four processes loading at
 * once wait for a core, which is slow, not broken. No CPU for 60 s, or 10 minutes in all, fails.
 */
async function live(child: ChildProcess, port: number): Promise<void> {
  const started = Date.now();
  let progressAt = started;
  let cpuMs = processCpuMs(child.pid!) ?? 0;
  while ((await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.status !== 200) {
    const now = Date.now();
    const cpuNow = processCpuMs(child.pid!) ?? cpuMs;
    if (cpuNow > cpuMs) progressAt = now;
    cpuMs = cpuNow;
    if (child.exitCode !== null || now - progressAt > 60_000 || now - started > 600_000) {
      throw new Error(`Process on port ${port} did not become live:\n${[...outputs.values()].map((lines) => lines.join('').slice(-2000)).join('\n---\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // polling interval, not synchronization
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
    start(['scripts/start-subgraph.ts', 'meet'], { ...common, MEET_PORT: String(port), SKIP_MIGRATIONS: 'true', MEET_RECONCILE_INTERVAL_SECONDS: '0' });
    meets.push(port);
  }
  for (let index = 0; index < 2; index++) {
    const port = await freePort();
    start(['gateway/main.ts'], { ...common, GATEWAY_PORT: String(port), MEET_URL: `http://127.0.0.1:${meets[index]}/graphql`, GATEWAY_RATE_LIMIT_STORE: 'off' });
    gateways.push(port);
  }
  await Promise.all([...meets, ...gateways].map((port, index) => live(processes[index]!, port)));
}, 660_000);

afterAll(async () => {
  await Promise.all(processes.map((child) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))))));
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
    const db = createKysely<any>(platform.database.url);
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
