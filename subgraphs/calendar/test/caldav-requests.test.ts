/**
 * What a sync asks of the CalDAV server: an object the pull has just read is
 * not read again to be written over (its copy and ETag are the merge's base
 * and the If-Match); a write refused with 412 (changed in between) still reads
 * it anew and merges again. Requests counted at a proxy in front of Radicale.
 */
import { beforeAll, expect, it } from 'vitest';
import { editedByApp, useCalDAVHarness, unfolded } from './caldav-harness.js';

const h = useCalDAVHarness(['tara'], { countRequests: true });
beforeAll(async () => {
  await h.sync('tara');
});

/** Requests of the last sync to one object, by method. */
function requestsTo(href: string): Record<string, number> {
  const path = new URL(href).pathname;
  const counts: Record<string, number> = {};
  for (const request of h.requests) if (request.path === path) counts[request.method] = (counts[request.method] ?? 0) + 1;
  return counts;
}

/** Tara's copy of a task deadline (it follows the ERP record: an edit there is put back). */
const deadline = async () => (await h.remoteWith('tara', 'X-BHEEM-SOURCE:project/task/'))!;

it('puts a refused edit back over the copy the pull read, without a GET', async () => {
  const copy = await deadline();
  const title = /SUMMARY:([^\r]*)/.exec(unfolded(copy.data))![1]!;
  await h.remotePut('tara', copy.href, editedByApp(copy.data, `SUMMARY:${title}`, 'SUMMARY:Renamed in the app\r\nCATEGORIES:Mine'), copy.etag);
  h.requests.length = 0;
  await h.sync('tara');
  // Read once with the pull's REPORT (not a GET), written once over its ETag.
  expect(requestsTo(copy.href)).toEqual({ PUT: 1 });
  const back = unfolded((await deadline()).data);
  expect(back).toContain(`SUMMARY:${title}`);
  expect(back).toContain('CATEGORIES:Mine');
});

it('reads the copy anew when it changed between the pull and the write (412), and keeps what that change added', async () => {
  const copy = await deadline();
  const title = /SUMMARY:([^\r]*)/.exec(unfolded(copy.data))![1]!;
  await h.remotePut('tara', copy.href, editedByApp(copy.data, `SUMMARY:${title}`, 'SUMMARY:Renamed again'), copy.etag);
  const path = new URL(copy.href).pathname;
  // Just before our write reaches the server, the app saves the object once more.
  h.beforeRequest = async (request) => {
    if (request.method !== 'PUT' || request.path !== path) return;
    h.beforeRequest = null;
    const now = await deadline();
    await h.remotePut('tara', copy.href, editedByApp(now.data, 'CATEGORIES:Mine', 'CATEGORIES:Mine\r\nPRIORITY:1'), now.etag);
  };
  h.requests.length = 0;
  await h.sync('tara');
  expect(requestsTo(copy.href)).toEqual({ PUT: 2, GET: 1 });
  const back = unfolded((await deadline()).data);
  expect(back).toContain(`SUMMARY:${title}`);
  expect(back).toContain('PRIORITY:1');
});
