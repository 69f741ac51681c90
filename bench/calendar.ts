/**
 * The calendar's benchmarks: recurrence expansion, findMeetingTimes' ranking
 * for 20 attendees over two weeks (bench/meeting-times.ts), then a CalDAV
 * full sync of 1,000 events against Radicale (bench/calendar-sync.ts).
 *
 * Recurrence expansion speed: a year of a daily 09:00 Europe/Berlin series
 * (crossing both DST changes) with exceptions (every 7th day excluded, a few
 * extra dates), expanded month by month as calendar views ask for it.
 * Prints occurrences expanded per second. Run alone:
 *   node --import tsx bench/calendar.ts
 */
import { pathToFileURL } from 'node:url';
import { runCalendarSyncBench, type CalendarSyncBenchResult } from './calendar-sync.js';
import { runMeetingTimesBench } from './meeting-times.js';
import { expandOccurrences, type SeriesDefinition } from '../subgraphs/calendar/recurrence/expand-occurrences.js';
import { instantOf } from '../subgraphs/calendar/recurrence/time-zones.js';

const DAY = 86_400_000;

export interface CalendarBenchResult {
  occurrences: number;
  seconds: number;
  occurrencesPerSecond: number;
}

/** Both benchmarks, printed as they go (what `npm run bench` runs). */
export async function runCalendarBench(print: (line: string) => void = console.log): Promise<{ recurrence: CalendarBenchResult; sync: CalendarSyncBenchResult }> {
  const recurrence = runRecurrenceBench();
  print(
    `calendar: ${recurrence.occurrences} occurrences in ${recurrence.seconds.toFixed(2)} s = ${recurrence.occurrencesPerSecond.toLocaleString('en')} occurrences/s (daily series over a year, with exceptions, expanded month by month)`,
  );
  const meetingTimes = runMeetingTimesBench();
  print(
    `calendar: findMeetingTimes ranking, 20 attendees (5 optional) over two weeks in 15-minute steps: ${meetingTimes.msPerSearch.toFixed(1)} ms per search (${meetingTimes.searches} searches)`,
  );
  const sync = await runCalendarSyncBench(print);
  return { recurrence, sync };
}

export function runRecurrenceBench(options: { rounds?: number } = {}): CalendarBenchResult {
  const rounds = options.rounds ?? 20;
  const start = instantOf({ year: 2026, month: 1, day: 1, hour: 9, minute: 0, second: 0 }, 'Europe/Berlin');
  const series: SeriesDefinition = {
    start,
    end: new Date(start.getTime() + 3_600_000),
    allDay: false,
    timezone: 'Europe/Berlin',
    recurrenceRule: 'FREQ=DAILY;COUNT=365',
    exdates: Array.from({ length: 52 }, (_, week) => new Date(start.getTime() + (week * 7 + 3) * DAY)),
    rdates: [new Date(start.getTime() + 10 * DAY + 6 * 3_600_000), new Date(start.getTime() + 200 * DAY + 6 * 3_600_000)],
  };
  const months = Array.from({ length: 12 }, (_, month) => [new Date(Date.UTC(2026, month, 1)), new Date(Date.UTC(2026, month + 1, 1))] as const);
  let occurrences = 0;
  const began = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    for (const [from, to] of months) occurrences += expandOccurrences(series, from, to).length;
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  return { occurrences, seconds, occurrencesPerSecond: Math.round(occurrences / seconds) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCalendarBench();
  process.exit(0);
}
