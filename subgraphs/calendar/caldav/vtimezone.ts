/**
 * VTIMEZONE components (RFC 5545 3.6.5) for the IANA zones our iCalendar
 * names in TZID parameters: a calendar object must define every TZID it
 * uses, or other clients read the times as floating. The definitions come
 * from timezones-ical-library (generated from the IANA database, current
 * rules since 1970); parsed once per zone.
 */
import ICAL from 'ical.js';
import { tzlib_get_ical_block } from 'timezones-ical-library';

export interface ZoneDefinition {
  /** The TZID the definition carries (the IANA canonical name: Asia/Calcutta is defined as Asia/Kolkata). */
  tzid: string;
  component: ICAL.Component;
}

const definitions = new Map<string, ZoneDefinition | null>();

/** The zone's VTIMEZONE, or null when the library has no definition for it (then times are written in UTC). */
export function vtimezoneFor(zone: string): ZoneDefinition | null {
  let definition = definitions.get(zone);
  if (definition === undefined) {
    const block = tzlib_get_ical_block(zone);
    const text = Array.isArray(block) ? block[0] : undefined;
    definition = null;
    if (text) {
      const component = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${text}\r\nEND:VCALENDAR`)).getFirstSubcomponent('vtimezone');
      const tzid = component?.getFirstPropertyValue('tzid');
      if (component && typeof tzid === 'string') definition = { tzid, component };
    }
    definitions.set(zone, definition);
  }
  return definition;
}
