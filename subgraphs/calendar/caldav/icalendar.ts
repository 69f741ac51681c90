/**
 * Our events as iCalendar (RFC 5545) and back, with ical.js. A series and its
 * RECURRENCE-ID overrides travel as one calendar object (one UID). Timed
 * events carry their IANA zone as TZID with local wall times, so remote
 * clients expand them in the same zone, and every zone so named is defined
 * by a VTIMEZONE in the same object; all-day events are VALUE=DATE.
 */
import ICAL from 'ical.js';
import { MAX_YEAR, MIN_YEAR } from '../../../platform/date-time.js';
import type { CalendarEventModel, EventParticipantModel, ParticipationStatusName } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { OccurrenceResponse } from '../repositories/occurrence-response-repository.js';
import { addScheduling, readAttendees, type Contacts, type RemoteAttendee } from './attendees.js';
import { instantOf, wallTimeIn } from '../recurrence/time-zones.js';
import { oneLine } from './one-line.js';
import { ianaZoneFor } from './remote-zones.js';
import { vtimezoneFor, type ZoneDefinition } from './vtimezone.js';
import { unusableZoneRules } from './zone-rules.js';
import { isTransparent } from '../services/event-transparency.js';
import { classOf } from '../services/event-privacy.js';

const PRODID = '-//Bheem//Bheem Federation Calendar//EN';

/** The property that marks a VALARM as one of ours (the reminders Bheem writes). */
export const BHEEM_ALARM = 'x-bheem-reminder';

export const uidOf = (event: Pick<CalendarEventModel, 'id' | 'externalId'>) => event.externalId ?? `${event.id}@bheem`;

/** An event as a remote calendar describes it. */
export interface RemoteEvent {
  title: string;
  description: string | null;
  location: string | null;
  start: Date;
  end: Date | null;
  allDay: boolean;
  timezone: string;
  /** The remote TZID when it is not the IANA name we expand in (Outlook's "W. Europe Standard Time"): written back as it came. */
  tzid: string | null;
  /** Floating times (no TZID, no Z): read in the owner's zone, written back floating. */
  floating: boolean;
  recurrenceRule: string | null;
  exdates: Date[];
  rdates: Date[];
  recurrenceId: Date | null;
  /** RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.8.4.4): the change holds for this occurrence and every later one. */
  thisAndFuture?: boolean;
  lastModified: Date | null;
  cancelled: boolean;
  /** Shown as free there (TRANSP:TRANSPARENT, or Outlook's busy status FREE): it blocks nobody's time. */
  transparent: boolean;
  /** CLASS other than PUBLIC (PRIVATE, CONFIDENTIAL, or an x-name), upper-case: others see only the busy time (services/event-privacy.ts). */
  classification: string | null;
  /** The app's SEQUENCE: ours continues from it, so what we write next supersedes what the app wrote. */
  sequence: number;
  /** ORGANIZER's address, lower-cased, without mailto:. */
  organizer: string | null;
  attendees: RemoteAttendee[];
  /** The rooms its ATTENDEEs book (CUTYPE=ROOM), by name: the location when it states none. */
  rooms: string[];
  /** UIDs it names RELATED-TO;RELTYPE=SIBLING (RFC 5545 3.2.15): Nextcloud links the two halves of a split series so (continued-series.ts). */
  siblings?: string[];
}

export interface RemoteObject {
  uid: string;
  master: RemoteEvent | null;
  overrides: RemoteEvent[];
  /**
   * TZIDs its events name that no VTIMEZONE of the object defines and that name no zone we know: their
   * times were read as the owner's wall times (readTime), for the sync to log.
   */
  unknownTzids?: string[];
}

/** The zones an object's times name, by TZID: each becomes one VTIMEZONE of the object. */
type UsedZones = Map<string, ZoneDefinition>;

function timeValue(instant: Date, allDay: boolean, zone: string, used: UsedZones, remoteTzid: string | null): { time: ICAL.Time; tzid: string | null } {
  if (allDay) {
    return { time: ICAL.Time.fromData({ year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate(), isDate: true }), tzid: null };
  }
  const definition = zone === 'UTC' ? null : vtimezoneFor(zone);
  // A zone we cannot define is written as UTC: the instant stays exact, only the wall-clock rule is lost.
  if (!definition) return { time: ICAL.Time.fromJSDate(instant, true), tzid: null };
  // A TZID that came from a calendar app goes back as it came, defined by the rules of the zone we mapped it to.
  const tzid = remoteTzid ?? definition.tzid;
  used.set(tzid, definition);
  return { time: ICAL.Time.fromData({ ...wallTimeIn(instant, zone), isDate: false }), tzid };
}

function addTime(component: ICAL.Component, name: string, instant: Date, event: CalendarEventModel, used: UsedZones): void {
  const remoteTzid = typeof event.metadata.tzid === 'string' ? event.metadata.tzid : null;
  // Floating as it came: the same wall time, without a zone.
  const { time, tzid } =
    event.metadata.floating === true && !event.allDay
      ? { time: ICAL.Time.fromData({ ...wallTimeIn(instant, event.timezone), isDate: false }), tzid: null }
      : timeValue(instant, event.allDay, event.timezone, used, remoteTzid);
  const property = new ICAL.Property(name, component);
  property.setValue(time);
  if (tzid) property.setParameter('tzid', tzid);
  component.addProperty(property);
}

/** Who takes part, as one VEVENT states it (per-occurrence answers by user id). */
interface Scheduling {
  participants: readonly EventParticipantModel[];
  contacts: Contacts;
  answers?: ReadonlyMap<string, ParticipationStatusName>;
}

/** A display alarm `minutes` before the start (RFC 5545 3.6.6), as calendar apps show reminders. */
function valarm(minutes: number, title: string): ICAL.Component {
  const alarm = new ICAL.Component('valarm');
  alarm.addPropertyWithValue('action', 'DISPLAY');
  alarm.addPropertyWithValue('description', title);
  const trigger = alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
  trigger.setParameter('related', 'START');
  // Marks the alarm as ours: a write over the server's copy replaces ours and keeps the apps' (merge-server-copy.ts).
  alarm.addPropertyWithValue(BHEEM_ALARM, 'TRUE');
  return alarm;
}

/**
 * The rule with UNTIL in the form RFC 5545 3.3.10 asks by DTSTART's (a DATE
 * for an all-day series, local time for a floating one, else UTC), at the
 * last instant our expansion takes (expand-occurrences.ts): a DATE given for
 * a timed series is the end of that day in the series' zone. As stored, a
 * reader taking the DATE as midnight would end the series a day early.
 */
function writtenRule(event: CalendarEventModel, rule: string): ICAL.Recur {
  const recur = ICAL.Recur.fromString(rule);
  const until = recur.until;
  if (!until) return recur;
  if (event.allDay) {
    const day = until.isDate ? until : ICAL.Time.fromJSDate(until.toJSDate(), true);
    recur.until = ICAL.Time.fromData({ year: day.year, month: day.month, day: day.day, isDate: true });
    return recur;
  }
  const last = until.isDate ? instantOf({ year: until.year, month: until.month, day: until.day, hour: 23, minute: 59, second: 59 }, event.timezone) : until.toJSDate();
  recur.until = event.metadata.floating === true ? ICAL.Time.fromData({ ...wallTimeIn(last, event.timezone), isDate: false }) : ICAL.Time.fromJSDate(last, true);
  return recur;
}

function vevent(event: CalendarEventModel, uid: string, scheduling: Scheduling, used: UsedZones, alarms: readonly number[] = []): ICAL.Component {
  const component = new ICAL.Component('vevent');
  component.addPropertyWithValue('uid', uid);
  component.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(), true));
  component.addPropertyWithValue('last-modified', ICAL.Time.fromJSDate(event.updatedAt, true));
  component.addPropertyWithValue('sequence', event.sequence);
  if (event.recurrenceId) addTime(component, 'recurrence-id', event.recurrenceId, event, used);
  addTime(component, 'dtstart', event.start, event, used);
  const end = event.end ?? (event.allDay ? new Date(event.start.getTime() + 86_400_000) : null);
  if (end) addTime(component, 'dtend', end, event, used);
  component.addPropertyWithValue('summary', event.title);
  if (event.description) component.addPropertyWithValue('description', event.description);
  if (event.location) component.addPropertyWithValue('location', event.location);
  if (event.recurrenceRule) component.addPropertyWithValue('rrule', writtenRule(event, event.recurrenceRule));
  for (const date of event.exdates) addTime(component, 'exdate', date, event, used);
  for (const date of event.rdates) addTime(component, 'rdate', date, event, used);
  component.addPropertyWithValue('status', event.isCancelled ? 'CANCELLED' : 'CONFIRMED');
  component.addPropertyWithValue('transp', isTransparent(event) ? 'TRANSPARENT' : 'OPAQUE');
  const classification = classOf(event);
  if (classification) component.addPropertyWithValue('class', classification);
  component.addPropertyWithValue('x-bheem-event-type', event.eventType);
  // VEVENT has no completed status (RFC 5545 keeps that for VTODO): the SUMMARY says it, and this for programs.
  if (event.completed) component.addPropertyWithValue('x-bheem-completed', 'TRUE');
  if (event.sourceModule) component.addPropertyWithValue('x-bheem-source', `${event.sourceModule}/${event.entityType}/${event.entityId}`);
  addScheduling(component, event.organizerId, scheduling.participants, scheduling.contacts, scheduling.answers);
  for (const minutes of event.reminderMinutes ?? alarms) component.addSubcomponent(valarm(minutes, event.title));
  return component;
}

function vcalendar(): ICAL.Component {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  return calendar;
}

/** A series with what travels with it under its UID. */
export interface CalendarObject {
  series: CalendarEventModel;
  overrides: readonly CalendarEventModel[];
  participants?: readonly EventParticipantModel[];
  /** Per-occurrence answers: each goes out on its occurrence's VEVENT (an override of the series' times when none is stored). */
  responses?: readonly OccurrenceResponse[];
  /** The reader's default reminders (minutes before), for events without reminders of their own: VALARMs. */
  reminders?: readonly number[];
}

export function toICalendar(object: CalendarObject, contacts: Contacts = new Map()): string {
  return toICalendarFeed([object], contacts);
}

/** Per-occurrence answers by occurrence (ms), each a map of user id to status. */
function answersByOccurrence(responses: readonly OccurrenceResponse[]): Map<number, Map<string, ParticipationStatusName>> {
  const byOccurrence = new Map<number, Map<string, ParticipationStatusName>>();
  for (const response of responses) {
    const key = response.recurrenceId.getTime();
    byOccurrence.set(key, (byOccurrence.get(key) ?? new Map()).set(response.userId, response.status));
  }
  return byOccurrence;
}

/** The VEVENTs of one object: the series, its overrides, and an occurrence's copy for each answered occurrence without an override. */
function veventsOf({ series, overrides, participants = [], responses = [], reminders = [] }: CalendarObject, contacts: Contacts, used: UsedZones): ICAL.Component[] {
  const uid = uidOf(series);
  const answers = answersByOccurrence(responses);
  const scheduling = (at: Date | null): Scheduling => ({ participants, contacts, answers: at ? answers.get(at.getTime()) : undefined });
  // An override without reminders of its own has the series'.
  const alarms = series.reminderMinutes ?? reminders;
  const events = [vevent(series, uid, scheduling(null), used, alarms)];
  for (const override of overrides) {
    events.push(vevent(override, uid, scheduling(override.recurrenceId), used, alarms));
    answers.delete(override.recurrenceId!.getTime());
  }
  const duration = series.end ? series.end.getTime() - series.start.getTime() : null;
  for (const key of [...answers.keys()].sort((a, b) => a - b)) {
    const at = new Date(key);
    if (series.isCancelled || series.exdates.some((date) => date.getTime() === key) || !hasOccurrenceAt(seriesOf(series), at)) continue;
    const occurrence: CalendarEventModel = {
      ...series,
      parentId: series.id,
      recurrenceId: at,
      start: at,
      end: duration === null ? null : new Date(key + duration),
      recurrenceRule: null,
      exdates: [],
      rdates: [],
    };
    events.push(vevent(occurrence, uid, scheduling(at), used, alarms));
  }
  return events;
}

/** Many series in one calendar (a subscription feed), each with its overrides under its UID. */
export function toICalendarFeed(items: readonly CalendarObject[], contacts: Contacts = new Map(), properties: Record<string, string> = {}): string {
  const calendar = vcalendar();
  for (const [name, value] of Object.entries(properties)) {
    const property = calendar.addPropertyWithValue(name, value);
    if (name === 'refresh-interval') property.setParameter('value', 'DURATION'); // required by RFC 7986 5.7
  }
  const used: UsedZones = new Map();
  const events = items.flatMap((item) => veventsOf(item, contacts, used));
  // Definitions first, as clients conventionally expect; a copy each, the cached one stays untouched.
  for (const [tzid, { component }] of used) {
    const copy = new ICAL.Component(structuredClone(component.toJSON()));
    copy.updatePropertyWithValue('tzid', tzid);
    calendar.addSubcomponent(copy);
  }
  for (const event of events) calendar.addSubcomponent(event);
  return calendar.toString();
}

/** A time as read: its instant, and the zone (and remote TZID) its series expands in. */
interface ReadTime {
  instant: Date;
  allDay: boolean;
  zone: string;
  tzid: string | null;
  floating: boolean;
}

/**
 * A DATE or DATE-TIME property as an instant: TZID read as an IANA zone (a
 * Windows name or one defined only by its VTIMEZONE mapped to one, see
 * remote-zones.ts). Floating times (RFC 5545 3.3.5: the same wall time in
 * any zone) and a TZID nobody defines are wall times of `localZone`, the
 * zone the account's owner works in.
 */
function readTime(property: ICAL.Property, localZone: string): ReadTime {
  const time = property.getFirstValue() as ICAL.Time;
  // Date.UTC takes the years 0 to 99 as 1900 to 1999: the year 0001 would come in as 1901.
  if (time.year < MIN_YEAR) throw new Error(`${property.name.toUpperCase()} in the year ${time.year}: dates must lie within the years ${MIN_YEAR} to ${MAX_YEAR}`);
  if (time.isDate) return { instant: new Date(Date.UTC(time.year, time.month - 1, time.day)), allDay: true, zone: 'UTC', tzid: null, floating: false };
  const tzid = property.getParameter('tzid');
  const wall = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second };
  const utc = time.zone?.tzid === 'UTC';
  if (typeof tzid !== 'string') return { instant: instantOf(wall, utc ? 'UTC' : localZone), allDay: false, zone: utc ? 'UTC' : localZone, tzid: null, floating: !utc };
  const defined = time.zone && time.zone !== ICAL.Timezone.localTimezone && time.zone.tzid !== 'floating' && time.zone.tzid !== 'UTC' ? time.zone : null;
  const zone = ianaZoneFor(tzid, defined, new Date(Date.UTC(time.year, time.month - 1, time.day)));
  if (zone) return { instant: instantOf(wall, zone), allDay: false, zone, tzid: zone === tzid ? null : tzid, floating: false };
  // Defined, but like no zone we know: the instant is still exact, only the series' rule runs in UTC.
  if (defined) return { instant: time.toJSDate(), allDay: false, zone: 'UTC', tzid: null, floating: false };
  // Defined nowhere: the owner's wall time, and the TZID goes back as it came (defined by the owner's zone).
  // ical.js (hence Nextcloud's web calendar) reads such a TZID as floating, each viewer's own wall time:
  // for the owner, the same instant; UTC instead would move it by their offset, skipping would lose it.
  return { instant: instantOf(wall, localZone), allDay: false, zone: localZone, tzid: localZone === 'UTC' ? null : tzid, floating: false };
}

/**
 * EXDATE or RDATE instants. A PERIOD (RDATE, RFC 5545 3.8.5.2) counts by its
 * start; a DATE of a timed series stands for that day's occurrence, at the
 * series' wall time in its zone.
 */
function readTimes(component: ICAL.Component, name: string, start: ReadTime, localZone: string): Date[] {
  const wall = start.allDay ? null : wallTimeIn(start.instant, start.zone);
  return component.getAllProperties(name).flatMap((property) =>
    (property.getValues() as (ICAL.Time | ICAL.Period)[]).map((value) => {
      const time = value instanceof ICAL.Period ? value.start : value;
      // An all-day series (Outlook's, written as DATE-TIMEs): the value's own date.
      if (start.allDay && !time.isDate) return new Date(Date.UTC(time.year, time.month - 1, time.day));
      if (time.isDate && wall) return instantOf({ ...wall, year: time.year, month: time.month, day: time.day }, start.zone);
      const single = new ICAL.Property(name);
      single.setValue(time);
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string') single.setParameter('tzid', tzid);
      return readTime(single, localZone).instant;
    }),
  );
}

/** The occurrence a VEVENT overrides (its RECURRENCE-ID as an instant, ms), or null for the series itself. */
export function recurrenceInstantOf(component: ICAL.Component, localZone: string): number | null {
  const recurrenceId = component.getFirstProperty('recurrence-id');
  return recurrenceId ? readTime(recurrenceId, localZone).instant.getTime() : null;
}

/** SEQUENCE as a non-negative integer our column holds (a missing or malformed one is 0). */
function sequenceOf(component: ICAL.Component): number {
  const value = Number(component.getFirstPropertyValue('sequence'));
  return Number.isInteger(value) && value > 0 ? Math.min(value, 2 ** 31 - 2) : 0;
}

/** A DATE-TIME's own wall date as an all-day date (00:00 UTC). */
function dateOf(property: ICAL.Property): Date {
  const time = property.getFirstValue() as ICAL.Time;
  return new Date(Date.UTC(time.year, time.month - 1, time.day));
}

/**
 * Outlook writes an all-day event as DATE-TIMEs from midnight to midnight in
 * its zone, flagged X-MICROSOFT-CDO-ALLDAYEVENT:TRUE: those wall dates, as
 * the all-day event Outlook shows. Flagged but not at midnight: the times.
 */
function outlookAllDay(component: ICAL.Component, start: ReadTime, end: Date | null): { start: ReadTime; end: Date | null } | null {
  if (start.allDay || String(component.getFirstPropertyValue('x-microsoft-cdo-alldayevent') ?? '').toUpperCase() !== 'TRUE') return null;
  const first = wallTimeIn(start.instant, start.zone);
  const last = end ? wallTimeIn(end, start.zone) : null;
  const atMidnight = (wall: typeof first) => wall.hour === 0 && wall.minute === 0 && wall.second === 0;
  if (!atMidnight(first) || (last && !atMidnight(last))) return null;
  const day = (wall: typeof first) => new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  return { start: { instant: day(first), allDay: true, zone: 'UTC', tzid: null, floating: false }, end: last ? day(last) : null };
}

function classificationOf(value: string | null): string | null {
  const upper = value?.trim().toUpperCase();
  return upper && upper !== 'PUBLIC' ? upper : null;
}

function readEvent(component: ICAL.Component, localZone: string): RemoteEvent {
  const dtstart = component.getFirstProperty('dtstart');
  if (!dtstart) throw new Error('VEVENT without DTSTART');
  const timed = readTime(dtstart, localZone);
  const dtend = component.getFirstProperty('dtend');
  const duration = component.getFirstPropertyValue('duration') as ICAL.Duration | null;
  const timedEnd = dtend ? readTime(dtend, localZone).instant : duration ? new Date(timed.instant.getTime() + duration.toSeconds() * 1000) : null;
  const outlook = outlookAllDay(component, timed, timedEnd);
  const start = outlook?.start ?? timed;
  const stated = outlook ? outlook.end : timedEnd;
  // An end before the start (RFC 5545 forbids it, apps still write it): a moment at the start, shown rather than skipped.
  const end = stated && stated < start.instant ? start.instant : stated;
  const rrule = component.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  const recurrenceId = component.getFirstProperty('recurrence-id');
  const lastModified = component.getFirstPropertyValue('last-modified') as ICAL.Time | null;
  const text = (name: string) => {
    const value = component.getFirstPropertyValue(name);
    return typeof value === 'string' && value !== '' ? value : null;
  };
  // Fields GraphQL holds to one line (one-line.ts); one of breaks only is none.
  const line = (name: string) => oneLine(text(name) ?? '') || null;
  const scheduling = readAttendees(component);
  return {
    title: line('summary') ?? '(no title)',
    description: text('description'),
    start: start.instant,
    end,
    allDay: start.allDay,
    timezone: start.zone,
    tzid: start.tzid,
    floating: start.floating,
    // ical.js writes COUNT=0 back as no COUNT at all (an endless series): keep it, for the rule check to refuse as GraphQL does.
    recurrenceRule: rrule ? (rrule.count === 0 ? `${rrule.toString()};COUNT=0` : rrule.toString()) : null,
    exdates: readTimes(component, 'exdate', start, localZone),
    rdates: readTimes(component, 'rdate', start, localZone),
    recurrenceId: recurrenceId ? (outlook ? dateOf(recurrenceId) : readTime(recurrenceId, localZone).instant) : null,
    thisAndFuture: String(recurrenceId?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE',
    lastModified: lastModified ? lastModified.toJSDate() : null,
    cancelled: text('status')?.toUpperCase() === 'CANCELLED',
    transparent: (text('transp') ?? (text('x-microsoft-cdo-busystatus')?.toUpperCase() === 'FREE' ? 'TRANSPARENT' : 'OPAQUE')).toUpperCase() === 'TRANSPARENT',
    classification: classificationOf(text('class')),
    sequence: sequenceOf(component),
    siblings: siblingsOf(component),
    ...scheduling,
    // A room booked without a LOCATION (as Nextcloud's room booking may leave it): the room is where it is.
    location: line('location') ?? (scheduling.rooms.length > 0 ? scheduling.rooms.join(', ') : null),
  };
}

function siblingsOf(component: ICAL.Component): string[] {
  return component
    .getAllProperties('related-to')
    .filter((property) => String(property.getParameter('reltype') ?? '').toUpperCase() === 'SIBLING')
    .map((property) => String(property.getFirstValue() ?? ''))
    .filter((uid) => uid !== '');
}

/** A calendar object; `localZone` places its floating times (see readTime). */
export function parseICalendar(text: string, localZone = 'UTC'): RemoteObject {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zoneProblem = unusableZoneRules(calendar);
  if (zoneProblem) throw new Error(zoneProblem);
  const events = calendar.getAllSubcomponents('vevent');
  const uid = String(events[0]?.getFirstPropertyValue('uid') ?? '');
  const parsed = events.map((event) => readEvent(event, localZone));
  // One override per occurrence (RFC 5545 allows one VEVENT per RECURRENCE-ID): of repeats, the last written wins.
  const overrides = new Map<number, RemoteEvent>();
  for (const event of parsed) if (event.recurrenceId) overrides.set(event.recurrenceId.getTime(), event);
  return { uid, master: parsed.find((event) => !event.recurrenceId) ?? null, overrides: [...overrides.values()], unknownTzids: unknownTzids(calendar, events) };
}

/** The TZIDs of `events` that no VTIMEZONE of `calendar` defines and that name no zone (read as the owner's wall times). */
function unknownTzids(calendar: ICAL.Component, events: readonly ICAL.Component[]): string[] {
  const unknown = new Set<string>();
  for (const event of events) {
    for (const property of event.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string' && !calendar.getTimeZoneByID(tzid) && !ianaZoneFor(tzid, null, new Date())) unknown.add(tzid);
    }
  }
  return [...unknown];
}
