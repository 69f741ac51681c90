/** Outgoing mail (SMTP through nodemailer): off unless SMTP_URL is set. */
import type { Env } from './env-values.js';

export interface MailConfig {
  /** smtp://user:pass@host:587 or smtps://…:465 (SMTP_URL); undefined: no mail is sent. */
  smtpUrl?: string;
  /** The From header (MAIL_FROM, default "Bheem Academy <noreply@localhost>"). */
  from: string;
}

export function loadMailConfig(env: Env): MailConfig {
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//i.test(smtpUrl)) throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}"`);
  return { smtpUrl, from: env.MAIL_FROM || 'Bheem Academy <noreply@localhost>' };
}
