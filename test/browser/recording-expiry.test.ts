/**
 * A recording whose signed URL expires while it plays (a long recording, a
 * short MEET_RECORDING_URL_TTL_SECONDS here): the player's next read of the
 * file is refused, and the page renews the URL and plays on from where it
 * stood, instead of stopping with an error. The file is read in two parts
 * (the test holds back the second until the URL has expired, as a player
 * does that reads ahead only so far); the refusal comes from the real route.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_ENDED_LIVE_CLASS } from '../../platform/demo/demo-ids.js';
import { useWebClientStack } from './web-client-stack.js';

const URL_TTL_SECONDS = 20;
const stack = useWebClientStack({ MEET_RECORDING_URL_TTL_SECONDS: String(URL_TTL_SECONDS) });

const RATE = 8000;
/** A quiet tone, as 8 kHz 8-bit mono PCM WAV: a file Chromium plays without any encoder at hand. */
function toneWav(seconds: number): Buffer {
  const samples = Buffer.alloc(RATE * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = 128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / RATE));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE, 28); // bytes per second
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

describe('a recording whose URL expires while it plays', { timeout: 240_000 }, () => {
  it('renews the URL on the refusal and plays on from the same time', async () => {
    const file = toneWav(1000);
    // The demo recording's file, in the checkout's recordings directory: put back as it was, or a later run's seed
    // records this file's size for a recording whose file is the demo's (class-follow-ups.test.ts then fails).
    const demoFile = path.join(stack.platform.config.meet.recordingsDir, `class-${DEMO_ENDED_LIVE_CLASS.course}-demo0.mp4`);
    const original = await readFile(demoFile).catch(() => undefined);
    onTestFinished(() => (original ? writeFile(demoFile, original) : rm(demoFile, { force: true })));
    await writeFile(demoFile, file);
    const firstPart = 44 + RATE * 750; // 12:30 (the player reads several MB before it starts)

    // The browser logs the refused read itself; that one is expected.
    const context = await stack.newContext({ viewport: { width: 1280, height: 900 } }, (text) => /Failed to load resource: .*403/.test(text));
    const refused: number[] = [];
    let firstUrl: string | undefined;
    await context.route('**/recordings/**', async (route) => {
      const url = route.request().url();
      const expires = Number(new URL(url).searchParams.get('expires')) * 1000;
      firstUrl ??= url;
      if (url !== firstUrl) return route.continue();
      const range = /bytes=(\d+)-/.exec(route.request().headers().range ?? '');
      if (Number(range?.[1] ?? 0) === 0) {
        // The first read delivers the first seconds only.
        const body = (await route.fetch()).body();
        return route.fulfill({
          status: 206,
          headers: { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-range': `bytes 0-${firstPart - 1}/${file.length}` },
          body: (await body).subarray(0, firstPart),
        });
      }
      // Later reads reach the server after the URL has expired.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expires + 1500 - Date.now())));
      const response = await route.fetch();
      refused.push(response.status());
      return route.fulfill({ response });
    });
    const student = await context.newPage();
    await stack.signIn(student, 'sam.student', '/app/courses/101');
    const recordings = student.getByRole('region', { name: 'Recordings' });
    await recordings.locator('li', { hasText: DEMO_ENDED_LIVE_CLASS.title }).getByRole('button', { name: 'Play' }).click();
    const video = recordings.locator('video');
    await video.waitFor();
    // Where it stood when the read was refused, and every time it showed after.
    await video.evaluate(async (element: HTMLVideoElement) => {
      const seen = { stood: -1, after: [] as number[] };
      (window as unknown as { seen: typeof seen }).seen = seen;
      element.addEventListener('error', () => {
        if (seen.stood < 0) seen.stood = element.currentTime;
      });
      element.addEventListener('timeupdate', () => {
        if (seen.stood >= 0 && element.currentTime > 0.01) seen.after.push(element.currentTime);
      });
      element.muted = true; // no gesture needed to play
      await element.play();
      element.currentTime = 745; // a long recording watched to 12:25, near the end of what was read
    });

    // It plays into the part read after the URL expired: past 12:30.
    await expect.poll(() => refused.length, { timeout: (URL_TTL_SECONDS + 30) * 1000 }).toBeGreaterThan(0);
    expect(refused[0]).toBe(403);
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 60_000 }).toBeGreaterThan(751);
    const state = await video.evaluate((element: HTMLVideoElement) => ({ paused: element.paused, src: element.currentSrc, error: element.error?.code ?? null }));
    expect(state).toMatchObject({ paused: false, error: null });
    expect(state.src).not.toBe(firstUrl);
    expect(await recordings.getByRole('alert').count()).toBe(0);
    // From where it stood, not from the start.
    const seen = await student.evaluate(() => (window as unknown as { seen: { stood: number; after: number[] } }).seen);
    expect(seen.stood).toBeGreaterThan(744);
    expect(Math.min(...seen.after)).toBeGreaterThan(seen.stood - 0.5);
  });
});
