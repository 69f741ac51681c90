/**
 * The days of the week view, in the browser's time zone. Weeks move by
 * calendar dates, not by 7 × 24 hours: a week across a change of summer time
 * is 167 or 169 hours long. All-day events are dates, not instants (the API
 * gives them as UTC midnights with an exclusive end), so they are placed by
 * their date whatever the reader's zone.
 */
export function addDays(date: Date, days: number): Date {
  const moved = new Date(date);
  moved.setDate(moved.getDate() + days);
  return moved;
}

/** Local midnight of the Monday of a date's week. */
export function mondayOf(date: Date): Date {
  const monday = new Date(date);
  monday.setHours(0, 0, 0, 0);
  return addDays(monday, -((monday.getDay() + 6) % 7));
}

/** Local midnight of the date an all-day value names (its UTC date). */
function localDateOf(iso: string): Date {
  const utc = new Date(iso);
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
}

export interface Occurrence {
  start: string;
  end?: string | null;
  allDay: boolean;
}

/**
 * Whether an occurrence shows on the local day [day, next): an all-day one on
 * each of its dates; a timed one when it overlaps the day (its end is
 * exclusive: 23:00–00:00 is not on the next day), one without duration on the
 * day of its start.
 */
export function occursOn(item: Occurrence, day: Date, next: Date): boolean {
  if (item.allDay) {
    const first = localDateOf(item.start);
    const after = item.end ? localDateOf(item.end) : addDays(first, 1);
    return first < next && after > day;
  }
  const start = new Date(item.start);
  const end = item.end ? new Date(item.end) : start;
  return end > start ? start < next && end > day : start >= day && start < next;
}
