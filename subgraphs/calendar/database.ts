/** Kysely types for the `calendar` schema. */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface CalendarEventsTable {
  id: Generated<string>;
  company_id: string;
  /** Set on a RECURRENCE-ID override: the series this row replaces one occurrence of. */
  parent_id: string | null;
  /** The replaced occurrence's original start (overrides only). */
  recurrence_id: Timestamp | null;
  title: string;
  /** The title as JSON.stringify writes it (migrations/event-json-texts.ts). */
  title_json: GeneratedAlways<string>;
  description: string | null;
  location: string | null;
  start_time: Timestamp;
  end_time: Timestamp | null;
  /** start_time as the DateTime scalar's JSON text, quotes included; null unless a whole millisecond in years 1 to 9999 (migrations/event-json-texts.ts). */
  start_json: GeneratedAlways<string | null>;
  /** end_time's alike, `null` for no end; null when that text is not the time. */
  end_json: GeneratedAlways<string | null>;
  all_day: Generated<boolean>;
  timezone: Generated<string>;
  recurrence_rule: string | null;
  exdates: ColumnType<Date[], Date[] | undefined, Date[]>;
  rdates: ColumnType<Date[], Date[] | undefined, Date[]>;
  /** End of the series' last occurrence; null when it repeats forever. Lets range queries skip finished series. */
  series_until: Timestamp | null;
  event_type: string;
  source_module: string | null;
  entity_type: string | null;
  entity_id: string | null;
  /** The Moodle course a live class event belongs to. */
  course_id: string | null;
  organizer_id: string | null;
  is_cancelled: Generated<boolean>;
  external_id: string | null;
  last_synced_at: Timestamp | null;
  metadata: Json;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  sequence: Generated<number>;
  /** A done task or a reached milestone (events that mirror one). */
  completed: Generated<boolean>;
  /** The event's own reminders, minutes before each occurrence; null: each person's defaults. */
  reminder_minutes: number[] | null;
}

export interface EventParticipantsTable {
  id: Generated<string>;
  event_id: string;
  user_id: string | null;
  external_email: string | null;
  external_name: string | null;
  status: Generated<string>;
  is_organizer: Generated<boolean>;
  responded_at: Timestamp | null;
}

export interface OccurrenceResponsesTable {
  event_id: string;
  user_id: string;
  recurrence_id: Timestamp;
  status: string;
  responded_at: Generated<Date>;
}

export interface CaldavAccountsTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  server_url: string;
  username: string;
  password_encrypted: string;
  calendar_url: string;
  sync_token: string | null;
  /** The owner's Passport subject and roles when they last connected or synced through the API. */
  owner_subject: string | null;
  owner_roles: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaldavSyncStatusTable {
  account_id: string;
  state: Generated<string>;
  total: Generated<number>;
  done: Generated<number>;
  last_started_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
}

export interface CaldavResourcesTable {
  account_id: string;
  event_id: string;
  href: string;
  etag: string | null;
  /** The event's updated_at that the remote copy matches: newer means ours changed since. */
  synced_version: Timestamp;
}

/** A server object a sync could not read (caldav/readable-object.ts), at the ETag it could not. */
export interface CaldavUnreadableTable {
  account_id: string;
  href: string;
  etag: string;
  reason: string;
  /** The event's updated_at a push left it at (its copy holds what could be written of it), null when the pull noted it. */
  event_version: Timestamp | null;
  noted_at: Generated<Date>;
}

/** A participant's copy deleted in their app (their decline): left out of pushes while the event says what they declined. */
export interface CaldavRemovedCopiesTable {
  account_id: string;
  event_id: string;
  /** What they answered to when they deleted it (caldav/answered-content.ts): the event's times, recurrence and place. */
  answered: string;
  removed_at: Generated<Date>;
}

/** One occurrence a participant deleted from their copy of a series (its decline): kept out of that copy while it asks the same. */
export interface CaldavRemovedOccurrencesTable {
  account_id: string;
  event_id: string;
  recurrence_id: Date;
  /** What they answered to when they deleted it (caldav/answered-content.ts): the occurrence's times and place. */
  answered: string;
  /** Their own answer to the occurrence before the delete declined it; null: it followed their answer to the series. */
  answer_before: string | null;
  removed_at: Generated<Date>;
}

export interface FeedTokensTable {
  token_hash: string;
  company_id: string;
  user_id: string;
  created_at: Generated<Date>;
}

export interface WorkingHoursTable {
  company_id: string;
  user_id: string;
  timezone: string;
  days: number[];
  start_minute: number;
  end_minute: number;
}

export interface CaldavSyncRunsTable {
  id: Generated<string>;
  account_id: string;
  started_at: Timestamp;
  finished_at: Generated<Date>;
  succeeded: boolean;
  pushed: Generated<number>;
  pulled: Generated<number>;
  conflicts: Generated<number>;
  full_resync: Generated<boolean>;
  error: string | null;
  /** The objects the run left out (repositories/caldav-log-repository.ts). */
  skipped: ColumnType<{ href: string; reason: string }[], string | undefined, string>;
}

export interface CaldavConflictsTable {
  id: Generated<string>;
  account_id: string;
  event_id: string;
  href: string;
  /** Which side won: CALENDAR (ours) or REMOTE (the server's). */
  kept: string;
  reason: string;
  /** The version that lost, as iCalendar text. */
  losing_icalendar: string;
  occurred_at: Generated<Date>;
}

export interface ReminderDefaultsTable {
  company_id: string;
  user_id: string;
  minutes: number[];
}

export interface ReminderDeliveriesTable {
  event_id: string;
  user_id: string;
  occurrence_start: Timestamp;
  minutes_before: number;
  sent_at: Generated<Date>;
}

export interface ReminderProgressTable {
  id: number;
  sent_until: Timestamp;
}

export interface CompanySettingsTable {
  company_id: string;
  /** IANA zone the company's dates are in. */
  timezone: string;
}

/** The newest version of a mirrored record seen (see repositories/source-versions.ts). */
export interface SourceVersionsTable {
  company_id: string;
  source_module: string;
  entity_type: string;
  entity_id: string;
  updated_at: Timestamp;
  removed: boolean;
}

export interface CalendarDatabase {
  'calendar.source_versions': SourceVersionsTable;
  'calendar.company_settings': CompanySettingsTable;
  'calendar.reminder_defaults': ReminderDefaultsTable;
  'calendar.reminder_deliveries': ReminderDeliveriesTable;
  'calendar.reminder_progress': ReminderProgressTable;
  'calendar.caldav_sync_runs': CaldavSyncRunsTable;
  'calendar.caldav_conflicts': CaldavConflictsTable;
  'calendar.working_hours': WorkingHoursTable;
  'calendar.feed_tokens': FeedTokensTable;
  'calendar.caldav_accounts': CaldavAccountsTable;
  'calendar.caldav_sync_status': CaldavSyncStatusTable;
  'calendar.caldav_resources': CaldavResourcesTable;
  'calendar.caldav_unreadable': CaldavUnreadableTable;
  'calendar.caldav_removed_copies': CaldavRemovedCopiesTable;
  'calendar.caldav_removed_occurrences': CaldavRemovedOccurrencesTable;
  'calendar.calendar_events': CalendarEventsTable;
  'calendar.event_participants': EventParticipantsTable;
  'calendar.occurrence_responses': OccurrenceResponsesTable;
}
