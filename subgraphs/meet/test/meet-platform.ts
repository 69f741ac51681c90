/** Academy and meet on a fresh database, meet pointed at a LiveKit double; the gateway before them if asked. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { ConnectionReset, startLiveKitDouble, type LiveKitDouble, type TrackJson } from '../../../test/livekit/livekit-double.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { createLogger, type Logger } from '../../../platform/logger.js';
import { Reconciler } from '../jobs/reconciler.js';
import { academyRoster } from '../jobs/roster-enforcement.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { RecordingControl } from '../recordings/recording-control.js';
import { RecordingFiles } from '../recordings/recording-files.js';
import { RecordingUrlSigner } from '../recordings/recording-url.js';
import { meetCaller } from './meet-client.js';

export interface MeetTestPlatform {
  platform: TestPlatform;
  livekit: LiveKitDouble;
  call: ReturnType<typeof meetCaller>;
  /** Outbox rows of one topic, oldest first. */
  outbox: (topic: string) => Promise<{ entity_key: string; company_id: string; payload: any }[]>;
  /** Raw SQL on the test database (test set-up only, e.g. moving a class into the past). */
  exec: (query: string) => Promise<any[]>;
  webhookUrl: string;
  stop: () => Promise<void>;
}

export async function startMeetPlatform(env: Record<string, string> = {}, { gateway = false } = {}): Promise<MeetTestPlatform> {
  const livekit = await startLiveKitDouble();
  const platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway, env: { LIVEKIT_URL: livekit.url, ...env } });
  const { db } = platform;
  const webhookUrl = platform.subgraphs.meet!.url.replace(/\/graphql$/, '/webhooks/livekit');
  livekit.webhookUrl = webhookUrl; // LiveKit's own webhooks (room_started on CreateRoom...) reach meet, as configured in LiveKit
  return {
    platform,
    livekit,
    call: meetCaller(() => platform),
    outbox: async (topic) => (await sql<any>`SELECT entity_key, company_id, payload FROM events.outbox WHERE topic = ${topic} ORDER BY position`.execute(db)).rows,
    exec: async (query) => (await sql.raw(query).execute(db)).rows as any[],
    webhookUrl,
    stop: async () => {
      await livekit.webhooksSettled();
      await platform.stop();
      await livekit.stop();
    },
  };
}

/**
 * Registers the file's hooks: meet behind the gateway, started before its tests and stopped after, with
 * reconciliation off (it would read classes behind a test's back). Read `.platform` inside a test or hook.
 */
export function useMeetGateway(): { readonly platform: TestPlatform } {
  let meet: MeetTestPlatform | undefined;
  beforeAll(async () => {
    meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' }, { gateway: true });
  });
  afterAll(() => meet?.stop());
  return {
    get platform() {
      return meet!.platform;
    },
  };
}

/** The data of an operation through the gateway as `user`, which must answer it without errors. */
export async function gatewayData(platform: TestPlatform, user: string, query: string, variables?: Record<string, unknown>) {
  const result = await platform.query(user, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export const SCHEDULE = `mutation($input: ScheduleLiveClassInput!) {
  scheduleLiveClass(input: $input) { id status roomName scheduledAt durationMinutes title description record host { id } course { id } }
}`;
export const JOIN = `mutation($id: ID!) { joinLiveClass(id: $id) { token livekitUrl roomName canPublish expiresAt } }`;

/**
 * A class scheduled in ten minutes (recorded automatically when `record`) with Tara in its room, her
 * participant_joined lost: SCHEDULED until reconciliation finds her there.
 */
export async function occupiedUnannounced(meet: MeetTestPlatform, title: string, record = false) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title, scheduledAt: inMinutes(10), ...(record && { record }) } });
  const created = body.data.scheduleLiveClass as { id: string; roomName: string; record?: boolean };
  const token = (await meet.call('tara.teacher', JOIN, { id: created.id })).body.data.joinLiveClass.token;
  await meet.livekit.webhooksSettled();
  const { webhookUrl } = meet.livekit;
  meet.livekit.webhookUrl = undefined;
  try {
    await meet.livekit.connect(token);
  } finally {
    meet.livekit.webhookUrl = webhookUrl;
  }
  return created;
}

/**
 * A reconciler wired as meet's subgraph.ts wires it, over the database of a platform running meet and its LiveKit
 * double, and the LiveKit client and recording control it uses; `log` where a test reads what it says.
 */
export function reconcilerFor(
  meet: Pick<MeetTestPlatform, 'platform'>,
  log: Logger = createLogger('test'),
): { reconciler: Reconciler; livekit: LiveKitApi; recordings: RecordingControl } {
  const { config } = meet.platform;
  const db = meet.platform.db.withSchema('meet');
  const livekit = new LiveKitApi(config, config.meet);
  const signer = new RecordingUrlSigner(config.internalSigningSecret, config.meet.recordingsPublicUrl, config.meet.recordingUrlTtlSeconds);
  const recordings = new RecordingControl(db, livekit, new RecordingFiles(config.meet, signer));
  return { reconciler: new Reconciler(db, livekit, recordings, config.meet, log, academyRoster(config)), livekit, recordings };
}

/**
 * For a test file: a meet platform whose reconciliation runs only when a test runs it (its interval 0) and a
 * reconciler for it, started before the file's tests and stopped after them; `use` receives both once started.
 */
export function meetWithReconciler(use: (started: { meet: MeetTestPlatform; reconciler: Reconciler }) => void): void {
  let started: { meet: MeetTestPlatform; reconciler: Reconciler } | undefined;
  beforeAll(async () => {
    const meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
    started = { meet, reconciler: reconcilerFor(meet).reconciler };
    use(started);
  });
  afterAll(async () => {
    if (started) started.meet.livekit.beforeAnswer = started.meet.livekit.beforeActing = undefined;
    await started?.reconciler.stop();
    await started?.meet.stop();
  });
}

/** A class of course 101 scheduled by Tara, `users` joined to its LiveKit room (the double), their webhooks settled. */
export async function classWithInRoom(meet: MeetTestPlatform, title: string, users: readonly string[]): Promise<{ id: string; roomName: string }> {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title, scheduledAt: inMinutes(10) } });
  const created = body.data.scheduleLiveClass as { id: string; roomName: string };
  for (const user of users) {
    const joined = await meet.call(user, JOIN, { id: created.id });
    await meet.livekit.connect(joined.body.data.joinLiveClass.token);
  }
  await meet.livekit.webhooksSettled();
  return created;
}

/**
 * A class of course 101 with Tara and Sam (user 5) in its room, Sam allowed behind meet's back (LiveKit's API) and
 * publishing a camera, LiveKit's track_published not sent (lost): only reconciliation, or a test sending the webhook
 * by hand, judges it. Returns the class and the track.
 */
export async function samPublishingUnannounced(meet: MeetTestPlatform, title: string): Promise<{ id: string; roomName: string; track: TrackJson }> {
  const created = await classWithInRoom(meet, title, ['tara.teacher', 'sam.student']);
  const sam = meet.livekit.participant(created.roomName, '5')!;
  sam.permission = { ...sam.permission!, canPublish: true, canPublishSources: [] };
  const { webhookUrl } = meet.livekit;
  meet.livekit.webhookUrl = undefined;
  try {
    return { ...created, track: meet.livekit.publishTrack(created.roomName, '5', 'CAMERA') };
  } finally {
    meet.livekit.webhookUrl = webhookUrl;
  }
}

/** How long one backend must wait on a lock before it counts as held up (a webhook's brief wait under load does not). */
const HELD_UP_MS = 1500;

/**
 * Resolves 'settled' once `promise` settled, or 'waiting' once a statement on the platform's database has waited for
 * a lock (a row another transaction holds) for HELD_UP_MS before that. The lock the tests look for is held until this
 * resolves, so such a wait never ends by itself; the waits of other work (a webhook racing briefly) do.
 */
export async function settledOrWaitingOnLock(meet: Pick<MeetTestPlatform, 'platform'>, promise: Promise<unknown>): Promise<'settled' | 'waiting'> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  /** Each waiting backend (pid and the start of its wait's statement) and when it was first seen waiting. */
  const firstSeen = new Map<string, number>();
  for (;;) {
    if (settled) return 'settled';
    const waiting = await sql<{ id: string }>`
      SELECT pid || ':' || query_start AS id FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(meet.platform.db);
    const now = Date.now();
    const seen = new Set(waiting.rows.map((row) => row.id));
    for (const id of firstSeen.keys()) if (!seen.has(id)) firstSeen.delete(id);
    for (const id of seen) {
      const since = firstSeen.get(id) ?? now;
      firstSeen.set(id, since);
      if (now - since >= HELD_UP_MS) return 'waiting';
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The double's next StartRoomCompositeEgress of `roomName` loses its answer: after starting the egress, or before acting. */
export function loseStartAnswer(meet: MeetTestPlatform, roomName: string, when: 'after' | 'before') {
  const hook = ({ method, body }: { method: string; body: Record<string, any> }) => {
    if (method !== 'StartRoomCompositeEgress' || body.roomName !== roomName) return;
    meet.livekit.beforeAnswer = meet.livekit.beforeActing = undefined;
    throw new ConnectionReset();
  };
  if (when === 'after') meet.livekit.beforeAnswer = hook;
  else meet.livekit.beforeActing = hook;
}
