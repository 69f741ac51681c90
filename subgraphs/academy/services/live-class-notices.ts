/**
 * The words of the notifications academy sends about live classes: subject,
 * plain and HTML bodies, and the one-line `smallmessage` Moodle shows in its
 * notification popover. Times are written in the recipient's time zone (as
 * Moodle decides it, see moodle-time-zone.ts), naming the zone; every notice
 * links to the class.
 */
export type LiveClassNoticeKind = 'liveclass_scheduled' | 'liveclass_rescheduled' | 'liveclass_cancelled' | 'liveclass_reminder' | 'liveclass_started' | 'recording_available';

export interface LiveClassNoticeFacts {
  kind: LiveClassNoticeKind;
  liveClassId: string;
  title: string;
  courseName: string;
  /** The class's start (absent for a recording notice). */
  startsAt?: Date;
  durationMinutes?: number;
  previousStartsAt?: Date;
}

export interface NoticeAudience {
  /** IANA zone the times are written in. */
  timeZone: string;
  /** The class's page. */
  classUrl: string;
  /** The course in Moodle (MOODLE_URL/course/view.php?id=…), when Moodle's address is known. */
  moodleCourseUrl?: string;
  /** Now, for "starts in n minutes". */
  now: Date;
}

export interface LiveClassNotice {
  subject: string;
  fullmessage: string;
  fullmessagehtml: string;
  smallmessage: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const formats = new Map<string, { long: Intl.DateTimeFormat; short: Intl.DateTimeFormat }>();
function formatsFor(timeZone: string) {
  let found = formats.get(timeZone);
  if (!found) {
    found = {
      long: new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }),
      short: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    formats.set(timeZone, found);
  }
  return found;
}

function lines(facts: LiveClassNoticeFacts, audience: NoticeAudience): { subject: string; body: string[] } {
  const { title, courseName, startsAt, durationMinutes, previousStartsAt } = facts;
  const { long, short } = formatsFor(audience.timeZone);
  // "Monday 7 December 2026 at 14:30 (Asia/Kolkata)": the zone named, since a mail may be read anywhere.
  const at = (date: Date) => `${long.format(date)} (${audience.timeZone})`;
  const brief = (date: Date | undefined) => (date ? ` (${short.format(date)})` : '');
  const length = durationMinutes ? `, for ${durationMinutes} minutes` : '';
  switch (facts.kind) {
    case 'liveclass_scheduled':
      return {
        subject: `Live class scheduled: ${title}${brief(startsAt)}`,
        body: [`A live class "${title}" was scheduled in ${courseName}.`, `It starts ${startsAt ? at(startsAt) : 'soon'}${length}.`],
      };
    case 'liveclass_rescheduled':
      return {
        subject: `Live class rescheduled: ${title}${brief(startsAt)}`,
        body: [
          `The live class "${title}" in ${courseName} was rescheduled.`,
          `It now starts ${startsAt ? at(startsAt) : 'at a new time'}${length}${previousStartsAt ? `, instead of ${at(previousStartsAt)}` : ''}.`,
        ],
      };
    case 'liveclass_cancelled':
      return { subject: `Live class cancelled: ${title}`, body: [`The live class "${title}" in ${courseName}${startsAt ? `, planned for ${at(startsAt)},` : ''} was cancelled.`] };
    case 'liveclass_reminder': {
      const minutes = startsAt ? Math.max(1, Math.round((startsAt.getTime() - audience.now.getTime()) / 60_000)) : undefined;
      return {
        subject: `Live class starting soon: ${title}${brief(startsAt)}`,
        body: [
          `The live class "${title}" in ${courseName} starts${minutes ? ` in ${minutes} minute${minutes === 1 ? '' : 's'}` : ' soon'}${startsAt ? `, ${at(startsAt)}` : ''}${length}.`,
        ],
      };
    }
    case 'liveclass_started':
      return { subject: `Live class started: ${title}`, body: [`The live class "${title}" in ${courseName} is live now${startsAt ? ` (planned for ${at(startsAt)})` : ''}.`] };
    case 'recording_available':
      return { subject: `Recording available: ${title}`, body: [`The recording of the live class "${title}" in ${courseName} is ready to watch.`] };
  }
}

export function liveClassNotice(facts: LiveClassNoticeFacts, audience: NoticeAudience): LiveClassNotice {
  const { subject, body } = lines(facts, audience);
  const linkText = facts.kind === 'recording_available' ? 'Watch the recording' : facts.kind === 'liveclass_started' ? 'Join the live class' : 'Open the live class';
  const links: [string, string][] = [[linkText, audience.classUrl]];
  if (audience.moodleCourseUrl) links.push(['The course in Moodle', audience.moodleCourseUrl]);
  return {
    subject,
    fullmessage: [...body, ...links.map(([text, url]) => `${text}: ${url}`)].join('\n'),
    fullmessagehtml: [...body.map((line) => `<p>${escapeHtml(line)}</p>`), ...links.map(([text, url]) => `<p><a href="${escapeHtml(url)}">${text}</a></p>`)].join(''),
    smallmessage: subject,
  };
}
