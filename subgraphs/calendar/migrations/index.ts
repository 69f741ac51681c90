/**
 * The `calendar` schema: events (with RECURRENCE-ID overrides as child rows
 * of their series) and their participants.
 */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../platform/database/migrate.js';
import { addEventJsonTexts } from './event-json-texts.js';

export const calendarMigrations: Migrations = {
  '0001-events': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('calendar');
      await schema
        .createTable('calendar_events')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('parent_id', 'uuid', (col) => col.references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('recurrence_id', 'timestamptz')
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('location', 'text')
        .addColumn('start_time', 'timestamptz', (col) => col.notNull())
        .addColumn('end_time', 'timestamptz')
        .addColumn('all_day', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('timezone', 'text', (col) => col.notNull().defaultTo('UTC'))
        .addColumn('recurrence_rule', 'text')
        .addColumn('exdates', sql`timestamptz[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('rdates', sql`timestamptz[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('series_until', 'timestamptz')
        .addColumn('event_type', 'text', (col) =>
          col.notNull().check(sql`event_type IN ('MEETING', 'TASK_DEADLINE', 'MILESTONE', 'LEAVE', 'HOLIDAY', 'REMINDER', 'LIVE_CLASS', 'CUSTOM')`),
        )
        .addColumn('source_module', 'text')
        .addColumn('entity_type', 'text')
        .addColumn('entity_id', 'text')
        .addColumn('course_id', 'text')
        .addColumn('organizer_id', 'text')
        .addColumn('is_cancelled', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('external_id', 'text')
        .addColumn('last_synced_at', 'timestamptz')
        .addColumn('metadata', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('sequence', 'integer', (col) => col.notNull().defaultTo(0))
        .addCheckConstraint('calendar_events_end_after_start', sql`end_time IS NULL OR end_time >= start_time`)
        .addCheckConstraint('calendar_events_override_shape', sql`(parent_id IS NULL) = (recurrence_id IS NULL)`)
        .execute();
      // One event per source record: event handlers upsert on it, so a redelivered event changes nothing.
      await schema
        .createIndex('calendar_events_source')
        .on('calendar_events')
        .columns(['company_id', 'source_module', 'entity_type', 'entity_id'])
        .unique()
        .where(sql.ref('entity_id'), 'is not', null)
        .where(sql.ref('parent_id'), 'is', null)
        .execute();
      await schema
        .createIndex('calendar_events_override')
        .on('calendar_events')
        .columns(['parent_id', 'recurrence_id'])
        .unique()
        .where(sql.ref('parent_id'), 'is not', null)
        .execute();
      await schema.createIndex('calendar_events_company_start').on('calendar_events').columns(['company_id', 'start_time']).execute();
      await schema.createIndex('calendar_events_course').on('calendar_events').columns(['company_id', 'course_id']).where(sql.ref('course_id'), 'is not', null).execute();
      await schema.createIndex('calendar_events_external').on('calendar_events').columns(['company_id', 'external_id']).where(sql.ref('external_id'), 'is not', null).execute();

      await schema
        .createTable('event_participants')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('user_id', 'text')
        .addColumn('external_email', 'text')
        .addColumn('external_name', 'text')
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('PENDING').check(sql`status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'TENTATIVE')`))
        .addColumn('is_organizer', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('responded_at', 'timestamptz')
        .addCheckConstraint('event_participants_who', sql`user_id IS NOT NULL OR external_email IS NOT NULL OR external_name IS NOT NULL`)
        .execute();
      await schema
        .createIndex('event_participants_event_user')
        .on('event_participants')
        .columns(['event_id', 'user_id'])
        .unique()
        .where(sql.ref('user_id'), 'is not', null)
        .execute();
      await schema.createIndex('event_participants_user').on('event_participants').columns(['user_id', 'event_id']).where(sql.ref('user_id'), 'is not', null).execute();
      await sql`CREATE UNIQUE INDEX event_participants_event_email ON calendar.event_participants (event_id, lower(external_email)) WHERE external_email IS NOT NULL`.execute(db);
    },
  },
  '0002-occurrence-responses': {
    async up(db: Kysely<any>) {
      // An answer for one occurrence of a series ("not this Monday"), beside the series-wide status.
      await db.schema
        .withSchema('calendar')
        .createTable('occurrence_responses')
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('recurrence_id', 'timestamptz', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'TENTATIVE')`))
        .addColumn('responded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('occurrence_responses_pk', ['event_id', 'user_id', 'recurrence_id'])
        .execute();
    },
  },
  '0003-caldav': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('calendar');
      // A user's CalDAV calendar; the app password is encrypted (AES-256-GCM, see caldav/credentials.ts).
      await schema
        .createTable('caldav_accounts')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('server_url', 'text', (col) => col.notNull())
        .addColumn('username', 'text', (col) => col.notNull())
        .addColumn('password_encrypted', 'text', (col) => col.notNull())
        .addColumn('calendar_url', 'text', (col) => col.notNull())
        .addColumn('sync_token', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('caldav_accounts_calendar', ['company_id', 'user_id', 'calendar_url'])
        .execute();
      // Progress and outcome of the account's sync, updated as it goes.
      await schema
        .createTable('caldav_sync_status')
        .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('state', 'text', (col) => col.notNull().defaultTo('IDLE').check(sql`state IN ('IDLE', 'RUNNING', 'FAILED')`))
        .addColumn('total', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('done', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_started_at', 'timestamptz')
        .addColumn('last_success_at', 'timestamptz')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'timestamptz')
        .execute();
      // Which remote object holds which event series, at which ETag, in sync with which version of ours.
      await schema
        .createTable('caldav_resources')
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('href', 'text', (col) => col.notNull())
        .addColumn('etag', 'text')
        .addColumn('synced_version', 'timestamptz', (col) => col.notNull())
        .addPrimaryKeyConstraint('caldav_resources_pk', ['account_id', 'event_id'])
        .addUniqueConstraint('caldav_resources_href', ['account_id', 'href'])
        .execute();
    },
  },
  '0004-feed-tokens': {
    async up(db: Kysely<any>) {
      // Secret iCalendar feed URLs: only the token's SHA-256 is kept, so the table cannot be read back into URLs.
      await db.schema
        .withSchema('calendar')
        .createTable('feed_tokens')
        .addColumn('token_hash', 'text', (col) => col.primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('feed_tokens_user', ['company_id', 'user_id'])
        .execute();
    },
  },
  '0005-caldav-owner': {
    async up(db: Kysely<any>) {
      // Who the account's owner is, as of their last connect or sync through the API: a background
      // pull applies remote changes with exactly these rights (the roles come only from their token).
      await db.schema
        .withSchema('calendar')
        .alterTable('caldav_accounts')
        .addColumn('owner_subject', 'text')
        .addColumn('owner_roles', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .execute();
    },
  },
  '0006-working-hours': {
    async up(db: Kysely<any>) {
      // A user's working days and hours in their own zone; absent: Monday to Friday 09:00-17:00 UTC.
      await db.schema
        .withSchema('calendar')
        .createTable('working_hours')
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('timezone', 'text', (col) => col.notNull())
        .addColumn('days', sql`smallint[]`, (col) => col.notNull())
        .addColumn('start_minute', 'integer', (col) => col.notNull())
        .addColumn('end_minute', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('working_hours_pk', ['company_id', 'user_id'])
        .execute();
    },
  },
  '0007-company-zone-and-completion': {
    async up(db: Kysely<any>) {
      // The zone a company's dates are in: a deadline given as a date is that day there, not in UTC.
      await db.schema
        .withSchema('calendar')
        .createTable('company_settings')
        .addColumn('company_id', 'uuid', (col) => col.primaryKey())
        .addColumn('timezone', 'text', (col) => col.notNull())
        .execute();
      // A done task or a reached milestone: shown on its event (and its SUMMARY) rather than hidden.
      await db.schema
        .withSchema('calendar')
        .alterTable('calendar_events')
        .addColumn('completed', 'boolean', (col) => col.notNull().defaultTo(false))
        .execute();
    },
  },
  '0008-caldav-sync-log-and-conflicts': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('calendar');
      // One row per finished sync of an account (the latest ones are kept): what the user reads as its log.
      await schema
        .createTable('caldav_sync_runs')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('started_at', 'timestamptz', (col) => col.notNull())
        .addColumn('finished_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('succeeded', 'boolean', (col) => col.notNull())
        .addColumn('pushed', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('pulled', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('conflicts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('full_resync', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('error', 'text')
        .execute();
      await schema.createIndex('caldav_sync_runs_account').on('caldav_sync_runs').columns(['account_id', 'started_at']).execute();
      // The losing side of a conflict, kept for the user to see (and copy back by hand).
      await schema
        .createTable('caldav_conflicts')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('href', 'text', (col) => col.notNull())
        .addColumn('kept', 'text', (col) => col.notNull().check(sql`kept IN ('CALENDAR', 'REMOTE')`))
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('losing_icalendar', 'text', (col) => col.notNull())
        .addColumn('occurred_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('caldav_conflicts_account').on('caldav_conflicts').columns(['account_id', 'occurred_at']).execute();
    },
  },
  '0009-reminders': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('calendar');
      // An event's own reminders (minutes before each occurrence); null: each person's defaults.
      await schema.alterTable('calendar_events').addColumn('reminder_minutes', sql`integer[]`).execute();
      await schema
        .createTable('reminder_defaults')
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('minutes', sql`integer[]`, (col) => col.notNull())
        .addPrimaryKeyConstraint('reminder_defaults_pk', ['company_id', 'user_id'])
        .execute();
      // One row per reminder sent: the key makes it once, whatever restarts or replicas do.
      await schema
        .createTable('reminder_deliveries')
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('occurrence_start', 'timestamptz', (col) => col.notNull())
        .addColumn('minutes_before', 'integer', (col) => col.notNull())
        .addColumn('sent_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('reminder_deliveries_pk', ['event_id', 'user_id', 'occurrence_start', 'minutes_before'])
        .execute();
      // How far reminders have been sent: a restarted process goes on from here (single row).
      await schema
        .createTable('reminder_progress')
        .addColumn('id', 'smallint', (col) => col.primaryKey().check(sql`id = 1`))
        .addColumn('sent_until', 'timestamptz', (col) => col.notNull())
        .execute();
    },
  },
  '0010-source-versions': {
    async up(db: Kysely<any>) {
      // The newest version (the source's updated_at) of each mirrored record seen, and whether it removed the record.
      await db.schema
        .withSchema('calendar')
        .createTable('source_versions')
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('source_module', 'text', (col) => col.notNull())
        .addColumn('entity_type', 'text', (col) => col.notNull())
        .addColumn('entity_id', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
        .addColumn('removed', 'boolean', (col) => col.notNull())
        .addPrimaryKeyConstraint('source_versions_pk', ['company_id', 'source_module', 'entity_type', 'entity_id'])
        .execute();
    },
  },
  '0011-delegated-answers': {
    async up(db: Kysely<any>) {
      // PARTSTAT=DELEGATED (RFC 5545 3.2.12), as a guest's calendar app answers: stored, not overwritten by ours.
      const statuses = sql`status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED')`;
      for (const table of ['event_participants', 'occurrence_responses']) {
        await sql`ALTER TABLE ${sql.table(`calendar.${table}`)} DROP CONSTRAINT IF EXISTS ${sql.ref(`${table}_status_check`)}`.execute(db);
        await sql`ALTER TABLE ${sql.table(`calendar.${table}`)} ADD CONSTRAINT ${sql.ref(`${table}_status_check`)} CHECK (${statuses})`.execute(db);
      }
    },
  },
  '0012-caldav-skipped-objects': {
    async up(db: Kysely<any>) {
      // The server's objects a sync left out ({href, reason} each): the user sees which and why, not only the server log.
      await sql`ALTER TABLE calendar.caldav_sync_runs ADD COLUMN skipped jsonb NOT NULL DEFAULT '[]'::jsonb`.execute(db);
    },
  },
  '0013-caldav-reread-guests': {
    async up(db: Kysely<any>) {
      // Rooms and resources (CUTYPE=ROOM or RESOURCE) pulled before 838bfd3 were stored as outside guests, and a pull
      // reads an object again only once its ETag changes: the objects of events with guests are read again on each
      // account's next sync (a full one: no token, those ETags forgotten), where the app's copy says which is a room.
      const reread = sql`EXISTS (SELECT 1 FROM calendar.event_participants p WHERE p.event_id = r.event_id AND p.external_email IS NOT NULL)`;
      await sql`UPDATE calendar.caldav_accounts a SET sync_token = NULL
        WHERE EXISTS (SELECT 1 FROM calendar.caldav_resources r WHERE r.account_id = a.id AND ${reread})`.execute(db);
      await sql`UPDATE calendar.caldav_resources r SET etag = NULL WHERE ${reread}`.execute(db);
    },
  },
  '0014-caldav-unreadable': {
    async up(db: Kysely<any>) {
      // Server objects a sync could not read, at the ETag it could not: not fetched nor read again until that changes.
      await db.schema
        .withSchema('calendar')
        .createTable('caldav_unreadable')
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('href', 'text', (col) => col.notNull())
        .addColumn('etag', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('event_version', 'timestamptz')
        .addColumn('noted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('caldav_unreadable_pk', ['account_id', 'href'])
        .execute();
    },
  },
  '0015-caldav-removed-copies': {
    async up(db: Kysely<any>) {
      // A participant's copy they deleted in their app (a decline, RFC 6638): not pushed back while the event still
      // says what they declined (`answered`, caldav/answered-content.ts); a reschedule asks them again (RFC 5546).
      await db.schema
        .withSchema('calendar')
        .createTable('caldav_removed_copies')
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('answered', 'text', (col) => col.notNull())
        .addColumn('removed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('caldav_removed_copies_pk', ['account_id', 'event_id'])
        .execute();
    },
  },
  '0016-caldav-removed-occurrences': {
    async up(db: Kysely<any>) {
      // One occurrence a participant deleted from their copy of a series (an EXDATE: a decline of it): kept out of
      // that copy while the occurrence still says what they declined (`answered`, caldav/answered-content.ts).
      await db.schema
        .withSchema('calendar')
        .createTable('caldav_removed_occurrences')
        .addColumn('account_id', 'uuid', (col) => col.notNull().references('calendar.caldav_accounts.id').onDelete('cascade'))
        .addColumn('event_id', 'uuid', (col) => col.notNull().references('calendar.calendar_events.id').onDelete('cascade'))
        .addColumn('recurrence_id', 'timestamptz', (col) => col.notNull())
        .addColumn('answered', 'text', (col) => col.notNull())
        .addColumn('removed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('caldav_removed_occurrences_pk', ['account_id', 'event_id', 'recurrence_id'])
        .execute();
    },
  },
  '0017-caldav-removed-occurrences-answer-before': {
    async up(db: Kysely<any>) {
      // The participant's own answer to the occurrence before their delete declined it (null: it followed their answer
      // to the series): what a restore in their app gives back (services/occurrences-kept-out.ts).
      await db.schema.withSchema('calendar').alterTable('caldav_removed_occurrences').addColumn('answer_before', 'text').execute();
    },
  },
  '0018-event-json-texts': { up: addEventJsonTexts },
};
