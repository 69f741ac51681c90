import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileDeletedInMoodle } from '../../../test/support/moodle-users.js';
import { DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
});
afterAll(() => platform?.stop());

const calendar = subgraphCaller(() => platform, 'calendar');
const rotate = async (username: string): Promise<string> => dataOf(await calendar(username, 'mutation { rotateCalendarFeedUrl }')).rotateCalendarFeedUrl;
/** The feed as the calendar service serves it (the public URL's path on the service's own origin). */
const fetchFeed = (url: string) => fetch(new URL(new URL(url).pathname, platform.subgraphs.calendar!.url));

describe('iCalendar feed', () => {
  it('serves a user\u2019s own events at a secret URL on the public origin', async () => {
    const url = await rotate('sam.student');
    expect(url).toMatch(new RegExp(`^${platform.config.publicUrl}/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
    const response = await fetchFeed(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await response.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    const summaries = [...ics.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim()).sort();
    expect(summaries).toEqual(
      DEMO_LIVE_CLASSES.filter((c) => ['101', '102'].includes(c.course))
        .map((c) => c.title.replace(/,/g, '\\,'))
        .sort(),
    );
  });

  it('includes recurring series with their exceptions', async () => {
    const ics = await (await fetchFeed(await rotate('emil.employee'))).text();
    expect(ics).toContain('SUMMARY:Weekly team meeting');
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=MO/);
    expect(ics).toMatch(/EXDATE;TZID=Asia\/Kolkata:\d{8}T100000/);
    expect(ics.match(/BEGIN:VTIMEZONE\r\nTZID:Asia\/Kolkata\r\n/g)).toHaveLength(1);
    expect(ics).toMatch(/RECURRENCE-ID;TZID=Asia\/Kolkata:\d{8}T100000/);
    expect(ics).not.toContain('Sunrise School'); // someone else's sales meeting
    // Named, refreshed every 15 minutes, published (RFC 7986, RFC 5546); colleagues and their answers on every meeting.
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\nPRODID:[^\r]*\r\nVERSION:2\.0\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Bheem\r\nNAME:Bheem\r\nREFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n/);
    const team = ics
      .replace(/\r\n[ \t]/g, '')
      .split('BEGIN:VEVENT')
      .find((part) => part.includes('SUMMARY:Weekly team meeting'))!;
    expect(team).toMatch(/\r\nORGANIZER;CN=[^\r]*:mailto:[^\r]+@bheem\.example\r\n/);
    expect(team).toMatch(/\r\nATTENDEE;[^\r]*PARTSTAT=[A-Z-]+[^\r]*:mailto:emil\.employee@bheem\.example\r\n/);
  });

  it('stops serving a rotated URL and unknown tokens', async () => {
    const first = await rotate('tara.teacher');
    const second = await rotate('tara.teacher');
    expect(first).not.toBe(second);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    expect((await fetchFeed(`${platform.config.publicUrl}/calendar/feed/not-a-token.ics`)).status).toBe(404);
  });

  it('serves no feed to a user no longer of the company, and says so while academy cannot tell', async () => {
    // The URL is a credential standing for the user's access: it must not outlive their membership (deleted in Moodle).
    const url = await rotate('sam.student');
    await whileDeletedInMoodle(platform.db, 'sam.student', async () => {
      const response = await fetchFeed(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('BEGIN:VCALENDAR');
    });
    expect((await fetchFeed(url)).status).toBe(200);
    // Academy gone: whether Sam is still a user cannot be learnt, and the feed neither serves nor drops him for it.
    await platform.stopSubgraph('academy');
    const unknown = await fetchFeed(url);
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('retry-after')).toBe('60');
    expect(await unknown.text()).toMatch(/try again/);
  });
});
