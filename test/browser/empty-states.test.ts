/**
 * The pages with nothing to show: a user in no course (an employee), and a
 * course with no classes, recordings, events or documents (the draft course,
 * which only its teacher sees). Each says so in words, with no error.
 */
import { describe, expect, it } from 'vitest';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();

describe('empty states', { timeout: 180_000 }, () => {
  it('tells a user in no course so, on the courses page and the week', async () => {
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'emil.employee', '/app/');
    await page.getByText('You are not enrolled in any course.').waitFor();
    // A week long before the demo's events (the reader's clock; the API's is the real one): each day says it is empty,
    // once the week has its answer (before it, the days say they are loading).
    const week = await stack.signedInAt(new Date('2025-03-12T12:00:00Z'), 'emil.employee', '/app/week', { viewport: { width: 1280, height: 900 } });
    await week.getByRole('heading', { name: 'My week' }).waitFor();
    await week.locator('.week[aria-busy="false"]').waitFor();
    const days = week.locator('section.day');
    expect(await days.count()).toBe(7);
    for (const day of await days.all()) expect(await day.innerText(), (await day.getAttribute('aria-label')) ?? '').toContain('Nothing this day');
    expect(await week.getByRole('alert').count()).toBe(0);
  });

  it('offers a user in no course, on a narrow phone, the way to their week from the empty courses page', async () => {
    const page = await (await stack.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true })).newPage();
    await stack.signIn(page, 'emil.employee', '/app/');
    const empty = page.locator('main').getByText('You are not enrolled in any course.');
    await empty.waitFor();
    const link = empty.getByRole('link', { name: 'your week' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'My week' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/week');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  it('shows an empty course with a word for each empty part', async () => {
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/103');
    await page.getByRole('heading', { name: 'Chemistry (draft)' }).waitFor();
    for (const text of ['No upcoming classes.', 'No recordings yet.', 'No upcoming events.', 'No documents yet.']) await page.getByText(text).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
