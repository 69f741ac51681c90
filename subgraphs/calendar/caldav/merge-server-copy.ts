/**
 * What Bheem writes over an object the server already holds: our version,
 * plus everything of the server's copy Bheem does not model, so an edit here
 * does not destroy what another app set (Apple's structured location and
 * travel time, Thunderbird's snooze, CLASS, CATEGORIES, ATTACH, the app's
 * own reminders...).
 *
 * The rule, per VEVENT (the series and each override, matched by the
 * instant of their RECURRENCE-ID):
 * - the properties Bheem writes from its model (OWNED, X-BHEEM-*) are ours;
 *   the server's are dropped, even when ours has none (a description cleared
 *   here stays cleared);
 * - every other property of the server's copy is kept as written;
 * - of an ATTENDEE, ours, the parameters Bheem models (PARTSTAT, RSVP, CN)
 *   are ours; the app's others stay on it: ROLE (an optional participant, a
 *   room as NON-PARTICIPANT; ours only for the organiser, CHAIR), CUTYPE
 *   (ROOM, RESOURCE), DELEGATED-TO/FROM, SCHEDULE-STATUS, LANGUAGE...;
 * - the app's rooms and resources (ATTENDEE;CUTYPE=ROOM or RESOURCE), which
 *   Bheem does not hold as participants, are kept as written;
 * - VALARMs: the server's that are not ours (no X-BHEEM-REMINDER) are kept as
 *   written, relative TRIGGERs then follow the new times, absolute ones stay
 *   where the app set them; ours replace ours, and one of ours is left out
 *   when a kept alarm already rings at the same TRIGGER (no double reminder);
 * - other subcomponents of the server's VEVENT are kept.
 * Server VEVENTs with no counterpart here (an override Bheem removed) go.
 * At the calendar level the server's properties other than PRODID/VERSION,
 * its VTIMEZONEs for TZIDs we do not define, and subcomponents that are
 * neither VEVENT nor VTIMEZONE are kept.
 */
import ICAL from 'ical.js';
import { addressOf, isResource } from './attendees.js';
import { BHEEM_ALARM, recurrenceInstantOf } from './icalendar.js';

const OWNED = new Set([
  'uid',
  'dtstamp',
  'last-modified',
  'sequence',
  'recurrence-id',
  'dtstart',
  'dtend',
  'duration',
  'summary',
  'description',
  'location',
  'rrule',
  'exdate',
  'rdate',
  'status',
  'transp',
  'class',
  'organizer',
  'attendee',
]);
const ours = (name: string) => OWNED.has(name) || name.startsWith('x-bheem-');
/** The ATTENDEE parameters Bheem writes from its model. */
const OWNED_ATTENDEE_PARAMETERS = new Set(['partstat', 'rsvp', 'cn']);

const copyOf = <T extends ICAL.Component | ICAL.Property>(item: T): T =>
  (item instanceof ICAL.Component ? new ICAL.Component(structuredClone(item.toJSON())) : new ICAL.Property(structuredClone(item.toJSON()))) as T;

/** Outlook's busy status says what TRANSP says: kept only while it agrees with ours. */
function agreesWithTransp(property: ICAL.Property, event: ICAL.Component): boolean {
  if (property.name !== 'x-microsoft-cdo-busystatus') return true;
  const free = String(property.getFirstValue()).toUpperCase() === 'FREE';
  return free === (String(event.getFirstPropertyValue('transp')).toUpperCase() === 'TRANSPARENT');
}

const triggerOf = (alarm: ICAL.Component) =>
  alarm
    .getFirstProperty('trigger')
    ?.toICALString()
    .replace(/^TRIGGER/i, '') ?? null;

/** Our ATTENDEEs with the parameters the server's copy gave the same addresses that Bheem does not model. */
function keepAttendeeParameters(event: ICAL.Component, server: ICAL.Component): void {
  const theirs = new Map(server.getAllProperties('attendee').map((property) => [addressOf(property.getFirstValue()), property]));
  for (const attendee of event.getAllProperties('attendee')) {
    const their = theirs.get(addressOf(attendee.getFirstValue()));
    if (!their) continue;
    const chair = attendee.getParameter('role') === 'CHAIR';
    for (const [name, value] of Object.entries(their.toJSON()[1] as Record<string, string | string[]>)) {
      if (!OWNED_ATTENDEE_PARAMETERS.has(name) && !(name === 'role' && chair)) attendee.setParameter(name, value);
    }
  }
}

/** Whether the server's property is kept as the app wrote it. */
function keptAsWritten(property: ICAL.Property, event: ICAL.Component, people: ReadonlySet<string>): boolean {
  if (property.name === 'attendee') return isResource(property) && !people.has(addressOf(property.getFirstValue()));
  return !ours(property.name) && agreesWithTransp(property, event);
}

function mergeEvent(event: ICAL.Component, server: ICAL.Component): void {
  const people = new Set(event.getAllProperties('attendee').map((attendee) => addressOf(attendee.getFirstValue())));
  for (const property of server.getAllProperties()) if (keptAsWritten(property, event, people)) event.addProperty(copyOf(property));
  keepAttendeeParameters(event, server);
  const kept = server.getAllSubcomponents().filter((component) => component.name !== 'valarm' || !component.hasProperty(BHEEM_ALARM));
  const keptTriggers = new Set(kept.filter((component) => component.name === 'valarm').map(triggerOf));
  for (const alarm of event.getAllSubcomponents('valarm')) if (keptTriggers.has(triggerOf(alarm))) event.removeSubcomponent(alarm);
  for (const component of kept) event.addSubcomponent(copyOf(component));
}

/** Our object `ics` with what the server's copy `serverIcs` holds that Bheem does not model; ours alone when that copy cannot be read. */
export function mergeWithServerCopy(ics: string, serverIcs: string, localZone: string): string {
  let server: ICAL.Component;
  try {
    server = new ICAL.Component(ICAL.parse(serverIcs));
  } catch {
    return ics;
  }
  const merged = new ICAL.Component(ICAL.parse(ics));
  const key = (event: ICAL.Component) => {
    try {
      return recurrenceInstantOf(event, localZone);
    } catch {
      return undefined; // an unreadable RECURRENCE-ID matches nothing
    }
  };
  const serverEvents = new Map<number | null | undefined, ICAL.Component>();
  for (const event of server.getAllSubcomponents('vevent')) serverEvents.set(key(event), event);
  serverEvents.delete(undefined);
  for (const event of merged.getAllSubcomponents('vevent')) {
    const theirs = serverEvents.get(key(event));
    if (theirs) mergeEvent(event, theirs);
  }
  for (const property of server.getAllProperties()) {
    if (property.name !== 'prodid' && property.name !== 'version' && !merged.hasProperty(property.name)) merged.addProperty(copyOf(property));
  }
  // Kept zone definitions before the events, as clients conventionally expect.
  const defined = new Set(merged.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid'))));
  const zones = server.getAllSubcomponents('vtimezone').filter((zone) => !defined.has(String(zone.getFirstPropertyValue('tzid'))));
  const others = server.getAllSubcomponents().filter((component) => component.name !== 'vevent' && component.name !== 'vtimezone');
  const events = merged.getAllSubcomponents('vevent');
  for (const event of events) merged.removeSubcomponent(event);
  for (const zone of zones) merged.addSubcomponent(copyOf(zone));
  for (const event of events) merged.addSubcomponent(event);
  for (const other of others) merged.addSubcomponent(copyOf(other));
  return merged.toString();
}
