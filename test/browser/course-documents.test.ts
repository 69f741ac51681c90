/**
 * Documents of the course page against a gateway whose signed download URLs
 * live 15 s (DOCUMENTS_URL_TTL_SECONDS; 900 by default): a page left open
 * longer than that still downloads the file, not the server's refusal.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useWebClientStack } from './web-client-stack.js';

const URL_TTL_SECONDS = 15;
const stack = useWebClientStack({ DOCUMENTS_URL_TTL_SECONDS: String(URL_TTL_SECONDS) });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('course documents', { timeout: 180_000 }, () => {
  it('downloads the file from a page open longer than its download URL lives', async () => {
    const teacher = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(teacher, 'tara.teacher', '/app/courses/101');
    await teacher.getByRole('heading', { name: 'Documents' }).waitFor();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64 * 1024, 3)]);
    const filename = `handout-${Date.now()}.pdf`;
    await teacher.getByLabel('File to upload').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: bytes });
    await teacher.getByRole('button', { name: 'Upload', exact: true }).click();
    const link = teacher.getByTestId('documents').getByRole('link', { name: filename });
    await link.waitFor({ timeout: 60_000 });

    // The page sits open until the URL it was given has expired.
    const expires = Number(new URL((await link.getAttribute('href'))!).searchParams.get('expires')) * 1000;
    expect(expires).toBeGreaterThan(0);
    await expect.poll(() => Date.now() > expires + 1000, { timeout: (URL_TTL_SECONDS + 30) * 1000, interval: 1000 }).toBe(true);

    const [download] = await Promise.all([teacher.waitForEvent('download', { timeout: 60_000 }), link.click()]);
    expect(await download.failure()).toBeNull();
    expect(sha256(readFileSync((await download.path())!))).toBe(sha256(bytes));
  });
});
