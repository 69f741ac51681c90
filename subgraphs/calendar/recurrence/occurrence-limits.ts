/**
 * How many occurrences the calendar will make, so that no one request can
 * hold the service: a series may have at most `perSeriesYear` occurrences in
 * its first 366 days (an hourly series around the clock is refused when it is
 * stored), and one request may expand at most `perRequest` occurrences in all,
 * across every field and alias (counted as they are made; past the cap each
 * further expansion is refused before it starts). Both are settings
 * (CALENDAR_MAX_SERIES_OCCURRENCES_PER_YEAR, CALENDAR_MAX_OCCURRENCES_PER_REQUEST).
 */
import { badInput } from '../../../platform/errors.js';
import { expandOccurrences, type SeriesDefinition } from './expand-occurrences.js';

export interface OccurrenceLimits {
  perSeriesYear: number;
  perRequest: number;
}

export const DEFAULT_OCCURRENCE_LIMITS: OccurrenceLimits = { perSeriesYear: 5000, perRequest: 20_000 };
let limits: OccurrenceLimits = DEFAULT_OCCURRENCE_LIMITS;

/** Set once at start from the configuration. */
export function setOccurrenceLimits(next: OccurrenceLimits): void {
  limits = next;
}

const YEAR = 366 * 86_400_000;

/** Refuses a series that repeats more often than the cap allows (one year's expansion, at most cap + 1 occurrences of work). */
export function requireSeriesWithinCap(series: SeriesDefinition): void {
  if (!series.recurrenceRule && series.rdates.length === 0) return;
  const count = expandOccurrences({ ...series, exdates: [] }, series.start, new Date(series.start.getTime() + YEAR)).length;
  if (count > limits.perSeriesYear) {
    throw badInput(
      `The series would have ${count} occurrences in its first year; at most ${limits.perSeriesYear} are allowed (CALENDAR_MAX_SERIES_OCCURRENCES_PER_YEAR)`,
      'recurrenceRule',
    );
  }
}

/** One request's occurrences: spent as series are expanded, refused once the cap is reached. */
export class OccurrenceBudget {
  private spent = 0;

  /** Before an expansion: refused when the request has already used its share. */
  check(): void {
    if (this.spent >= limits.perRequest) throw this.exceeded();
  }

  spend(count: number): void {
    this.spent += count;
    if (this.spent > limits.perRequest) throw this.exceeded();
  }

  private exceeded() {
    return badInput(
      `This request asks for more than ${limits.perRequest} occurrences (CALENDAR_MAX_OCCURRENCES_PER_REQUEST); ask for a shorter range, fewer events or fewer aliases`,
      'occurrences',
    );
  }
}
