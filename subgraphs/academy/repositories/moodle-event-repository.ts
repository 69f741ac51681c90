/**
 * Live classes as Moodle course events (`mdl_event`, eventtype 'course'),
 * written as Moodle's own event form writes a teacher's course event: no
 * module (modulename '', instance 0), a standard event (type 0), no
 * priority, and no component. Moodle's calendar asks an event's component
 * for its icon and name (event_icon_exporter), and no plugin of ours is
 * installed there. The live class's uuid is in `uuid`, the column Moodle
 * keeps for external event identifiers: that is the link, so no mapping
 * table is needed; the class's page is also its `location`. Lookups also pin
 * the course, which a caller has checked belongs to the event's company.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MdlEvent } from '../database.js';
import { unixNow, type AcademyDb } from './academy-db.js';

export interface LiveClassEventFields {
  name: string;
  description: string;
  /** Unix seconds. */
  timestart: number;
  /** Seconds. */
  timeduration: number;
  /** The class's page: Moodle shows an event's location in its details. */
  location: string;
}

export class MoodleEventRepository {
  constructor(private readonly db: AcademyDb) {}

  async findLiveClassEvent(courseId: string, liveClassId: string): Promise<Selectable<MdlEvent> | undefined> {
    return this.db.moodle
      .selectFrom('mdl_event')
      .selectAll()
      .where('courseid', '=', courseId)
      .where('eventtype', '=', 'course')
      .where('modulename', '=', '')
      .where('uuid', '=', liveClassId)
      .executeTakeFirst();
  }

  async insertLiveClassEvent(courseId: string, liveClassId: string, creatorId: string, fields: LiveClassEventFields): Promise<string> {
    const row: Insertable<MdlEvent> = {
      ...toColumns(fields),
      eventtype: 'course',
      courseid: courseId,
      groupid: '0',
      categoryid: '0',
      userid: creatorId,
      modulename: '',
      instance: '0',
      type: 0, // CALENDAR_EVENT_TYPE_STANDARD
      format: 1, // FORMAT_HTML
      visible: 1,
      uuid: liveClassId,
      component: null,
      priority: null,
      sequence: '1',
      timemodified: String(unixNow()),
    };
    const inserted = await this.db.moodle.insertInto('mdl_event').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  /**
   * Rewrites the event and bumps `sequence`, as Moodle does on every change (iCalendar SEQUENCE). Clears the
   * component rows written before named (an uninstalled plugin to Moodle's calendar).
   */
  async updateLiveClassEvent(id: string, fields: LiveClassEventFields): Promise<void> {
    const changes: Updateable<MdlEvent> = { ...toColumns(fields), component: null, timemodified: String(unixNow()) };
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
  return { name: fields.name, description: fields.description, timestart, timesort: timestart, timeduration: String(fields.timeduration), location: fields.location };
}
