/**
 * An action of the course page (scheduling a class) when the network fails
 * under it: offline, the gateway answering 502 without GraphQL, and no answer
 * at all. Each time the page says what happened in words a user reads (no
 * raw code such as NETWORK_ERROR or HTTP_502), and nothing is scheduled.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
// Chromium logs the failed requests themselves; they are what the test does, not a fault of the page.
const fromTheFailures = (text: string) => /ERR_INTERNET_DISCONNECTED|status of 502/.test(text);
/** What the page shows a user: an error banner, without anything that looks like a code. */
const RAW_CODE = /\b[A-Z]+_[A-Z0-9_]+\b/;

/** Schedules, and waits for the form's error banner to say `expected` (the previous attempt's message goes first). */
async function scheduleAndReadError(page: Page, title: string, expected: RegExp, timeout = 30_000): Promise<string> {
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  const alert = page.getByRole('region', { name: 'Schedule a class' }).getByRole('alert');
  await expect.poll(() => alert.innerText({ timeout }).catch(() => ''), { timeout }).toMatch(expected);
  return alert.innerText();
}

describe('a failing network', { timeout: 180_000 }, () => {
  it('tells the user in words when offline, on a 502 from the gateway, and when no answer comes', async () => {
    const context = await stack.newContext({ viewport: { width: 1280, height: 900 } }, fromTheFailures);
    const page = await context.newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    await page.getByRole('heading', { name: 'Schedule a class' }).waitFor();
    const title = `Never scheduled ${Date.now()}`;

    await context.setOffline(true);
    const offline = await scheduleAndReadError(page, title, /offline/i);
    expect(offline).not.toMatch(RAW_CODE);
    await context.setOffline(false);

    await page.route('**/graphql', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }));
    const badGateway = await scheduleAndReadError(page, title, /server had a problem/i);
    expect(badGateway).not.toMatch(RAW_CODE);
    await page.unroute('**/graphql');

    // No answer: the request is never let through.
    await page.route('**/graphql', () => {});
    const silent = await scheduleAndReadError(page, title, /did not answer/i, 60_000);
    expect(silent).not.toMatch(RAW_CODE);
    expect(await page.getByRole('button', { name: 'Schedule', exact: true }).isEnabled()).toBe(true);
    await page.unroute('**/graphql');

    const classes = await stack.platform.query('tara.teacher', '{ liveClasses(courseId: "101") { title } }');
    expect(classes.data.liveClasses.map((item: { title: string }) => item.title)).not.toContain(title);
  });
});
