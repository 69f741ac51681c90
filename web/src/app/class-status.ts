/**
 * A live class's status in words, with the time that matters for it (when it
 * starts, started, or ended) in the viewer's zone, and one sentence of both
 * for screen readers: the API's codes (SCHEDULED, LIVE, ...) are not words.
 */
import type { LiveClassStatus } from '../gql/graphql';

export interface ClassTimes {
  status: LiveClassStatus;
  scheduledAt: string;
  endsAt?: string | null;
  startedAt?: string | null;
  endedAt?: string | null;
}

export interface ClassStatusText {
  /** The badge: one or two words. */
  words: string;
  /** When, in words: "starts in 25 min", "started at 9:32 AM GMT+5:30". */
  when: string;
  /** The instant `when` names, for <time datetime>. */
  at: string;
  /** Both, as one sentence for assistive technology. */
  label: string;
}

const WORDS: Record<LiveClassStatus, string> = {
  SCHEDULED: 'Scheduled',
  WAITING: 'Waiting for the teacher',
  LIVE: 'Live now',
  ENDED: 'Ended',
  CANCELLED: 'Cancelled',
};

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** A time of day with the zone's name when it is today, otherwise with its date too. */
export function clockTime(iso: string, now: number): string {
  const date = new Date(iso);
  const today = sameDay(date, new Date(now));
  return date.toLocaleString(undefined, {
    ...(today ? {} : { month: 'short', day: 'numeric', ...(date.getFullYear() !== new Date(now).getFullYear() && { year: 'numeric' }) }),
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** "less than a minute", "25 min", "2 h 5 min": how long until a start within the day. */
function until(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

const DAY_MS = 86_400_000;

function whenOf(item: ClassTimes, now: number): { when: string; at: string } {
  switch (item.status) {
    case 'SCHEDULED': {
      const start = Date.parse(item.scheduledAt);
      if (start <= now) return { when: `was due at ${clockTime(item.scheduledAt, now)}`, at: item.scheduledAt };
      if (start - now < DAY_MS) return { when: `starts in ${until(start - now)}`, at: item.scheduledAt };
      return { when: `starts ${clockTime(item.scheduledAt, now)}`, at: item.scheduledAt };
    }
    case 'WAITING':
      return { when: `due at ${clockTime(item.scheduledAt, now)}`, at: item.scheduledAt };
    case 'LIVE': {
      const started = item.startedAt ?? item.scheduledAt;
      return { when: `started at ${clockTime(started, now)}`, at: started };
    }
    case 'ENDED': {
      const ended = item.endedAt ?? item.endsAt ?? item.scheduledAt;
      return { when: `ended at ${clockTime(ended, now)}`, at: ended };
    }
    case 'CANCELLED':
      return { when: `was to start at ${clockTime(item.scheduledAt, now)}`, at: item.scheduledAt };
  }
}

export function classStatusText(item: ClassTimes, now = Date.now()): ClassStatusText {
  const words = WORDS[item.status] ?? item.status;
  const { when, at } = whenOf(item, now);
  return { words, when, at: new Date(at).toISOString(), label: `${words}, ${when}` };
}
