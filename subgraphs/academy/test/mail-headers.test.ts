/**
 * Mail headers from what Moodle and meet hold: a class title or a user's name
 * with CR/LF (and a header after it) stays inside its header, a non-ASCII name
 * is encoded, and the mail goes to the course's own users and nobody else.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { publishEvent } from '../../../platform/events/publish-event.js';
import { startSmtpSink, type SmtpSink } from '../../../test/mail/smtp-sink.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let smtp: SmtpSink;
let platform: TestPlatform;
let db: Kysely<any>;
let moodle: Kysely<any>;
beforeAll(async () => {
  smtp = await startSmtpSink();
  platform = await startTestPlatform({
    subgraphs: ['academy'],
    gateway: false,
    env: { ACADEMY_CONSUME_EVENTS: 'true', SMTP_URL: smtp.url, MAIL_FROM: 'Bheem Academy <academy@bheem.example>' },
  });
  db = platform.db;
  moodle = db.withSchema(platform.config.moodle.schema);
});
afterAll(async () => {
  await platform?.stop();
  await smtp?.stop();
});

describe('live class mail headers', () => {
  it('keeps CR/LF in a title or a name inside its header, encodes non-ASCII names, and mails only the course', async () => {
    await moodle.updateTable('mdl_user').set({ lastname: 'Dutta\r\nBcc: intruder@evil.example' }).where('id', '=', '5').execute();
    await moodle.updateTable('mdl_user').set({ firstname: 'Sítá 🎓' }).where('id', '=', '6').execute();
    const liveClassId = randomUUID();
    const payload = {
      company_id: demoCompanyId('bheem'),
      live_class_id: liveClassId,
      course_id: '101',
      title: 'Waves\r\nBcc: intruder@evil.example\r\nX-Injected: yes',
      description: null,
      scheduled_at: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      duration_minutes: 30,
      status: 'SCHEDULED',
      host_user_id: '3',
      actor_id: '3',
    };
    await db.transaction().execute((trx) => publishEvent(trx, { topic: 'meet.class.scheduled', companyId: payload.company_id, key: liveClassId, payload, source: 'meet' }));
    const deadline = Date.now() + 60_000;
    const ours = () => smtp.mails.filter((mail) => mail.subject.startsWith('Live class scheduled: Waves'));
    while (ours().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const mails = ours();
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual(['sam.student@bheem.example', 'sita.student@bheem.example']);
    for (const mail of mails) {
      expect(mail.headers.has('bcc')).toBe(false);
      expect(mail.headers.has('x-injected')).toBe(false);
      expect(mail.subject).not.toMatch(/[\r\n]/);
    }
    const toSita = mails.find((mail) => mail.to.includes('sita.student@bheem.example'))!;
    expect(toSita.headers.get('to')).toBe('=?UTF-8?Q?S=C3=ADt=C3=A1_=F0=9F=8E=93_Kapoor?= <sita.student@bheem.example>');
  });
});
