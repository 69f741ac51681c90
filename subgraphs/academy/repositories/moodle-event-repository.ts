/**
 * Live classes as Moodle course events (`mdl_event`, eventtype 'course').
 * Our rows carry component 'local_bheem_meet' and the live class's uuid in
 * `uuid`, the column Moodle keeps for external event identifiers: that pair
 * is the link, so no mapping table is needed. Lookups also pin the course,
 * which a caller has checked belongs to the event's company.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MdlEvent } from '../database.js';
import { unixNow, type AcademyDb } from './academy-db.js';

export const MEET_COMPONENT = 'local_bheem_meet';

export interface LiveClassEventFields {
  name: string;
  description: string;
  /** Unix seconds. */
  timestart: number;
  /** Seconds. */
  timeduration: number;
}

export class MoodleEventRepository {
  constructor(private readonly db: AcademyDb) {}

  async findLiveClassEvent(courseId: string, liveClassId: string): Promise<Selectable<MdlEvent> | undefined> {
    return this.db.moodle
      .selectFrom('mdl_event')
      .selectAll()
      .where('courseid', '=', courseId)
      .where('component', '=', MEET_COMPONENT)
      .where('eventtype', '=', 'course')
      .where('uuid', '=', liveClassId)
      .executeTakeFirst();
  }

  async insertLiveClassEvent(courseId: string, liveClassId: string, creatorId: string, fields: LiveClassEventFields): Promise<string> {
    const row: Insertable<MdlEvent> = {
      ...toColumns(fields),
      eventtype: 'course',
      courseid: courseId,
      userid: creatorId,
      format: 1, // FORMAT_HTML
      visible: 1,
      uuid: liveClassId,
      component: MEET_COMPONENT,
      sequence: '1',
      timemodified: String(unixNow()),
    };
    const inserted = await this.db.moodle.insertInto('mdl_event').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** Rewrites the event and bumps `sequence`, as Moodle does on every change (iCalendar SEQUENCE). */
  async updateLiveClassEvent(id: string, fields: LiveClassEventFields): Promise<void> {
    const changes: Updateable<MdlEvent> = { ...toColumns(fields), timemodified: String(unixNow()) };
    await this.db.moodle
      .updateTable('mdl_event')
      .set((eb) => ({ ...changes, sequence: eb('sequence', '+', '1') }))
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.moodle.deleteFrom('mdl_event').where('id', '=', id).execute();
  }
}

function toColumns(fields: LiveClassEventFields) {
  const timestart = String(fields.timestart);
  // Moodle sets timesort to timestart for events that are not action events.
  return { name: fields.name, description: fields.description, timestart, timesort: timestart, timeduration: String(fields.timeduration) };
}
