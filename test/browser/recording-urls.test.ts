/**
 * Recordings of the course page against a meet whose signed recording URLs
 * live 15 s (MEET_RECORDING_URL_TTL_SECONDS; 900 by default): a page left
 * open longer than that still plays the recording, not the server's refusal.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_ENDED_LIVE_CLASS } from '../../platform/demo/demo-ids.js';
import { useWebClientStack } from './web-client-stack.js';

const URL_TTL_SECONDS = 15;
const stack = useWebClientStack({ MEET_RECORDING_URL_TTL_SECONDS: String(URL_TTL_SECONDS) });

describe('course recordings', { timeout: 180_000 }, () => {
  it('plays a recording from a page open longer than its URL lives', async () => {
    const context = await stack.newContext({ viewport: { width: 1280, height: 900 } });
    const answers: number[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/recordings/')) answers.push(response.status());
    });
    const student = await context.newPage();
    await stack.signIn(student, 'sam.student', '/app/courses/101');
    const item = student.locator('li', { hasText: DEMO_ENDED_LIVE_CLASS.title }).filter({ has: student.getByRole('button', { name: 'Play' }) });
    await item.waitFor();

    // The page sits open until the URL it was given has expired.
    const loadedAt = Date.now();
    await expect.poll(() => Date.now() > loadedAt + (URL_TTL_SECONDS + 2) * 1000, { timeout: (URL_TTL_SECONDS + 30) * 1000, interval: 1000 }).toBe(true);

    await item.getByRole('button', { name: 'Play' }).click();
    const video = student.getByRole('region', { name: 'Recordings' }).locator('video');
    await video.waitFor();
    // The player was given the file, not a refusal. (The demo file is an MP4 header without media
    // tracks, which Chromium will not decode: what the server answered is the check.)
    await expect.poll(() => answers.length).toBeGreaterThan(0);
    expect(
      answers.every((status) => status === 200 || status === 206),
      `answers: ${answers}`,
    ).toBe(true);
  });
});
