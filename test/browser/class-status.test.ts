/**
 * What a student reads of each live class's status: words, not the API's
 * codes, with the time that matters for it (starts in, started at, ended at)
 * in the student's own zone, and one sentence for a screen reader.
 */
import type { Locator } from 'playwright-core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_ENDED_LIVE_CLASS } from '../../platform/demo/demo-ids.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const ZONE = 'America/New_York';

async function scheduleClass(title: string, minutesAhead: number): Promise<string> {
  const scheduled = await stack.platform.query('tara.teacher', 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }', {
    input: { courseId: '101', title, scheduledAt: new Date(Date.now() + minutesAhead * 60_000).toISOString() },
  });
  expect(scheduled.errors).toBeUndefined();
  return scheduled.data.scheduleLiveClass.id;
}

/** The badge and the time as the page shows them, and the sentence assistive technology reads. */
async function shown(item: Locator) {
  const status = item.getByTestId('status');
  return {
    words: await status.locator('.badge').innerText(),
    when: (await status.locator('time').innerText()).replace(/\s/g, ' '),
    at: await status.locator('time').getAttribute('datetime'),
    spoken: (await item.ariaSnapshot()).replace(/\s/g, ' '),
  };
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-US', { timeZone: ZONE, hour: 'numeric', minute: '2-digit' }).replace(/\s/g, ' ');

describe('live class statuses in words', { timeout: 180_000 }, () => {
  it('says scheduled, live, cancelled and ended in words, with when, in the reader’s zone', async () => {
    const stamp = Date.now();
    const soon = await scheduleClass(`Soon ${stamp}`, 25);
    const live = await scheduleClass(`Running ${stamp}`, 5);
    const cancelled = await scheduleClass(`Called off ${stamp}`, 120);
    expect((await stack.platform.query('tara.teacher', `mutation { cancelLiveClass(id: "${cancelled}") { id } }`)).errors).toBeUndefined();
    // Live since three minutes ago, as LiveKit's webhook would have it.
    const startedAt = new Date(Math.floor((Date.now() - 3 * 60_000) / 1000) * 1000).toISOString();
    await sql`UPDATE meet.live_classes SET status = 'LIVE', started_at = ${startedAt} WHERE id = ${live}`.execute(createKysely(stack.platform.database.url));
    const ended = (await stack.platform.query('sam.student', `{ liveClass(id: "${DEMO_ENDED_LIVE_CLASS.id}") { endedAt } }`)).data.liveClass.endedAt;

    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: ZONE, locale: 'en-US' })).newPage();
    await stack.signIn(page, 'sam.student', '/app/courses/101');
    const section = page.getByRole('region', { name: 'Live classes' });
    const item = (id: string) => section.locator(`li[data-class-id="${id}"]`);
    await item(soon).waitFor();

    const scheduled = await shown(item(soon));
    expect(scheduled.words).toBe('Scheduled');
    expect(scheduled.when).toMatch(/^starts in 2[45] min$/);
    expect(scheduled.spoken).toMatch(/Scheduled, starts in 2[45] min/);

    const running = await shown(item(live));
    expect(running.words).toBe('Live now');
    expect(running.when).toMatch(/^started at ([A-Z][a-z]{2} \d{1,2}(, \d{4})?, )?\d{1,2}:\d{2} [AP]M E[SD]T$/);
    expect(running.when).toContain(clock(startedAt));
    expect(running.at).toBe(startedAt);
    expect(running.spoken).toContain(`Live now, ${running.when}`);

    const off = await shown(item(cancelled));
    expect(off.words).toBe('Cancelled');
    expect(off.when).toMatch(/^was to start at ([A-Z][a-z]{2} \d{1,2}(, \d{4})?, )?\d{1,2}:\d{2} [AP]M E[SD]T$/);

    const over = await shown(item(DEMO_ENDED_LIVE_CLASS.id));
    expect(over.words).toBe('Ended');
    // Two days ago: with its date.
    expect(over.when).toMatch(/^ended at [A-Z][a-z]{2} \d{1,2}(, \d{4})?, \d{1,2}:\d{2} [AP]M E[SD]T$/);
    expect(over.when).toContain(clock(ended));
    expect(over.at).toBe(new Date(ended).toISOString());

    // No code of the API is left on screen, and the badges' words are not read twice.
    expect(await section.innerText()).not.toMatch(/\b(SCHEDULED|WAITING|LIVE|ENDED|CANCELLED)\b/);
    expect(scheduled.spoken.match(/Scheduled/g)).toHaveLength(1);

    // The course list says the same.
    await page.getByRole('link', { name: 'Courses' }).first().click();
    const card = page.locator('article', { hasText: `Running ${stamp}` });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Live now\s+started at/);
  });
});
