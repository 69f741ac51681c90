/**
 * The webhook route's edges: a validly signed body that is no WebhookEvent,
 * stale and repeated deliveries (refused or acknowledged, and logged), and
 * the retention of applied webhook ids.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook, signWebhook } from '../../../test/livekit/send-webhook.js';
import type { MeetDatabase } from '../database.js';
import { WebhookRetentionJob } from '../jobs/webhook-retention.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { RecordingControl } from '../recordings/recording-control.js';
import { RecordingFiles } from '../recordings/recording-files.js';
import { RecordingUrlSigner } from '../recordings/recording-url.js';
import { livekitWebhookRoute } from '../webhooks/livekit-webhook-route.js';
import { LiveKitWebhookHandler } from '../webhooks/webhook-handler.js';
import { startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let db: Kysely<MeetDatabase>;
let server: http.Server;
let loggedUrl: string;
const logged: { level: number; msg: string; [key: string]: unknown }[] = [];

beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0';
  meet = await startMeetPlatform();
  const { config } = meet.platform;
  db = meet.platform.db.withSchema('meet');
  // The same route and handler meet runs, with a logger the test can read.
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const files = new RecordingFiles(config.meet, new RecordingUrlSigner(config.internalSigningSecret, config.meet.recordingsPublicUrl, 60));
  const handler = new LiveKitWebhookHandler(db, new RecordingControl(db, new LiveKitApi(config, config.meet), files), log);
  const route = livekitWebhookRoute(config, config.meet, handler, log);
  server = http.createServer((request, response) => void route.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  loggedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/livekit`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await meet?.stop();
});

/** A body signed exactly as LiveKit signs, whatever it holds. */
async function postSigned(body: string, url = meet.webhookUrl) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization: await signWebhook(body, 'devkey', 'secret') }, body });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

/** Signed as LiveKit signs, its token's nbf at `signedAt` (valid two hours from then). */
async function postSignedAt(body: string, signedAt: Date) {
  const authorization = await signWebhook(body, 'devkey', 'secret', 7_200, signedAt);
  const response = await fetch(meet.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization }, body });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe('LiveKit webhook route edges', () => {
  it('answers a validly signed but malformed body with 400, not 401 or 500', async () => {
    for (const body of [
      'not json at all',
      '[1, 2]',
      'null',
      '{"event": 7}',
      '{"event": "room_started", "room": "not an object"}',
      `{"event": "room_started", "id": "EV_big", "createdAt": "99999999999999999999999"}`,
    ]) {
      const answer = await postSigned(body);
      expect(answer.status, body).toBe(400);
      expect(answer.body.error, body).toMatch(/not a LiveKit WebhookEvent|stale/);
    }
    // A tampered one is still 401.
    const forged = await fetch(meet.webhookUrl, { method: 'POST', headers: { authorization: await signWebhook('{}', 'devkey', 'secret') }, body: '[1]' });
    expect(forged.status).toBe(401);
  });

  it('refuses with 400, writing nothing, a signed event whose text or times PostgreSQL cannot store', async () => {
    // class-101-demo2 is a demo class's room: these reach the queries on it, not only the event id's claim.
    const now = String(Math.floor(Date.now() / 1000));
    const room = { name: 'class-101-demo2' };
    const egressInfo = { egressId: 'EG_nul', roomName: 'class-101-demo2', status: 'EGRESS_COMPLETE', fileResults: [{ filename: 'a\u0000.mp4', location: 'x', size: '10' }] };
    const cases: [string, Record<string, unknown>][] = [
      ['NUL in the event id', { event: 'room_started', room, id: 'EV_nul\u0000', createdAt: now }],
      ['NUL in the room name', { event: 'room_started', room: { name: 'class-101-demo2\u0000' }, id: 'EV_room_nul', createdAt: now }],
      ['a lone surrogate in the event id (protobuf refuses it)', { event: 'room_started', room, id: 'EV_lone\ud800', createdAt: now }],
      ['createdAt past year 9999', { event: 'room_started', room, id: 'EV_far', createdAt: '99999999999999999' }],
      ['NUL in a participant identity', { event: 'participant_joined', room, participant: { identity: '4\u0000', sid: 'PA_nul' }, id: 'EV_who_nul', createdAt: now }],
      [
        'a participant joinedAt past year 9999',
        { event: 'participant_joined', room, participant: { identity: '4', sid: 'PA_far', joinedAt: '99999999999999' }, id: 'EV_join_far', createdAt: now },
      ],
      ['NUL in an egress file name', { event: 'egress_ended', egressInfo, id: 'EV_file_nul', createdAt: now }],
    ];
    for (const [what, event] of cases) {
      const answer = await postSigned(JSON.stringify(event));
      expect(answer.status, what).toBe(400);
      expect(answer.body.error, what).toMatch(/not a LiveKit WebhookEvent: .*(control characters|invalid UTF8|out of range)/);
    }
    expect(await meet.exec(`SELECT id FROM meet.webhook_events WHERE id IN ('EV_room_nul', 'EV_far', 'EV_who_nul', 'EV_join_far', 'EV_file_nul') OR id LIKE 'EV\\_lone%'`)).toEqual(
      [],
    );
    expect(await meet.exec(`SELECT id FROM meet.recordings WHERE egress_id = 'EG_nul'`)).toEqual([]);
    expect(await meet.exec(`SELECT id FROM meet.attendance WHERE participant_sid IN ('PA_nul', 'PA_far')`)).toEqual([]);
  });

  it('refuses with 400 an egress whose file size or duration no column holds, and takes the largest that fit', async () => {
    // LiveKit's size is a uint64 of bytes and its duration an int64 of nanoseconds: more than bigint and integer columns hold.
    const now = String(Math.floor(Date.now() / 1000));
    const egress = (id: string, file: Record<string, string>) => ({
      event: 'egress_ended',
      id: `EV_${id}`,
      createdAt: now,
      egressInfo: { egressId: `EG_${id}`, roomName: 'class-101-demo2', status: 'EGRESS_COMPLETE', fileResults: [{ filename: `${id}.mp4`, location: 'x', ...file }] },
    });
    for (const [id, file] of [
      ['size_max', { size: '9223372036854775807' }],
      ['duration_max', { size: '10', duration: '9223372036854775807' }],
      ['duration_negative', { size: '10', duration: '-5000000000' }],
    ] as const) {
      const answer = await postSigned(JSON.stringify(egress(id, file)));
      expect([answer.status, answer.body.error], id).toEqual([400, expect.stringMatching(/not a LiveKit WebhookEvent: .*out of range/)]);
    }
    expect(await meet.exec(`SELECT egress_id FROM meet.recordings WHERE egress_id IN ('EG_size_max', 'EG_duration_max', 'EG_duration_negative')`)).toEqual([]);
    // A file as large as a bigint holds, lasting as long as an integer of seconds holds, is kept.
    const largest = await postSigned(JSON.stringify(egress('largest', { size: '9007199254740991', duration: String(2_147_483_647n * 1_000_000_000n) })));
    expect(largest.status).toBe(200);
    expect(await meet.exec(`SELECT size_bytes, duration_seconds FROM meet.recordings WHERE egress_id = 'EG_largest'`)).toEqual([
      { size_bytes: '9007199254740991', duration_seconds: 2_147_483_647 },
    ]);
  });

  it('logs stale and repeated deliveries', async () => {
    const stale = await sendWebhook(loggedUrl, 'room_started', { room: { name: 'no-class' } }, { createdAt: new Date(Date.now() - 3_600_000) });
    expect(stale.status).toBe(400);
    expect(logged).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/stale/), id: stale.id, level: 40 }));
    const first = await sendWebhook(loggedUrl, 'room_started', { room: { name: 'no-class' } });
    const again = await sendWebhook(loggedUrl, 'room_started', { room: { name: 'no-class' } }, { id: first.id });
    expect(again.body.status).toBe('duplicate');
    expect(logged).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/delivered again/), id: first.id, level: 40 }));
  });

  it('dates an event without createdAt by its token\u2019s signing time, and judges its age by it', async () => {
    // LiveKit always sets createdAt (the notifier stamps it) and signs with nbf = now, exp = nbf + 5 min; 0 or absent is not LiveKit's.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const room = { room: { name: 'no-class' } };
    const stale = await sendWebhook(meet.webhookUrl, 'room_started', room, { createdAt: null, signedAt: hourAgo, tokenTtlSeconds: 7_200 });
    expect([stale.status, stale.body.error]).toEqual([400, expect.stringMatching(/stale event/)]);
    const zero = await postSignedAt(JSON.stringify({ event: 'room_started', ...room, id: 'EV_zero_old', createdAt: '0' }), hourAgo);
    expect([zero.status, zero.body.error]).toEqual([400, expect.stringMatching(/stale event/)]);
    const undated = await sendWebhook(meet.webhookUrl, 'room_started', room, { createdAt: null, signedAt: null });
    expect([undated.status, undated.body.error]).toEqual([400, expect.stringMatching(/no createdAt/)]);
    expect(await meet.exec(`SELECT id FROM meet.webhook_events WHERE id IN ('${stale.id}', 'EV_zero_old', '${undated.id}')`)).toEqual([]);

    const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000);
    const fresh = await sendWebhook(meet.webhookUrl, 'room_started', room, { createdAt: null, signedAt });
    expect(fresh.status).toBe(200);
    const [row] = await meet.exec(`SELECT created_at FROM meet.webhook_events WHERE id = '${fresh.id}'`);
    expect(row.created_at).toEqual(signedAt);
  });

  it('prunes applied webhook ids past their retention, keeping recent ones', async () => {
    const recent = await sendWebhook(meet.webhookUrl, 'room_started', { room: { name: 'no-class' } });
    await meet.exec(`INSERT INTO meet.webhook_events (id, event, created_at) VALUES ('EV_old_one', 'room_started', now() - interval '3 days')`);
    const job = new WebhookRetentionJob(db, meet.platform.config.meet, pino({ level: 'silent' }));
    expect(await job.run()).toBeGreaterThanOrEqual(1);
    const ids = (await meet.exec(`SELECT id FROM meet.webhook_events`)).map((row) => row.id);
    expect(ids).toContain(recent.id);
    expect(ids).not.toContain('EV_old_one');
    // Still deduplicated after the prune.
    expect((await sendWebhook(meet.webhookUrl, 'room_started', { room: { name: 'no-class' } }, { id: recent.id })).body.status).toBe('duplicate');
  });
});
