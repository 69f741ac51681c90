/**
 * Scheduling properties (RFC 5545 3.8.4.1 and 3.8.4.3, as RFC 6638 clients
 * read them): the organiser as ORGANIZER, every participant, the organiser
 * included, as ATTENDEE with PARTSTAT, ROLE and CN. Company users are named
 * by their e-mail address; one whose address is unknown is left out.
 * Rooms and resources an app books (CUTYPE=ROOM or RESOURCE, RFC 5545 3.2.3)
 * are no participants: read apart, and kept on the app's copy as it wrote
 * them (merge-server-copy.ts).
 */
import ICAL from 'ical.js';
import { storableTextProblem } from '../../../platform/graphql/text-input.js';
import type { EventParticipantModel, ParticipationStatusName } from '../models.js';
import { isGuestAddress } from '../services/guest-address.js';
import { oneLine } from './one-line.js';

export interface Contact {
  email: string;
  name: string | null;
}
/** Company users' addresses by user id. */
export type Contacts = ReadonlyMap<string, Contact>;

/** One ATTENDEE as a remote object states it. */
export interface RemoteAttendee {
  email: string;
  name: string | null;
  /** Null for a PARTSTAT we do not model (COMPLETED, IN-PROCESS, x-names). */
  status: ParticipationStatusName | null;
}

const PARTSTAT: Record<ParticipationStatusName, string> = {
  PENDING: 'NEEDS-ACTION',
  ACCEPTED: 'ACCEPTED',
  DECLINED: 'DECLINED',
  TENTATIVE: 'TENTATIVE',
  DELEGATED: 'DELEGATED',
};
/** The PARTSTAT (RFC 5545 3.2.12) that says a status. */
export const partstatFor = (status: ParticipationStatusName) => PARTSTAT[status];
const STATUS: Record<string, ParticipationStatusName> = Object.fromEntries(Object.entries(PARTSTAT).map(([status, partstat]) => [partstat, status as ParticipationStatusName]));

/** Whether an ATTENDEE is a room or a resource (a projector, a car) rather than a person. */
export const isResource = (attendee: ICAL.Property) => ['ROOM', 'RESOURCE'].includes(String(attendee.getParameter('cutype') ?? '').toUpperCase());

const mailto = (email: string) => `mailto:${email}`;
export const addressOf = (value: unknown) =>
  String(value ?? '')
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();

/**
 * Adds ORGANIZER and ATTENDEEs. `answers` holds per-occurrence answers (by
 * user id) that replace the series-wide status on an occurrence's VEVENT.
 */
export function addScheduling(
  component: ICAL.Component,
  organizerId: string | null,
  participants: readonly EventParticipantModel[],
  contacts: Contacts,
  answers: ReadonlyMap<string, ParticipationStatusName> = new Map(),
): void {
  const organizer = organizerId ? contacts.get(organizerId) : undefined;
  // ATTENDEEs without an ORGANIZER break RFC 5545 3.8.4.3: without one we can name, only outside guests go out, as before.
  if (organizer) {
    const property = component.addPropertyWithValue('organizer', mailto(organizer.email));
    if (organizer.name) property.setParameter('cn', organizer.name);
  }
  for (const participant of participants) {
    const contact = participant.userId
      ? contacts.get(participant.userId)
      : participant.externalEmail
        ? { email: participant.externalEmail, name: participant.externalName }
        : undefined;
    if (!contact || (participant.userId && !organizer)) continue;
    const property = component.addPropertyWithValue('attendee', mailto(contact.email));
    if (contact.name) property.setParameter('cn', contact.name);
    property.setParameter('role', participant.isOrganizer ? 'CHAIR' : 'REQ-PARTICIPANT');
    property.setParameter('cutype', 'INDIVIDUAL');
    const status = (participant.userId && answers.get(participant.userId)) || participant.status;
    property.setParameter('partstat', PARTSTAT[status]);
    if (!participant.isOrganizer && status === 'PENDING') property.setParameter('rsvp', 'TRUE');
  }
}

/** An ATTENDEE's CN as GraphQL would take a guest's name: on one line, without control characters (else none). */
function nameOf(property: ICAL.Property): string | null {
  const name = property.getParameter('cn');
  if (typeof name !== 'string') return null;
  const line = oneLine(name);
  return line && !storableTextProblem(line) ? line : null;
}

/** The people of a VEVENT (rooms and resources left out), and the names of the rooms it books. */
export function readAttendees(component: ICAL.Component): { organizer: string | null; attendees: RemoteAttendee[]; rooms: string[] } {
  const organizer = component.getFirstPropertyValue('organizer');
  const all = component.getAllProperties('attendee');
  const rooms = all
    .filter((property) => String(property.getParameter('cutype') ?? '').toUpperCase() === 'ROOM')
    .map((property) => oneLine(String(property.getParameter('cn') || addressOf(property.getFirstValue()))));
  const attendees = all
    .filter((property) => !isResource(property))
    .map((property) => {
      const partstat = String(property.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
      return { email: addressOf(property.getFirstValue()), name: nameOf(property), status: STATUS[partstat] ?? null };
    });
  // Only addresses GraphQL would take for a guest: one with a space or a line break in it is none.
  return { organizer: organizer ? addressOf(organizer) : null, attendees: attendees.filter((attendee) => isGuestAddress(attendee.email)), rooms };
}
