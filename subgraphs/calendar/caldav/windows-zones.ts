/**
 * The IANA zone a Windows time-zone name stands for, as Outlook and Exchange
 * write it in TZID: the zone ID ("W. Europe Standard Time"), through
 * windows-iana (CLDR's windowsZones mapping, the ID's territory-neutral
 * "001" zone), or the name Windows shows for it ("(UTC+01:00) Amsterdam,
 * Berlin, Bern, Rome, Stockholm, Vienna"), which CLDR does not list: our
 * own table of the commonly used ones. A name known to neither is read by
 * its VTIMEZONE, or as no zone at all (remote-zones.ts).
 */
import { findIana } from 'windows-iana';

/** The places Windows lists in a zone's display name (after "(UTC+hh:mm) "), for the commonly used zones → IANA zone. */
const BY_PLACES: Record<string, string> = {
  'Coordinated Universal Time': 'UTC',
  Hawaii: 'Pacific/Honolulu',
  Alaska: 'America/Anchorage',
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
  Arizona: 'America/Phoenix',
  'Mountain Time (US & Canada)': 'America/Denver',
  'Central Time (US & Canada)': 'America/Chicago',
  'Guadalajara, Mexico City, Monterrey': 'America/Mexico_City',
  Saskatchewan: 'America/Regina',
  'Bogota, Lima, Quito, Rio Branco': 'America/Bogota',
  'Eastern Time (US & Canada)': 'America/New_York',
  'Atlantic Time (Canada)': 'America/Halifax',
  Newfoundland: 'America/St_Johns',
  Brasilia: 'America/Sao_Paulo',
  'City of Buenos Aires': 'America/Argentina/Buenos_Aires',
  'Dublin, Edinburgh, Lisbon, London': 'Europe/London',
  'Monrovia, Reykjavik': 'Atlantic/Reykjavik',
  'Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna': 'Europe/Berlin',
  'Belgrade, Bratislava, Budapest, Ljubljana, Prague': 'Europe/Budapest',
  'Brussels, Copenhagen, Madrid, Paris': 'Europe/Paris',
  'Sarajevo, Skopje, Warsaw, Zagreb': 'Europe/Warsaw',
  'West Central Africa': 'Africa/Lagos',
  'Athens, Bucharest': 'Europe/Bucharest',
  Cairo: 'Africa/Cairo',
  'Harare, Pretoria': 'Africa/Johannesburg',
  'Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius': 'Europe/Kiev',
  'Helsinki, Kiev, Riga, Sofia, Tallinn, Vilnius': 'Europe/Kiev',
  Jerusalem: 'Asia/Jerusalem',
  Istanbul: 'Europe/Istanbul',
  'Kuwait, Riyadh': 'Asia/Riyadh',
  Nairobi: 'Africa/Nairobi',
  'Moscow, St. Petersburg': 'Europe/Moscow',
  'Moscow, St. Petersburg, Volgograd': 'Europe/Moscow',
  Tehran: 'Asia/Tehran',
  'Abu Dhabi, Muscat': 'Asia/Dubai',
  'Islamabad, Karachi': 'Asia/Karachi',
  'Chennai, Kolkata, Mumbai, New Delhi': 'Asia/Kolkata',
  'Sri Jayawardenepura': 'Asia/Colombo',
  Kathmandu: 'Asia/Kathmandu',
  Dhaka: 'Asia/Dhaka',
  'Bangkok, Hanoi, Jakarta': 'Asia/Bangkok',
  'Beijing, Chongqing, Hong Kong, Urumqi': 'Asia/Shanghai',
  'Kuala Lumpur, Singapore': 'Asia/Singapore',
  Perth: 'Australia/Perth',
  Taipei: 'Asia/Taipei',
  'Osaka, Sapporo, Tokyo': 'Asia/Tokyo',
  Seoul: 'Asia/Seoul',
  Adelaide: 'Australia/Adelaide',
  Darwin: 'Australia/Darwin',
  Brisbane: 'Australia/Brisbane',
  'Canberra, Melbourne, Sydney': 'Australia/Sydney',
  Hobart: 'Australia/Hobart',
  'Auckland, Wellington': 'Pacific/Auckland',
};

/** "(UTC+01:00) " or "(UTC) " before the places of a display name. */
const DISPLAY_PREFIX = /^\(UTC(?:[+-]\d{2}:\d{2})?\)\s*/;

/** The IANA zone of a Windows zone ID or display name, or null when it is neither (or not a common one). */
export function windowsZone(tzid: string): string | null {
  const name = tzid.trim();
  const byId = findIana(name)[0];
  if (byId) return byId;
  if (!DISPLAY_PREFIX.test(name)) return null;
  const places = name.replace(DISPLAY_PREFIX, '');
  return Object.hasOwn(BY_PLACES, places) ? BY_PLACES[places]! : null;
}
