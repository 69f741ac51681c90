/**
 * "This and following" saved by the organiser's app as two objects
 * (caldav/continued-series.ts): the old series cut short by UNTIL, and a new
 * series under a new UID, named RELATED-TO;RELTYPE=SIBLING (Nextcloud) or
 * not at all (made by hand, as in Thunderbird). The rest takes the answers
 * and kept-out occurrences of the occurrences it continues, as a RANGE split
 * does; a look-alike that does not start at the cut stays an event of its own.
 */
import { expect, it } from 'vitest';
import { PULL_BATCH } from '../services/caldav-pull.js';
import { editedByApp, unfolded, USER_IDS, useCalDAVHarness, veventsOf } from './caldav-harness.js';
import { UPDATE } from './caldav-series.js';

const h = useCalDAVHarness(['tara', 'ravi']);
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!, $at: DateTime) { respondToEvent(eventId: $id, status: $status, occurrence: $at) { status } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { id title } participants { user { id } status } } }`;

/** The occurrences kept out of copies of the event, as ISO instants. */
async function keptOut(eventId: string): Promise<string[]> {
  const rows = await h.platform.db.selectFrom('calendar.caldav_removed_occurrences').select('recurrence_id').where('event_id', '=', eventId).orderBy('recurrence_id').execute();
  return rows.map((row: { recurrence_id: Date }) => row.recurrence_id.toISOString());
}

/** Ravi's answer to each occurrence of events titled `prefix…` in [from, to), as `start title status`. */
async function ravisAnswers(prefix: string, from: string, to: string): Promise<string[]> {
  const { calendarEvents } = await h.ok('ravi', OCCURRENCES, { from, to });
  return calendarEvents
    .filter((o: any) => o.event.title.startsWith(prefix))
    .map((o: any) => `${o.start.slice(0, 10)} ${o.event.title} ${o.participants.find((p: any) => p.user?.id === USER_IDS.ravi)?.status}`);
}

const idOf = async (title: string) =>
  (await h.platform.db.selectFrom('calendar.calendar_events').select('id').where('title', '=', title).where('parent_id', 'is', null).executeTakeFirstOrThrow()).id as string;

/**
 * Tara's weekly series of six Mondays from `day` (08:00 UTC) with Ravi, who accepts it, is tentative for the fifth
 * and deletes the fourth from his copy (kept out, declined); both calendars synced.
 */
async function seriesWithRavisAnswers(title: string, day: string): Promise<string> {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: { title, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z`, recurrenceRule: 'FREQ=WEEKLY;COUNT=6', participantIds: [USER_IDS.ravi] },
  });
  const id: string = createCalendarEvent.id;
  const week = (n: number) => new Date(Date.parse(`${day}T08:00:00Z`) + n * 7 * 86_400_000);
  await h.ok('ravi', RESPOND, { id, status: 'ACCEPTED' });
  await h.ok('ravi', RESPOND, { id, status: 'TENTATIVE', at: week(4).toISOString() });
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', `SUMMARY:${title}`))!;
  const fourth = week(3)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  await h.remotePut('ravi', copy.href, editedByApp(copy.data, /(RRULE:[^\r]*\r\n)/, `$1EXDATE:${fourth}\r\n`), copy.etag);
  await h.sync('ravi');
  await h.sync('tara');
  return id;
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Tara's app ends her series `title` before `cut` (UNTIL a second before, or the rule `ending` given) and saves the rest as a new object
 * `renamed` (new UID, the same ORGANIZER and ATTENDEEs, but Ravi's `withoutRavi`) starting at `start`, four weeks;
 * `siblings`: each names the other RELATED-TO;RELTYPE=SIBLING, as Nextcloud writes them. `apart`: among other objects she
 * saved meanwhile, two pull batches in all, the rest named so that her next pull reads it in another batch than the cut.
 */
async function tarasAppSplits(title: string, cut: string, renamed: string, start: string, siblings: boolean, withoutRavi = false, ending?: string, apart = false): Promise<void> {
  const hers = (await h.remoteWith('tara', `SUMMARY:${title}`))!;
  const text = unfolded(hers.data);
  const master = veventsOf(text)[0]!;
  const uid = /UID:([^\r]*)/.exec(master)![1]!;
  const newUid = `${renamed.replace(/\W/g, '-')}-nextcloud-uid`;
  const until = stamp(new Date(Date.parse(cut) - 1000).toISOString());
  const cutShort = master.replace(/RRULE:[^\r]*\r\n/, `RRULE:FREQ=WEEKLY;${ending ?? `UNTIL=${until}`}\r\n${siblings ? `RELATED-TO;RELTYPE=SIBLING:${newUid}\r\n` : ''}`);
  const end = new Date(Date.parse(start) + 3_600_000).toISOString();
  const rest = master
    .replace(/UID:[^\r]*\r\n/, `UID:${newUid}\r\n${siblings ? `RELATED-TO;RELTYPE=SIBLING:${uid}\r\n` : ''}`)
    .replace(/RRULE:[^\r]*\r\n/, 'RRULE:FREQ=WEEKLY;COUNT=4\r\n')
    .replace(/EXDATE:[^\r]*\r\n/g, '')
    .replace(/DTSTART:[^\r]*\r\n/, `DTSTART:${stamp(start)}\r\n`)
    .replace(/DTEND:[^\r]*\r\n/, `DTEND:${stamp(end)}\r\n`)
    .replace(/SEQUENCE:\d+/, 'SEQUENCE:0')
    .replace(`SUMMARY:${title}`, `SUMMARY:${renamed}`)
    .replace(withoutRavi ? /ATTENDEE[^\r]*:mailto:ravi[^\r]*\r\n/ : /^$/, '');
  const head = text.slice(0, text.indexOf('BEGIN:VEVENT'));
  await h.remotePut('tara', hers.href, editedByApp(text.replace(master, cutShort)), hers.etag);
  if (apart) await restApart(hers.href, newUid, editedByApp(`${head}${rest}END:VCALENDAR\r\n`), title);
  else await h.remotePut('tara', `${newUid}.ics`, editedByApp(`${head}${rest}END:VCALENDAR\r\n`));
  await h.sync('tara');
}

/**
 * Two pull batches of Tara's changed objects: other events of hers (`title` Filler n), the cut at `cutHref`, and the
 * rest (`data`) in another batch than the cut's. The server lists them in an order of its own (of their names, which
 * the cut's is not the test's to choose): the rest is saved under names `uid-n.ics` until other events listed before
 * the first of the two can be deleted so that it is in the first batch and the other in the second.
 */
async function restApart(cutHref: string, uid: string, data: string, title: string): Promise<void> {
  const fillers = 2 * PULL_BATCH - 2;
  const fillerName = (n: number) => `filler-${title}-${n}.ics`;
  for (let n = 0; n < fillers; n++) {
    const day = new Date(Date.parse('2031-01-01T10:00:00Z') + n * 86_400_000);
    await h.remotePut(
      'tara',
      fillerName(n),
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Filler//EN\r\nBEGIN:VEVENT\r\nUID:filler-${title}-${n}\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:${stamp(day.toISOString())}\r\nDTEND:${stamp(new Date(day.getTime() + 3_600_000).toISOString())}\r\nSUMMARY:Filler ${title} ${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
    );
  }
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const cutName = name(new URL(cutHref).pathname);
  for (let n = 0; n < 20; n++) {
    await h.remotePut('tara', `${uid}-${n}.ics`, data);
    const order = (await h.remoteChanged('tara')).map(name);
    expect(order).toHaveLength(fillers + 2);
    const [first, second] = [cutName, `${uid}-${n}.ics`].sort((a, b) => order.indexOf(a) - order.indexOf(b)) as [string, string];
    const [at, then] = [order.indexOf(first), order.indexOf(second)];
    const before = order.slice(0, at);
    const kept = Math.min(before.length, PULL_BATCH - 1);
    // After the deletions the first is at `kept`, the second at `kept + (then - at)`.
    if (kept + (then - at) >= PULL_BATCH) {
      for (const filler of before.slice(kept)) await h.remoteDelete('tara', new URL(filler, cutHref).toString());
      const listed = (await h.remoteChanged('tara')).map(name);
      expect([Math.floor(listed.indexOf(first) / PULL_BATCH), Math.floor(listed.indexOf(second) / PULL_BATCH)]).toEqual([0, 1]);
      return;
    }
    await h.remoteDelete('tara', new URL(`${uid}-${n}.ics`, cutHref).toString());
  }
  throw new Error('no name of the rest listed apart from the cut');
}

it('Nextcloud\u2019s split (RELATED-TO;RELTYPE=SIBLING): the rest takes the answers and the kept-out occurrence', async () => {
  const id = await seriesWithRavisAnswers('Choir', '2029-03-05');
  await tarasAppSplits('Choir', '2029-03-19T08:00:00Z', 'Choir (hall B)', '2029-03-19T08:00:00Z', true);
  const rest = await idOf('Choir (hall B)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2029-03-26T08:00:00.000Z']);
  expect(await ravisAnswers('Choir', '2029-03-01T00:00:00Z', '2029-05-01T00:00:00Z')).toEqual([
    '2029-03-05 Choir ACCEPTED',
    '2029-03-12 Choir ACCEPTED',
    '2029-03-19 Choir (hall B) ACCEPTED',
    '2029-03-26 Choir (hall B) DECLINED',
    '2029-04-02 Choir (hall B) TENTATIVE',
    '2029-04-09 Choir (hall B) ACCEPTED',
  ]);
  // The app's object stays the rest's only one; Ravi's copy keeps his deleted occurrence out.
  await h.sync('tara');
  expect((await h.remoteObjects('tara')).filter((o) => o.data.includes('SUMMARY:Choir (hall B)'))).toHaveLength(1);
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Choir (hall B)'))!.data).match(/EXDATE:[^\r]*/g)).toEqual(['EXDATE:20290326T080000Z']);
});

it('a split moving the rest an hour later, named SIBLING: the moved occurrences ask again, the tentative answer moves along', async () => {
  const id = await seriesWithRavisAnswers('Brass', '2029-06-04');
  await tarasAppSplits('Brass', '2029-06-18T08:00:00Z', 'Brass (later)', '2029-06-18T09:00:00Z', true);
  const rest = await idOf('Brass (later)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual([]);
  expect(await ravisAnswers('Brass', '2029-06-01T00:00:00Z', '2029-08-01T00:00:00Z')).toEqual([
    '2029-06-04 Brass ACCEPTED',
    '2029-06-11 Brass ACCEPTED',
    '2029-06-18 Brass (later) ACCEPTED',
    '2029-06-25 Brass (later) PENDING',
    '2029-07-02 Brass (later) TENTATIVE',
    '2029-07-09 Brass (later) ACCEPTED',
  ]);
});

it('a split made by hand (no RELATED-TO, as in Thunderbird, ended by COUNT): the rest starting at the cut is linked', async () => {
  const id = await seriesWithRavisAnswers('Strings', '2029-09-03');
  await tarasAppSplits('Strings', '2029-09-17T08:00:00Z', 'Strings (new term)', '2029-09-17T08:00:00Z', false, false, 'COUNT=2');
  const rest = await idOf('Strings (new term)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2029-09-24T08:00:00.000Z']);
  expect(await ravisAnswers('Strings', '2029-09-01T00:00:00Z', '2029-11-01T00:00:00Z')).toEqual([
    '2029-09-03 Strings ACCEPTED',
    '2029-09-10 Strings ACCEPTED',
    '2029-09-17 Strings (new term) ACCEPTED',
    '2029-09-24 Strings (new term) DECLINED',
    '2029-10-01 Strings (new term) TENTATIVE',
    '2029-10-08 Strings (new term) ACCEPTED',
  ]);
});

it('a look-alike made by hand that does not start at the cut stays an event of its own', async () => {
  const id = await seriesWithRavisAnswers('Winds', '2029-12-03');
  // Cut before the 17th, the new one from the 24th: not the rest of the series beyond doubt.
  await tarasAppSplits('Winds', '2029-12-17T08:00:00Z', 'Winds (new term)', '2029-12-24T08:00:00Z', false);
  const other = await idOf('Winds (new term)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(other)).toEqual([]);
  expect(await ravisAnswers('Winds', '2029-12-01T00:00:00Z', '2030-02-01T00:00:00Z')).toEqual([
    '2029-12-03 Winds ACCEPTED',
    '2029-12-10 Winds ACCEPTED',
    '2029-12-24 Winds (new term) PENDING',
    '2029-12-31 Winds (new term) PENDING',
    '2030-01-07 Winds (new term) PENDING',
    '2030-01-14 Winds (new term) PENDING',
  ]);
});

it('a look-alike made by hand at the cut but inviting other people stays an event of its own', async () => {
  const id = await seriesWithRavisAnswers('Percussion', '2030-03-04');
  await tarasAppSplits('Percussion', '2030-03-18T08:00:00Z', 'Percussion (staff only)', '2030-03-18T08:00:00Z', false, true);
  const other = await idOf('Percussion (staff only)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(other)).toEqual([]);
  // Not invited to it, Ravi is not made a participant by a link.
  expect(await ravisAnswers('Percussion', '2030-03-01T00:00:00Z', '2030-05-01T00:00:00Z')).toEqual(['2030-03-04 Percussion ACCEPTED', '2030-03-11 Percussion ACCEPTED']);
  const participants = await h.platform.db.selectFrom('calendar.event_participants').select('user_id').where('event_id', '=', other).execute();
  expect(participants.map((row: { user_id: string | null }) => row.user_id)).toEqual([USER_IDS.tara]);
});

it('the app\u2019s split over an edit made here (a push conflict, the app\u2019s newer): the rest is linked all the same', async () => {
  const id = await seriesWithRavisAnswers('Harp', '2031-09-01');
  await h.ok('tara', UPDATE, { id, input: { description: 'Bring the stands' }, scope: 'ALL' });
  await tarasAppSplits('Harp', '2031-09-15T08:00:00Z', 'Harp (hall C)', '2031-09-15T08:00:00Z', true);
  const rest = await idOf('Harp (hall C)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2031-09-22T08:00:00.000Z']);
  expect(await ravisAnswers('Harp', '2031-09-01T00:00:00Z', '2031-11-01T00:00:00Z')).toEqual([
    '2031-09-01 Harp ACCEPTED',
    '2031-09-08 Harp ACCEPTED',
    '2031-09-15 Harp (hall C) ACCEPTED',
    '2031-09-22 Harp (hall C) DECLINED',
    '2031-09-29 Harp (hall C) TENTATIVE',
    '2031-10-06 Harp (hall C) ACCEPTED',
  ]);
  // Tara's edit lost to her app's newer one, kept where she can read it.
  const conflicts = await h.platform.db.selectFrom('calendar.caldav_conflicts').select(['kept', 'losing_icalendar']).where('event_id', '=', id).execute();
  expect(conflicts.map((row: { kept: string; losing_icalendar: string }) => [row.kept, row.losing_icalendar.includes('Bring the stands')])).toEqual([['REMOTE', true]]);
});

it('Nextcloud\u2019s split read in two pull batches, the cut in one and the rest in the other: the rest is linked all the same', async () => {
  const id = await seriesWithRavisAnswers('Organ', '2030-09-02');
  await tarasAppSplits('Organ', '2030-09-16T08:00:00Z', 'Organ (hall B)', '2030-09-16T08:00:00Z', true, false, undefined, true);
  const rest = await idOf('Organ (hall B)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2030-09-23T08:00:00.000Z']);
  expect(await ravisAnswers('Organ', '2030-09-01T00:00:00Z', '2030-11-01T00:00:00Z')).toEqual([
    '2030-09-02 Organ ACCEPTED',
    '2030-09-09 Organ ACCEPTED',
    '2030-09-16 Organ (hall B) ACCEPTED',
    '2030-09-23 Organ (hall B) DECLINED',
    '2030-09-30 Organ (hall B) TENTATIVE',
    '2030-10-07 Organ (hall B) ACCEPTED',
  ]);
  await h.sync('tara');
  expect((await h.remoteObjects('tara')).filter((o) => o.data.includes('SUMMARY:Organ (hall B)'))).toHaveLength(1);
}, 300_000);

it('a split made by hand read in two pull batches, the cut in one and the rest in the other: the rest at the cut is linked', async () => {
  const id = await seriesWithRavisAnswers('Flute', '2030-12-02');
  await tarasAppSplits('Flute', '2030-12-16T08:00:00Z', 'Flute (new term)', '2030-12-16T08:00:00Z', false, false, 'COUNT=2', true);
  const rest = await idOf('Flute (new term)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2030-12-23T08:00:00.000Z']);
  expect(await ravisAnswers('Flute', '2030-12-01T00:00:00Z', '2031-02-01T00:00:00Z')).toEqual([
    '2030-12-02 Flute ACCEPTED',
    '2030-12-09 Flute ACCEPTED',
    '2030-12-16 Flute (new term) ACCEPTED',
    '2030-12-23 Flute (new term) DECLINED',
    '2030-12-30 Flute (new term) TENTATIVE',
    '2031-01-06 Flute (new term) ACCEPTED',
  ]);
}, 300_000);
