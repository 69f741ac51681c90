/** Meet's schema (`meet`): live classes, their recordings and attendance, and applied webhooks. */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../platform/database/migrate.js';
import { addScheduledAtJson } from './scheduled-at-json.js';

export const meetMigrations: Migrations = {
  '0001-live-classes': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('meet');
      await schema
        .createTable('live_classes')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('course_id', 'bigint', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('scheduled_at', 'timestamptz', (col) => col.notNull())
        .addColumn('duration_minutes', 'integer', (col) => col.notNull().check(sql`duration_minutes BETWEEN 1 AND 1440`))
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('SCHEDULED').check(sql`status IN ('SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED')`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('ended_at', 'timestamptz')
        .addColumn('room_name', 'text', (col) => col.notNull().unique())
        .addColumn('host_user_id', 'bigint', (col) => col.notNull())
        .addColumn('record', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('room_opened_at', 'timestamptz')
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('live_classes_course').on('live_classes').columns(['company_id', 'course_id', 'scheduled_at']).execute();
      // Reconciliation scans the live ones.
      await schema.createIndex('live_classes_live').on('live_classes').column('status').where(sql.ref('status'), '=', 'LIVE').execute();

      await schema
        .createTable('recordings')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('live_class_id', 'uuid', (col) => col.notNull().references('meet.live_classes.id').onDelete('cascade'))
        .addColumn('course_id', 'bigint', (col) => col.notNull())
        .addColumn('egress_id', 'text', (col) => col.notNull().unique())
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('RECORDING').check(sql`status IN ('RECORDING', 'PROCESSING', 'READY', 'FAILED', 'DELETED')`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('ended_at', 'timestamptz')
        .addColumn('duration_seconds', 'integer')
        .addColumn('size_bytes', 'bigint')
        .addColumn('storage', 'text', (col) => col.notNull())
        .addColumn('file_key', 'text')
        .addColumn('location', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('recordings_class').on('recordings').columns(['live_class_id', 'created_at']).execute();
      await schema.createIndex('recordings_course').on('recordings').columns(['company_id', 'course_id']).execute();

      await schema
        .createTable('attendance')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('live_class_id', 'uuid', (col) => col.notNull().references('meet.live_classes.id').onDelete('cascade'))
        .addColumn('user_id', 'bigint')
        .addColumn('participant_identity', 'text', (col) => col.notNull())
        .addColumn('participant_sid', 'text', (col) => col.notNull())
        .addColumn('joined_at', 'timestamptz')
        .addColumn('left_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('attendance_session', ['live_class_id', 'participant_sid'])
        .execute();

      await schema
        .createTable('webhook_events')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('room_name', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull())
        .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  // Wait for moderator (a class goes LIVE when a teacher arrives; students before wait: WAITING) and participant kinds.
  '0002-waiting-and-participant-kinds': {
    async up(db: Kysely<any>) {
      await sql`ALTER TABLE meet.live_classes DROP CONSTRAINT IF EXISTS live_classes_status_check`.execute(db);
      await sql`ALTER TABLE meet.live_classes ADD CONSTRAINT live_classes_status_check
        CHECK (status IN ('SCHEDULED', 'WAITING', 'LIVE', 'ENDED', 'CANCELLED'))`.execute(db);
      await db.schema
        .withSchema('meet')
        .alterTable('live_classes')
        .addColumn('wait_for_moderator', 'boolean', (col) => col.notNull().defaultTo(true))
        .execute();
      // LiveKit's ParticipantInfo.Kind: only STANDARD participants are attendees.
      await db.schema
        .withSchema('meet')
        .alterTable('attendance')
        .addColumn('participant_kind', 'text', (col) => col.notNull().defaultTo('STANDARD'))
        .execute();
    },
  },
  // Moderation: each user's standing in a class (hand raised, promoted to speak, removed) and the audit of every action.
  '0003-moderation': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('meet');
      await schema
        .createTable('class_participants')
        .addColumn('live_class_id', 'uuid', (col) => col.notNull().references('meet.live_classes.id').onDelete('cascade'))
        .addColumn('user_id', 'bigint', (col) => col.notNull())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('hand_raised_at', 'timestamptz')
        .addColumn('promoted_at', 'timestamptz')
        .addColumn('removed_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('class_participants_pkey', ['live_class_id', 'user_id'])
        .execute();
      await schema
        .createTable('moderation_log')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('live_class_id', 'uuid', (col) => col.notNull().references('meet.live_classes.id').onDelete('cascade'))
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('actor_user_id', 'bigint')
        .addColumn('actor_subject', 'text', (col) => col.notNull())
        .addColumn('target_user_id', 'bigint', (col) => col.notNull())
        .addColumn('detail', 'text')
        // The time of the action itself, so that actions of one transaction keep their order.
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await schema.createIndex('moderation_log_class').on('moderation_log').columns(['live_class_id', 'created_at']).execute();
    },
  },
  // Recordings teachers hide from students; the last time reconciliation saw a participant in the room.
  '0004-published-recordings-and-last-seen': {
    async up(db: Kysely<any>) {
      await db.schema
        .withSchema('meet')
        .alterTable('recordings')
        .addColumn('published', 'boolean', (col) => col.notNull().defaultTo(true))
        .execute();
      await db.schema.withSchema('meet').alterTable('attendance').addColumn('last_seen_at', 'timestamptz').execute();
    },
  },
  // An interval meet closed itself (class end, reconciliation) rather than by LiveKit's participant_left: a later left corrects it.
  '0005-attendance-left-inferred': {
    async up(db: Kysely<any>) {
      await db.schema
        .withSchema('meet')
        .alterTable('attendance')
        .addColumn('left_inferred', 'boolean', (col) => col.notNull().defaultTo(false))
        .execute();
    },
  },
  // scheduled_at as the DateTime scalar's JSON text, so that course lists written by PostgreSQL copy it, not format it.
  '0006-scheduled-at-json': { up: addScheduledAtJson },
  // A recording start under way (recordings/recording-control.ts): claimed before LiveKit is called, no lock held across it.
  '0007-recording-starts': {
    async up(db: Kysely<any>) {
      await db.schema
        .withSchema('meet')
        .createTable('recording_starts')
        .addColumn('live_class_id', 'uuid', (col) => col.primaryKey().references('meet.live_classes.id').onDelete('cascade'))
        .addColumn('claim', 'uuid', (col) => col.notNull())
        .addColumn('claimed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  // A start whose LiveKit answer was lost keeps its claim, unconfirmed, until Egress is asked (recording-control.ts).
  '0008-recording-start-unconfirmed': {
    async up(db: Kysely<any>) {
      await db.schema.withSchema('meet').alterTable('recording_starts').addColumn('unconfirmed_at', 'timestamptz').execute();
    },
  },
  // A start's claim names the file it asks for, so that only its own egress settles it (recordings/apply-egress.ts).
  '0009-recording-start-file-key': {
    async up(db: Kysely<any>) {
      await db.schema.withSchema('meet').alterTable('recording_starts').addColumn('file_key', 'text').execute();
    },
  },
};
