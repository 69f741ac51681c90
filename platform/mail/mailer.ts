/**
 * Outgoing mail over SMTP (nodemailer), one pooled transport per process.
 * Off (undefined) without SMTP_URL: callers then send nothing.
 */
import type Nodemailer from 'nodemailer';
import type { MailConfig } from '../config/mail-config.js';
import { requireWhenUsed } from '../lazy-require.js';

export interface MailMessage {
  to: string | { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
  /** A stable Message-ID, so that a mail sent twice (a retry after a crash) reads as one in mail clients. */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(config: MailConfig): Mailer | undefined {
  if (!config.smtpUrl) return undefined;
  // Loaded only where mail is sent.
  const nodemailer = requireWhenUsed('nodemailer') as typeof Nodemailer;
  // Bounded waits: a handler holds its event's transaction while it sends.
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  return {
    async send(message) {
      await transport.sendMail({ from: config.from, ...message });
    },
    close: () => transport.close(),
  };
}
