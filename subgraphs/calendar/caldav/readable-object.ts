/**
 * A calendar object as the server holds it, read as an event would be
 * stored, or why it cannot be: not readable as iCalendar (zone rules refused,
 * a date before 1900...), no event in it, or values GraphQL would refuse.
 * The pull and a push's conflict read the server's copy alike, so an object
 * one of them leaves out (named in the run's log) never fails the other.
 */
import { unstorable } from './apply-remote.js';
import { parseICalendar, type RemoteObject } from './icalendar.js';
import { splitThisAndFuture, type SplitObject } from './this-and-future.js';
import { unsyncable } from './unsyncable.js';

export type ReadObject = ({ ok: true } & SplitObject & { unknownTzids: readonly string[] }) | { ok: false; reason: string };

export function readServerObject(data: string, localZone: string, companyId: string): ReadObject {
  let parsed: RemoteObject;
  try {
    parsed = parseICalendar(data, localZone);
  } catch (error) {
    return { ok: false, reason: `not readable as iCalendar: ${(error as Error).message}` };
  }
  try {
    const problem = unsyncable(parsed);
    if (problem) return { ok: false, reason: problem };
    const { remote, following } = splitThisAndFuture(parsed);
    for (const object of [remote, ...following.map((rest) => rest.remote)]) {
      const refusal = unstorable(object, companyId);
      if (refusal) return { ok: false, reason: refusal.message };
    }
    return { ok: true, remote, following, unknownTzids: parsed.unknownTzids ?? [] };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
