/**
 * A course's private events (CLASS:PRIVATE, kept as metadata.class) through
 * the course list, `Course.calendarEvents`: its lean read, which fetches only
 * a few columns, withholds them exactly as the single read and the whole-row
 * list do. Those the rules let see an event (its organizer and participants)
 * see it whole; the others (an admin, a student of the course who is not
 * invited) see "Busy".
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
const call = subgraphCaller(() => platform, 'calendar');

// Course 101's two classes, organized by tara (3), sam (5) invited as a student of the course.
const [NEWTON, ENERGY] = DEMO_LIVE_CLASSES;
const ids: Record<string, string> = {};

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['calendar'], gateway: false });
  const db = platform.db;
  for (const liveClass of [NEWTON, ENERGY]) {
    const row = await db.selectFrom('calendar.calendar_events').select('id').where('entity_id', '=', liveClass.id).executeTakeFirstOrThrow();
    ids[liveClass.title] = row.id;
  }
  // Both private; sam no longer invited to Newton's, still to Energy's.
  await db.updateTable('calendar.calendar_events').set({ metadata: sql`metadata || '{"class":"PRIVATE"}'::jsonb` }).where('id', 'in', Object.values(ids)).execute();
  await db.deleteFrom('calendar.event_participants').where('event_id', '=', ids[NEWTON.title]).where('user_id', '=', '5').execute();
  // Tara organizes Energy's without being listed among its participants: the organizer alone lets her see it.
  await db.deleteFrom('calendar.event_participants').where('event_id', '=', ids[ENERGY.title]).where('user_id', '=', '3').execute();
});
afterAll(() => platform?.stop());

const LEAN = 'id title start end';
const WHOLE = 'id title description metadata';
async function courseList(user: string, viewerRole: string | null, fields: string): Promise<Record<string, string>> {
  const data = dataOf(await call(user, ENTITIES_QUERY('Course', `calendarEvents { ${fields} }`), { representations: [{ __typename: 'Course', id: '101', viewerRole }] }));
  return Object.fromEntries(data._entities[0].calendarEvents.map((e: any) => [e.id, e.title]));
}
/** Each class's event through LiveClass.calendarEvent (the course page's), by event id: its title, or null when not shown. */
async function classEvents(user: string, fields: string): Promise<Record<string, string | null>> {
  const representations = [NEWTON, ENERGY].map((liveClass) => ({ __typename: 'LiveClass', id: liveClass.id }));
  const data = dataOf(await call(user, ENTITIES_QUERY('LiveClass', `calendarEvent { ${fields} }`), { representations }));
  return Object.fromEntries(data._entities.map((e: any, index: number) => [ids[[NEWTON, ENERGY][index]!.title]!, e.calendarEvent?.title ?? null]));
}
async function single(user: string, id: string): Promise<string | null> {
  return dataOf(await call(user, 'query($id: ID!) { calendarEvent(id: $id) { title } }', { id })).calendarEvent?.title ?? null;
}

describe('private course events in the course list', () => {
  it('an admin who is not invited sees "Busy" in the lean list, the whole-row list and the single read', async () => {
    const expected = { [ids[NEWTON.title]!]: 'Busy', [ids[ENERGY.title]!]: 'Busy' };
    expect(await courseList('admin', null, LEAN)).toEqual(expected);
    expect(await courseList('admin', null, WHOLE)).toEqual(expected);
    for (const id of Object.values(ids)) expect(await single('admin', id)).toBe('Busy');
  });

  it('a student of the course sees "Busy" for a class they are not invited to, the one they are invited to whole', async () => {
    const expected = { [ids[NEWTON.title]!]: 'Busy', [ids[ENERGY.title]!]: ENERGY.title };
    expect(await courseList('sam.student', 'STUDENT', LEAN)).toEqual(expected);
    expect(await courseList('sam.student', 'STUDENT', WHOLE)).toEqual(expected);
    expect(await single('sam.student', ids[ENERGY.title]!)).toBe(ENERGY.title);
  });

  it("each class's event reads the same lean (the course page's fields) and whole, for every caller", async () => {
    const seen = {
      admin: { [ids[NEWTON.title]!]: 'Busy', [ids[ENERGY.title]!]: 'Busy' },
      'sam.student': { [ids[ENERGY.title]!]: ENERGY.title, [ids[NEWTON.title]!]: null },
      'tara.teacher': { [ids[NEWTON.title]!]: NEWTON.title, [ids[ENERGY.title]!]: ENERGY.title },
    };
    for (const [user, expected] of Object.entries(seen)) {
      expect(await classEvents(user, LEAN)).toEqual(expected);
      expect(await classEvents(user, WHOLE)).toEqual(expected);
    }
  });

  it('the organizer sees both whole, in every read', async () => {
    const expected = { [ids[NEWTON.title]!]: NEWTON.title, [ids[ENERGY.title]!]: ENERGY.title };
    expect(await courseList('tara.teacher', 'TEACHER', LEAN)).toEqual(expected);
    expect(await courseList('tara.teacher', 'TEACHER', WHOLE)).toEqual(expected);
    for (const [title, id] of Object.entries(ids)) expect(await single('tara.teacher', id)).toBe(title);
  });
});
