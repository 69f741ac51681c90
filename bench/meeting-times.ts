/**
 * findMeetingTimes' ranking for 20 attendees over two weeks: each works
 * 09:00-17:00 in one of four zones and has about three meetings a working
 * day, some answered TENTATIVE, one on leave for two days; 15-minute steps.
 * Times the ranking alone (rankSlots: the reads before it are free/busy's),
 * in milliseconds per search. Run alone:
 *   node --import tsx bench/meeting-times.ts
 */
import { pathToFileURL } from 'node:url';
import type { WorkingHoursModel } from '../subgraphs/calendar/repositories/working-hours-repository.js';
import type { StatusInterval } from '../subgraphs/calendar/services/free-busy-service.js';
import { rankSlots } from '../subgraphs/calendar/services/meeting-time-finder.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York', 'UTC'];

export interface MeetingTimesBenchResult {
  searches: number;
  msPerSearch: number;
  slotsFound: number;
}

export function runMeetingTimesBench(options: { searches?: number } = {}): MeetingTimesBenchResult {
  const searches = options.searches ?? 50;
  const from = new Date('2027-03-01T00:00:00Z');
  const to = new Date(from.getTime() + 14 * DAY);
  const users = Array.from({ length: 20 }, (_, i) => String(100 + i));
  const hours = new Map<string, WorkingHoursModel>(
    users.map((id, i) => [id, { timezone: ZONES[i % 2 === 0 ? 0 : i % ZONES.length]!, days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 }]),
  );
  const intervals = new Map<string, StatusInterval[]>(
    users.map((id, i) => {
      const own: StatusInterval[] = [];
      for (let day = 0; day < 14; day++) {
        for (let meeting = 0; meeting < 3; meeting++) {
          const start = new Date(from.getTime() + day * DAY + (7 + meeting * 3 + ((i + day) % 3)) * HOUR);
          own.push({ start, end: new Date(start.getTime() + HOUR), status: (i + day + meeting) % 7 === 0 ? 'TENTATIVE' : 'BUSY' });
        }
      }
      if (i === 5) own.push({ start: new Date(from.getTime() + 3 * DAY), end: new Date(from.getTime() + 5 * DAY), status: 'OUT_OF_OFFICE' });
      return [id, own];
    }),
  );
  let slotsFound = 0;
  const began = process.hrtime.bigint();
  for (let search = 0; search < searches; search++) {
    const result = rankSlots({ required: users.slice(0, 15), optional: users.slice(15), intervals, hours, from, to, duration: HOUR / 2, step: HOUR / 4, limit: 10 });
    slotsFound = result.slots.length + result.rejections.length;
  }
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  return { searches, msPerSearch: ms / searches, slotsFound };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = runMeetingTimesBench();
  console.log(
    `calendar: findMeetingTimes ranking, 20 attendees (5 optional) over two weeks in 15-minute steps: ${result.msPerSearch.toFixed(1)} ms per search (${result.searches} searches)`,
  );
  process.exit(0);
}
