/**
 * Attendance exports and recording links signed for real (with the key and
 * the code the product signs with) over ids that lead nowhere good: a class
 * or course of another company, a class or recording that was deleted,
 * ids that do not exist, are not UUIDs (or Moodle ids), or are huge. The
 * signature holds, so what must refuse them is the route: a clear 4xx with
 * a message, never a 5xx, and nothing of another company in the answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ENDED_LIVE_CLASS, DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { exchange } from '../../../test/support/raw-http.js';
import { AttendanceReports, type ExportTarget } from '../attendance/attendance-reports.js';
import { RecordingUrlSigner } from '../recordings/recording-url.js';
import { startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

const BHEEM = DEMO_COMPANIES.bheem.id;
const GLOBEX = DEMO_COMPANIES.globex.id;
const GLOBEX_CLASS = DEMO_LIVE_CLASSES.find((liveClass) => liveClass.course === '201')!;
/** What would tell a Globex class or course apart: its title, its course, its people. */
const GLOBEX_WORDS = /Globex|pitch practice|GLX|Greta|Gina|Gary/i;
const HOSTILE_IDS = ['not-a-uuid', "' OR 1=1 --", '..', '../classes/x', '\u0000', '0', '-1', '1e3', `${'9'.repeat(400)}`, 'x'.repeat(10_000), 'ü😀'];

let meet: MeetTestPlatform;
let attendance: AttendanceReports;
let recordings: RecordingUrlSigner;
let port: number;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
  const { config } = meet.platform;
  port = Number(new URL(meet.platform.subgraphs.meet!.url).port);
  // As meet's subgraph.ts makes them; the repositories are not used for signing.
  attendance = new AttendanceReports(config.internalSigningSecret, config.meet.recordingsPublicUrl, config.meet.recordingUrlTtlSeconds, null as never, null as never);
  recordings = new RecordingUrlSigner(config.internalSigningSecret, config.meet.recordingsPublicUrl, config.meet.recordingUrlTtlSeconds);
});
afterAll(() => meet?.stop());

/** Path and query as signed (not through URL, which would resolve or re-encode what the signature covers). */
const target = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
const exportOf = (companyId: string, exported: ExportTarget) => target(attendance.link(companyId, exported, '2').url);
/** A recording link as RecordingUrlSigner signs it, the id percent-encoded on the path (the route decodes it before checking). */
const recordingLink = (id: string, scope?: 'any') => {
  const url = recordings.sign(id, Date.now(), scope);
  return `${target(url.url).split('?')[0]!.slice(0, -id.length)}${encodeURIComponent(id)}?${url.url.slice(url.url.lastIndexOf('?') + 1)}`;
};

/** Each request's answer, as [label, status, the message or the problem]: a 4xx with a message and no Globex word passes. */
async function refusals(requests: [string, string][]): Promise<string[]> {
  const problems: string[] = [];
  for (const [label, path] of requests) {
    const outcome = await exchange(port, { method: 'GET', target: path });
    if ('dropped' in outcome) problems.push(`${label}: ${outcome.dropped}`);
    else if (outcome.status < 400 || outcome.status >= 500) problems.push(`${label}: ${outcome.status} ${outcome.body.slice(0, 200)}`);
    else if (!/"error":"[^"]+"/.test(outcome.body)) problems.push(`${label}: ${outcome.status} without a message`);
    else if (GLOBEX_WORDS.test(outcome.body)) problems.push(`${label}: tells of Globex: ${outcome.body.slice(0, 200)}`);
  }
  return problems;
}

it('the signed export of a class or course is refused when it is another company’s, gone, or no id at all', async () => {
  // Signed as the product signs, the real thing works: the refusals below are the ids', not the signatures'.
  const ordinary = await exchange(port, { method: 'GET', target: exportOf(BHEEM, { kind: 'class', id: DEMO_ENDED_LIVE_CLASS.id }) });
  expect(ordinary).toMatchObject({ status: 200, body: expect.stringContaining('Sam Dutta') });
  const gone = DEMO_LIVE_CLASSES.find((liveClass) => liveClass.course === '102')!.id;
  await meet.exec(`DELETE FROM meet.live_classes WHERE id = '${gone}'`);
  const requests: [string, string][] = [
    ['a Globex class, signed for Bheem', exportOf(BHEEM, { kind: 'class', id: GLOBEX_CLASS.id })],
    ['a Bheem class, signed for Globex', exportOf(GLOBEX, { kind: 'class', id: DEMO_ENDED_LIVE_CLASS.id })],
    ['a deleted class', exportOf(BHEEM, { kind: 'class', id: gone })],
    ['a class that never was', exportOf(BHEEM, { kind: 'class', id: '0b0e0010-0000-4000-8000-00000000ffff' })],
    ['the Globex course, signed for Bheem', exportOf(BHEEM, { kind: 'course', id: '201' })],
    ['a Bheem course, signed for Globex', exportOf(GLOBEX, { kind: 'course', id: '101' })],
    ['a course that never was', exportOf(BHEEM, { kind: 'course', id: '999999' })],
    ['a class of a company that is not a UUID', exportOf("' OR 1=1 --", { kind: 'class', id: DEMO_ENDED_LIVE_CLASS.id })],
    ['a course of a company that is not a UUID', exportOf('not-a-company', { kind: 'course', id: '101' })],
    ...HOSTILE_IDS.flatMap((id): [string, string][] => [
      [`class ${JSON.stringify(id.slice(0, 20))}`, exportOf(BHEEM, { kind: 'class', id })],
      [`course ${JSON.stringify(id.slice(0, 20))}`, exportOf(BHEEM, { kind: 'course', id })],
    ]),
  ];
  expect(await refusals(requests)).toEqual([]);
});

it('a signed recording link is refused when its recording is gone or is no id at all', async () => {
  const ready = await exchange(port, { method: 'GET', target: recordingLink(DEMO_ENDED_LIVE_CLASS.recordingId), headers: [['range', 'bytes=0-0']] });
  expect(ready).toMatchObject({ status: 206 });
  const requests: [string, string][] = [
    ['a recording that never was', recordingLink('0b0e0011-0000-4000-8000-00000000ffff')],
    ...HOSTILE_IDS.flatMap((id): [string, string][] => [
      [`recording ${JSON.stringify(id.slice(0, 20))}`, recordingLink(id)],
      [`recording ${JSON.stringify(id.slice(0, 20))}, any scope`, recordingLink(id, 'any')],
    ]),
  ];
  expect(await refusals(requests)).toEqual([]);
  await meet.exec(`DELETE FROM meet.recordings WHERE id = '${DEMO_ENDED_LIVE_CLASS.recordingId}'`);
  expect(await refusals([['a deleted recording', recordingLink(DEMO_ENDED_LIVE_CLASS.recordingId, 'any')]])).toEqual([]);
});
