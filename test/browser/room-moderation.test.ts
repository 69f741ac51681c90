/**
 * Moderation in a connected class room (the LiveKit signalling and media
 * side of livekit-signal.ts): a student raises and lowers a hand, a teacher
 * lowers a student's hand and lets them speak, each with the
 * keyboard, and the focus stays where the user is: on the button whose words
 * changed, or on the participant's row when their button went.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { said } from './browser-session.js';
import { serveLiveKitRoom } from './livekit-signal.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const SAM = '5';

/** A class of course 101 made LIVE by an administrator joining the LiveKit double; its id. */
async function liveClass(title: string): Promise<string> {
  const scheduled = await stack.platform.query('tara.teacher', 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }', {
    input: { courseId: '101', title, scheduledAt: new Date(Date.now() + 5 * 60_000).toISOString() },
  });
  expect(scheduled.errors).toBeUndefined();
  const id = scheduled.data.scheduleLiveClass.id;
  await joinDouble('admin', id);
  return id;
}

/** `username` joins the class's room in the double with a ticket of the API, as a client without a page would. */
async function joinDouble(username: string, id: string): Promise<void> {
  const join = await stack.platform.query(username, 'mutation($id: ID!) { joinLiveClass(id: $id) { token } }', { id });
  expect(join.errors).toBeUndefined();
  await stack.livekit.connect(join.data.joinLiveClass.token);
  await stack.livekit.webhooksSettled();
}

const focused = (page: Page) =>
  page.evaluate(
    () => `${document.activeElement?.tagName.toLowerCase()} ${document.activeElement?.getAttribute('data-identity') ?? document.activeElement?.textContent?.trim() ?? ''}`,
  );

/** A signed-in page of course 101 whose LiveKit room connects; in the room of class `id` once it returns. */
async function inRoom(username: string, id: string): Promise<Page> {
  const context = await stack.newContext(DESKTOP, undefined, [stack.livekit.url, stack.livekit.url.replace(/^http/, 'ws')]);
  const page = await context.newPage();
  await serveLiveKitRoom(page, await context.newPage(), stack.livekit);
  await stack.signIn(page, username, '/app/courses/101');
  const item = page.locator(`[data-testid=live-classes] li[data-class-id="${id}"]`);
  await item.getByRole('button', { name: 'Join Now' }).click({ timeout: 30_000 });
  await item.getByText('In the room:').waitFor({ timeout: 60_000 });
  return page;
}

describe('moderation in a connected room', { timeout: 180_000 }, () => {
  it('a student raises and lowers a hand with the keyboard, the focus staying on the one button', async () => {
    const id = await liveClass(`Hands up ${Date.now()}`);
    const page = await inRoom('sam.student', id);
    const moderation = page.getByTestId('moderation');
    await moderation.getByRole('button', { name: 'Raise hand' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('button Lower hand');
    await expect.poll(() => said(page)).toContain('Your hand is raised.');
    const hands = await stack.platform.query('sam.student', 'query($id: ID!) { liveClass(id: $id) { raisedHands { user { id } } } }', { id });
    expect(hands.data.liveClass.raisedHands).toEqual([{ user: { id: SAM } }]);
    // As a user waits for a button no longer marked busy: the words change before the action's re-read ends, and a
    // press while aria-disabled is ignored (on a loaded machine the second press came that soon).
    const hand = moderation.getByRole('button', { name: 'Lower hand' });
    await expect.poll(() => hand.getAttribute('aria-disabled')).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('button Raise hand');
    await expect.poll(() => said(page)).toContain('Your hand is lowered.');
  });

  it('a teacher lowers a student’s hand and lets them speak, the focus staying with the student', async () => {
    const id = await liveClass(`Let speak ${Date.now()}`);
    await joinDouble('sam.student', id);
    const raised = await stack.platform.query('sam.student', 'mutation($id: ID!) { raiseHand(liveClassId: $id) { id } }', { id });
    expect(raised.errors).toBeUndefined();
    const page = await inRoom('tara.teacher', id);
    const sam = page.getByTestId('moderation').locator(`li[data-identity="${SAM}"]`);
    await sam.getByText('hand raised').waitFor({ timeout: 30_000 });

    // Lower hand goes once pressed: the focus goes to Sam's row, not to the page's top.
    await sam.getByRole('button', { name: 'Lower hand' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe(`li ${SAM}`);
    expect(await sam.getByText('hand raised').count()).toBe(0);

    // Let speak becomes Stop speaking under the focus.
    await sam.getByRole('button', { name: 'Let speak' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('button Stop speaking');
    await sam.getByText('speaking', { exact: true }).waitFor();
  });
});
