/**
 * A course's events in a range (the course list's `calendarEvents(from, to)`):
 * the SQL itself leaves out single events that ended before `from`, so the
 * rows read are about the rows answered, while series that started earlier
 * and still repeat come back for expansion.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKysely } from '../../../platform/database/connection.js';
import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { CalendarDatabase } from '../database.js';
import { occurrenceCount } from '../recurrence/expand-occurrences.js';
import { EventRepository } from '../repositories/event-repository.js';

const COMPANY = randomUUID();
const COURSE = '777';
const FROM = new Date('2026-06-10T00:00:00Z');
const TO = new Date('2026-06-20T00:00:00Z');
const at = (iso: string) => new Date(iso);

let database: TestDatabase;
let db: Kysely<CalendarDatabase>;
beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely<CalendarDatabase>(database.url);
});
afterAll(() => database?.drop());

async function insert(title: string, fields: { start: string; end?: string | null; allDay?: boolean; rule?: string; rdates?: string[]; until?: string | null }) {
  await db
    .insertInto('calendar.calendar_events')
    .values({
      id: randomUUID(),
      company_id: COMPANY,
      title,
      start_time: at(fields.start),
      end_time: fields.end ? at(fields.end) : null,
      all_day: fields.allDay ?? false,
      recurrence_rule: fields.rule ?? null,
      rdates: (fields.rdates ?? []).map(at),
      series_until: fields.until ? at(fields.until) : null,
      event_type: 'CUSTOM',
      course_id: COURSE,
      metadata: '{}',
    })
    .execute();
}

it('reads single events that overlap the range and series that may still occur, not past single events', async () => {
  await insert('ended last month', { start: '2026-05-01T09:00:00Z', end: '2026-05-01T10:00:00Z' });
  await insert('ended just before', { start: '2026-06-09T22:00:00Z', end: '2026-06-10T00:00:00Z' });
  await insert('no end, before', { start: '2026-06-09T09:00:00Z' });
  await insert('all day, the day before', { start: '2026-06-09T00:00:00Z', allDay: true });
  await insert('runs into the range', { start: '2026-06-09T23:00:00Z', end: '2026-06-10T01:00:00Z' });
  await insert('all day, from midnight', { start: '2026-06-10T00:00:00Z', allDay: true });
  await insert('in the range', { start: '2026-06-12T09:00:00Z', end: '2026-06-12T10:00:00Z' });
  await insert('after the range', { start: '2026-06-25T09:00:00Z', end: '2026-06-25T10:00:00Z' });
  await insert('weekly since January', { start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z', rule: 'FREQ=WEEKLY', until: null });
  await insert('weekly, ended in March', { start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z', rule: 'FREQ=WEEKLY;COUNT=4', until: '2026-01-26T10:00:00Z' });
  await insert('extra dates, one in the range', { start: '2026-05-01T09:00:00Z', end: '2026-05-01T10:00:00Z', rdates: ['2026-06-15T09:00:00Z'], until: '2026-06-15T10:00:00Z' });

  const events = await new EventRepository(db).findByCourses(COMPANY, [COURSE], { from: FROM, to: TO });
  expect(events.map((event) => event.title).sort()).toEqual(
    ['all day, from midnight', 'extra dates, one in the range', 'in the range', 'runs into the range', 'weekly since January'].sort(),
  );
});

it('reads a lean single event\u2019s times as milliseconds and a series\u2019 as Dates, counted and written as whole rows\u2019', async () => {
  // Microseconds, which a Date and the milliseconds both drop (towards the past).
  await db
    .insertInto('calendar.calendar_events')
    .values({
      id: randomUUID(),
      company_id: COMPANY,
      title: 'microseconds',
      start_time: sql<Date>`'2026-06-13T09:00:00.123999Z'::timestamptz`,
      end_time: sql<Date>`'2026-06-13T09:59:59.999999Z'::timestamptz`,
      all_day: false,
      event_type: 'CUSTOM',
      course_id: COURSE,
      metadata: '{}',
    })
    .execute();
  const repository = new EventRepository(db);
  for (const range of [{ from: FROM, to: TO }, {}]) {
    const whole = await repository.findByCourses(COMPANY, [COURSE], range);
    const lean = await repository.findByCourses(COMPANY, [COURSE], range, true);
    expect(lean.map((event) => event.id)).toEqual(whole.map((event) => event.id));
    expect(lean.some((event) => event.recurrenceRule)).toBe(true);
    lean.forEach((event, index) => {
      const other = whole[index]!;
      const series = !!event.recurrenceRule || event.rdates.length > 0;
      expect(typeof event.start, event.title).toBe(series ? 'object' : 'number');
      expect(DateTimeScalar.serialize(event.start), event.title).toBe(DateTimeScalar.serialize(other.start));
      expect(event.end === null ? null : DateTimeScalar.serialize(event.end), event.title).toBe(other.end === null ? null : DateTimeScalar.serialize(other.end));
      expect(occurrenceCount(event, FROM, TO), event.title).toBe(occurrenceCount(other, FROM, TO));
    });
    const micro = lean.find((event) => event.title === 'microseconds');
    if (range.to) expect(micro && DateTimeScalar.serialize(micro.start)).toBe('2026-06-13T09:00:00.123Z');
  }
});
