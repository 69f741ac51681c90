/**
 * Times of live classes as a teacher in India enters them and a student in
 * New York reads them: the form says in which zone its time is read, the API
 * gets the instant, and listed times name their zone. A time the clocks skip
 * (the hour summer time begins) is refused in words, not moved.
 */
import { describe, expect, it } from 'vitest';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();

describe('class times across time zones', { timeout: 180_000 }, () => {
  it("reads the teacher's entry in the browser's zone, says so, and shows the class with its zone to a student elsewhere", async () => {
    const teacher = await (await stack.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Kolkata', locale: 'en-US' })).newPage();
    await stack.signIn(teacher, 'tara.teacher', '/app/courses/101');
    await teacher.getByRole('heading', { name: 'Schedule a class' }).waitFor();
    const starts = teacher.getByLabel(/^Starts/);
    // Chromium's ICU names the zone by its older alias.
    expect(await teacher.locator('label[for="class-when"]').innerText()).toMatch(/Asia\/(Kolkata|Calcutta)/);
    const title = `Kolkata morning ${Date.now()}`;
    await teacher.getByLabel('Title').fill(title);
    await starts.fill('2027-01-15T09:30');
    await teacher.getByRole('button', { name: 'Schedule', exact: true }).click();
    await teacher
      .getByRole('log')
      .filter({ hasText: `Scheduled "${title}"` })
      .waitFor({ state: 'attached', timeout: 30_000 });

    const listed = await stack.platform.query('tara.teacher', '{ course(id: "101") { liveClasses { title scheduledAt } } }');
    const scheduled = listed.data.course.liveClasses.find((item: { title: string }) => item.title === title);
    expect(new Date(scheduled.scheduledAt).toISOString()).toBe('2027-01-15T04:00:00.000Z');

    const student = await (await stack.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York', locale: 'en-US' })).newPage();
    await stack.signIn(student, 'sam.student', '/app/courses/101');
    const item = student.getByTestId('live-classes').locator('li', { hasText: title });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.innerText()).toMatch(/Jan 14, 2027, 11:00\sPM EST/);
  });

  it('refuses a start in the hour that summer time skips, in words, instead of moving it', async () => {
    const teacher = await (await stack.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' })).newPage();
    await stack.signIn(teacher, 'tara.teacher', '/app/courses/101');
    await teacher.getByRole('heading', { name: 'Schedule a class' }).waitFor();
    const title = `Berlin spring forward ${Date.now()}`;
    await teacher.getByLabel('Title').fill(title);
    // 28 March 2027 in Berlin: 02:00 CET is followed by 03:00 CEST; 02:30 never happens there.
    await teacher.getByLabel(/^Starts/).fill('2027-03-28T02:30');
    await teacher.getByRole('button', { name: 'Schedule', exact: true }).click();
    const alert = teacher.getByRole('region', { name: 'Schedule a class' }).getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toMatch(/02:30 does not exist in Europe\/Berlin/);
    const listed = await stack.platform.query('tara.teacher', '{ course(id: "101") { liveClasses { title } } }');
    expect(listed.data.course.liveClasses.map((item: { title: string }) => item.title)).not.toContain(title);
  });
});
