/**
 * The words of the notifications academy sends about live classes: subject,
 * plain and HTML bodies, and the one-line `smallmessage` Moodle shows in its
 * notification popover. Times are in UTC: Moodle renders a user's own zone
 * only for what it formats itself.
 */
export type LiveClassNoticeKind = 'liveclass_scheduled' | 'liveclass_rescheduled' | 'liveclass_cancelled' | 'recording_available';

export interface LiveClassNoticeFacts {
  kind: LiveClassNoticeKind;
  title: string;
  courseName: string;
  /** The class's start (absent for a recording notice). */
  startsAt?: Date;
  durationMinutes?: number;
  previousStartsAt?: Date;
}

export interface LiveClassNotice {
  subject: string;
  fullmessage: string;
  fullmessagehtml: string;
  smallmessage: string;
}

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' });
const at = (date: Date) => `${when.format(date)} UTC`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function lines(facts: LiveClassNoticeFacts): { subject: string; body: string[] } {
  const { title, courseName, startsAt, durationMinutes, previousStartsAt } = facts;
  const length = durationMinutes ? ` (${durationMinutes} minutes)` : '';
  switch (facts.kind) {
    case 'liveclass_scheduled':
      return { subject: `Live class scheduled: ${title}`, body: [`A live class "${title}" was scheduled in ${courseName}.`, `It starts ${startsAt ? at(startsAt) : 'soon'}${length}.`] };
    case 'liveclass_rescheduled':
      return {
        subject: `Live class rescheduled: ${title}`,
        body: [
          `The live class "${title}" in ${courseName} was rescheduled.`,
          `It now starts ${startsAt ? at(startsAt) : 'at a new time'}${length}${previousStartsAt ? `, instead of ${at(previousStartsAt)}` : ''}.`,
        ],
      };
    case 'liveclass_cancelled':
      return { subject: `Live class cancelled: ${title}`, body: [`The live class "${title}" in ${courseName}${startsAt ? `, planned for ${at(startsAt)},` : ''} was cancelled.`] };
    case 'recording_available':
      return { subject: `Recording available: ${title}`, body: [`The recording of the live class "${title}" in ${courseName} is ready to watch.`] };
  }
}

export function liveClassNotice(facts: LiveClassNoticeFacts): LiveClassNotice {
  const { subject, body } = lines(facts);
  return {
    subject,
    fullmessage: body.join('\n'),
    fullmessagehtml: body.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
    smallmessage: subject,
  };
}
