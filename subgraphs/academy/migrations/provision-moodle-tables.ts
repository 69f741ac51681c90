/**
 * Embedded mode only (MOODLE_PROVISION): creates the Moodle tables academy
 * uses, with Moodle's own names, column types and defaults (from Moodle's
 * install.xml for PostgreSQL), so the same queries run against a real Moodle.
 * Only the columns we use are created; a real Moodle has more.
 */
import { sql, type Kysely } from 'kysely';

const TABLES = (s: string) => [
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_course (
    id BIGSERIAL PRIMARY KEY, category BIGINT NOT NULL DEFAULT 0, sortorder BIGINT NOT NULL DEFAULT 0,
    fullname VARCHAR(1333) NOT NULL DEFAULT '', shortname VARCHAR(255) NOT NULL DEFAULT '',
    idnumber VARCHAR(100) NOT NULL DEFAULT '', summary TEXT, summaryformat SMALLINT NOT NULL DEFAULT 0,
    format VARCHAR(21) NOT NULL DEFAULT 'topics', startdate BIGINT NOT NULL DEFAULT 0, enddate BIGINT NOT NULL DEFAULT 0,
    visible SMALLINT NOT NULL DEFAULT 1, timecreated BIGINT NOT NULL DEFAULT 0, timemodified BIGINT NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS mdl_cour_cat_ix ON ${s}.mdl_course (category)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_user (
    id BIGSERIAL PRIMARY KEY, auth VARCHAR(20) NOT NULL DEFAULT 'manual', confirmed SMALLINT NOT NULL DEFAULT 0,
    deleted SMALLINT NOT NULL DEFAULT 0, suspended SMALLINT NOT NULL DEFAULT 0, mnethostid BIGINT NOT NULL DEFAULT 0,
    username VARCHAR(100) NOT NULL DEFAULT '', firstname VARCHAR(100) NOT NULL DEFAULT '',
    lastname VARCHAR(100) NOT NULL DEFAULT '', email VARCHAR(100) NOT NULL DEFAULT '',
    emailstop SMALLINT NOT NULL DEFAULT 0, timezone VARCHAR(100) NOT NULL DEFAULT '99',
    timecreated BIGINT NOT NULL DEFAULT 0, timemodified BIGINT NOT NULL DEFAULT 0)`,
  // Columns added after the first provisioning (a kept .data/ has the table without them).
  `ALTER TABLE ${s}.mdl_user ADD COLUMN IF NOT EXISTS emailstop SMALLINT NOT NULL DEFAULT 0`,
  `ALTER TABLE ${s}.mdl_user ADD COLUMN IF NOT EXISTS timezone VARCHAR(100) NOT NULL DEFAULT '99'`,
  `CREATE UNIQUE INDEX IF NOT EXISTS mdl_user_mneuse_uix ON ${s}.mdl_user (mnethostid, username)`,
  // Site settings ($CFG): academy reads `timezone` and `forcetimezone`.
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_config (
    id BIGSERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL DEFAULT '', value TEXT NOT NULL)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS mdl_conf_nam_uix ON ${s}.mdl_config (name)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_enrol (
    id BIGSERIAL PRIMARY KEY, enrol VARCHAR(20) NOT NULL DEFAULT '', status BIGINT NOT NULL DEFAULT 0,
    courseid BIGINT NOT NULL, sortorder BIGINT NOT NULL DEFAULT 0, roleid BIGINT DEFAULT 0,
    enrolstartdate BIGINT DEFAULT 0, enrolenddate BIGINT DEFAULT 0,
    timecreated BIGINT NOT NULL DEFAULT 0, timemodified BIGINT NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS mdl_enro_cou_ix ON ${s}.mdl_enrol (courseid)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_user_enrolments (
    id BIGSERIAL PRIMARY KEY, status BIGINT NOT NULL DEFAULT 0, enrolid BIGINT NOT NULL, userid BIGINT NOT NULL,
    timestart BIGINT NOT NULL DEFAULT 0, timeend BIGINT NOT NULL DEFAULT 2147483647, modifierid BIGINT NOT NULL DEFAULT 0,
    timecreated BIGINT NOT NULL DEFAULT 0, timemodified BIGINT NOT NULL DEFAULT 0)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS mdl_userenro_enruse_uix ON ${s}.mdl_user_enrolments (enrolid, userid)`,
  `CREATE INDEX IF NOT EXISTS mdl_userenro_use_ix ON ${s}.mdl_user_enrolments (userid)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_role (
    id BIGSERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL DEFAULT '', shortname VARCHAR(100) NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '', sortorder BIGINT NOT NULL DEFAULT 0, archetype VARCHAR(30) NOT NULL DEFAULT '')`,
  `CREATE UNIQUE INDEX IF NOT EXISTS mdl_role_sho_uix ON ${s}.mdl_role (shortname)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_context (
    id BIGSERIAL PRIMARY KEY, contextlevel BIGINT NOT NULL DEFAULT 0, instanceid BIGINT NOT NULL DEFAULT 0,
    path VARCHAR(255), depth SMALLINT NOT NULL DEFAULT 0, locked SMALLINT NOT NULL DEFAULT 0)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS mdl_cont_conins_uix ON ${s}.mdl_context (contextlevel, instanceid)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_role_assignments (
    id BIGSERIAL PRIMARY KEY, roleid BIGINT NOT NULL DEFAULT 0, contextid BIGINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0, timemodified BIGINT NOT NULL DEFAULT 0, modifierid BIGINT NOT NULL DEFAULT 0,
    component VARCHAR(100) NOT NULL DEFAULT '', itemid BIGINT NOT NULL DEFAULT 0, sortorder BIGINT NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS mdl_roleassi_conuse_ix ON ${s}.mdl_role_assignments (contextid, userid)`,
  `CREATE INDEX IF NOT EXISTS mdl_roleassi_use_ix ON ${s}.mdl_role_assignments (userid)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_event (
    id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, format SMALLINT NOT NULL DEFAULT 0,
    categoryid BIGINT NOT NULL DEFAULT 0, courseid BIGINT NOT NULL DEFAULT 0, groupid BIGINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0, repeatid BIGINT NOT NULL DEFAULT 0, modulename VARCHAR(20) NOT NULL DEFAULT '',
    instance BIGINT NOT NULL DEFAULT 0, type SMALLINT NOT NULL DEFAULT 0, eventtype VARCHAR(20) NOT NULL DEFAULT '',
    timestart BIGINT NOT NULL DEFAULT 0, timeduration BIGINT NOT NULL DEFAULT 0, timesort BIGINT,
    visible SMALLINT NOT NULL DEFAULT 1, uuid VARCHAR(255) NOT NULL DEFAULT '', sequence BIGINT NOT NULL DEFAULT 1,
    timemodified BIGINT NOT NULL DEFAULT 0, subscriptionid BIGINT, priority BIGINT, location TEXT, component VARCHAR(100))`,
  `CREATE INDEX IF NOT EXISTS mdl_even_cou_ix ON ${s}.mdl_event (courseid)`,
  `CREATE INDEX IF NOT EXISTS mdl_even_comeveins_ix ON ${s}.mdl_event (component, eventtype, instance)`,
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_notifications (
    id BIGSERIAL PRIMARY KEY, useridfrom BIGINT NOT NULL, useridto BIGINT NOT NULL, subject TEXT, fullmessage TEXT,
    fullmessageformat SMALLINT NOT NULL DEFAULT 0, fullmessagehtml TEXT, smallmessage TEXT, component VARCHAR(100),
    eventtype VARCHAR(100), contexturl TEXT, contexturlname TEXT, timeread BIGINT, timecreated BIGINT NOT NULL,
    customdata TEXT)`,
  `CREATE INDEX IF NOT EXISTS mdl_noti_use2_ix ON ${s}.mdl_notifications (useridto)`,
  // message/output/popup's list of the notifications its bell shows (message_popup\api::get_popup_notifications).
  `CREATE TABLE IF NOT EXISTS ${s}.mdl_message_popup_notifications (
    id BIGSERIAL PRIMARY KEY, notificationid BIGINT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS mdl_messpopunoti_not_ix ON ${s}.mdl_message_popup_notifications (notificationid)`,
];

export async function provisionMoodleTables(db: Kysely<any>, schema: string): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  const quoted = `"${schema.replace(/"/g, '""')}"`;
  for (const statement of TABLES(quoted)) await sql.raw(statement).execute(db);
}
