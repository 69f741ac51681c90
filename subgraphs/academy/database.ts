/**
 * Kysely types for the tables academy reads: Moodle's own (`mdl_*`, in
 * MOODLE_SCHEMA, with Moodle's column types: BIGINT ids and unix-second
 * times, which pg returns as strings) and academy's tenancy tables.
 */
import type { Generated } from 'kysely';

type BigInt = string; // int8 as returned by pg: exact, never a float

export interface MdlCourse {
  id: Generated<BigInt>;
  category: BigInt;
  sortorder: Generated<BigInt>;
  fullname: string;
  shortname: string;
  idnumber: Generated<string>;
  summary: string | null;
  summaryformat: Generated<number>;
  format: Generated<string>;
  startdate: Generated<BigInt>;
  enddate: Generated<BigInt>;
  visible: Generated<number>;
  timecreated: Generated<BigInt>;
  timemodified: Generated<BigInt>;
}

export interface MdlUser {
  id: Generated<BigInt>;
  auth: Generated<string>;
  confirmed: Generated<number>;
  deleted: Generated<number>;
  suspended: Generated<number>;
  mnethostid: Generated<BigInt>;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  /** 1: the user turned notifications off ("Disable notifications"); Moodle then sends no mail and shows no popups. */
  emailstop: Generated<number>;
  /** An IANA zone, or '99': the site's (see services/moodle-time-zone.ts). */
  timezone: Generated<string>;
  timecreated: Generated<BigInt>;
  timemodified: Generated<BigInt>;
}

/** Moodle's site settings ($CFG), one row per name. */
export interface MdlConfig {
  id: Generated<BigInt>;
  name: string;
  value: string;
}

export interface MdlEnrol {
  id: Generated<BigInt>;
  enrol: string;
  status: Generated<BigInt>;
  courseid: BigInt;
  sortorder: Generated<BigInt>;
  roleid: Generated<BigInt>;
  enrolstartdate: Generated<BigInt>;
  enrolenddate: Generated<BigInt>;
  timecreated: Generated<BigInt>;
  timemodified: Generated<BigInt>;
}

export interface MdlUserEnrolments {
  id: Generated<BigInt>;
  status: Generated<BigInt>;
  enrolid: BigInt;
  userid: BigInt;
  timestart: Generated<BigInt>;
  timeend: Generated<BigInt>;
  modifierid: Generated<BigInt>;
  timecreated: Generated<BigInt>;
  timemodified: Generated<BigInt>;
}

export interface MdlRole {
  id: Generated<BigInt>;
  name: Generated<string>;
  shortname: string;
  description: Generated<string>;
  sortorder: BigInt;
  archetype: Generated<string>;
}

export interface MdlContext {
  id: Generated<BigInt>;
  contextlevel: BigInt;
  instanceid: BigInt;
  path: string | null;
  depth: Generated<number>;
  locked: Generated<number>;
}

export interface MdlRoleAssignments {
  id: Generated<BigInt>;
  roleid: BigInt;
  contextid: BigInt;
  userid: BigInt;
  timemodified: Generated<BigInt>;
  modifierid: Generated<BigInt>;
  component: Generated<string>;
  itemid: Generated<BigInt>;
  sortorder: Generated<BigInt>;
}

export interface MdlEvent {
  id: Generated<BigInt>;
  name: string;
  description: string;
  format: Generated<number>;
  categoryid: Generated<BigInt>;
  courseid: BigInt;
  groupid: Generated<BigInt>;
  userid: BigInt;
  repeatid: Generated<BigInt>;
  modulename: Generated<string>;
  instance: Generated<BigInt>;
  type: Generated<number>;
  eventtype: string;
  timestart: BigInt;
  timeduration: Generated<BigInt>;
  timesort: BigInt | null;
  visible: Generated<number>;
  uuid: Generated<string>;
  sequence: Generated<BigInt>;
  timemodified: Generated<BigInt>;
  subscriptionid: BigInt | null;
  priority: BigInt | null;
  location: string | null;
  component: string | null;
}

export interface MdlNotifications {
  id: Generated<BigInt>;
  useridfrom: BigInt;
  useridto: BigInt;
  subject: string | null;
  fullmessage: string | null;
  fullmessageformat: Generated<number>;
  fullmessagehtml: string | null;
  smallmessage: string | null;
  component: string | null;
  eventtype: string | null;
  contexturl: string | null;
  contexturlname: string | null;
  timeread: BigInt | null;
  timecreated: BigInt;
  customdata: string | null;
}

/** The notifications message/output/popup shows in Moodle's bell. */
export interface MdlMessagePopupNotifications {
  id: Generated<BigInt>;
  notificationid: BigInt;
}

/** Academy's own: a reminder due before a live class starts, sent once (`sent_at`). */
export interface LiveClassReminders {
  live_class_id: string;
  company_id: string;
  course_id: BigInt;
  title: string;
  starts_at: Date;
  duration_minutes: number | null;
  remind_at: Date;
  sent_at: Date | null;
  updated_at: Generated<Date>;
}

/** Academy's own tenancy: which Moodle course categories and users belong to which company. */
export interface CompanyCourseCategories {
  company_id: string;
  category_id: BigInt;
}
export interface CompanyUsers {
  company_id: string;
  user_id: BigInt;
  roles: Generated<string[]>;
  created_at: Generated<Date>;
}

export interface AcademyDatabase {
  mdl_course: MdlCourse;
  mdl_user: MdlUser;
  mdl_enrol: MdlEnrol;
  mdl_user_enrolments: MdlUserEnrolments;
  mdl_role: MdlRole;
  mdl_context: MdlContext;
  mdl_role_assignments: MdlRoleAssignments;
  mdl_event: MdlEvent;
  mdl_notifications: MdlNotifications;
  mdl_message_popup_notifications: MdlMessagePopupNotifications;
  mdl_config: MdlConfig;
  'academy.live_class_reminders': LiveClassReminders;
  'academy.company_course_categories': CompanyCourseCategories;
  'academy.company_users': CompanyUsers;
}

/** Moodle's constants that the queries rely on. */
export const MOODLE = {
  CONTEXT_COURSE: '50',
  ENROL_INSTANCE_ENABLED: '0',
  ENROL_USER_ACTIVE: '0',
  TEACHER_ROLES: ['editingteacher', 'teacher'],
  STUDENT_ROLES: ['student'],
} as const;
