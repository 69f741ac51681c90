/**
 * The event backbone's own schema, `events`: the outbox every subgraph
 * publishes into (in the same transaction as its change), and the state of
 * its consumers: cursors per consumer group and partition, processed marks,
 * dead letters, and ids of events received from outside.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Migrations } from '../database/migrate.js';

const createOutbox: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('outbox')
      .addColumn('position', 'bigserial', (col) => col.primaryKey())
      .addColumn('id', 'uuid', (col) => col.notNull().unique().defaultTo(sql`gen_random_uuid()`))
      .addColumn('topic', 'text', (col) => col.notNull())
      .addColumn('company_id', 'uuid', (col) => col.notNull())
      .addColumn('entity_key', 'text', (col) => col.notNull())
      .addColumn('payload', 'jsonb', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      // The writing transaction's id: consumers read only below the oldest
      // running transaction, so a slow commit can never be skipped.
      .addColumn('txid', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('outbox_topic_position').on('outbox').columns(['topic', 'position']).execute();
  },
};

const createConsumerState: Migration = {
  async up(db: Kysely<any>) {
    // 0001 ran without a schema, so its table landed on the search path (public): move it where publishEvent writes.
    await sql`DO $$ BEGIN
      IF to_regclass('events.outbox') IS NULL AND to_regclass('public.outbox') IS NOT NULL THEN
        ALTER TABLE public.outbox SET SCHEMA events;
      END IF;
    END $$`.execute(db);
    const schema = db.schema.withSchema('events');
    // Stored at insert, so an event's partition never changes (not even across a PostgreSQL upgrade).
    await sql`ALTER TABLE events.outbox ADD COLUMN key_hash integer GENERATED ALWAYS AS (hashtext(entity_key)) STORED`.execute(db);
    // Consumers read in (txid, position) order: see README.md, "Ordering".
    await schema.createIndex('outbox_txid_position').on('outbox').columns(['txid', 'position']).execute();
    await schema.createIndex('outbox_created_at').on('outbox').column('created_at').execute();

    await schema
      .createTable('consumer_groups')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('topics', sql`text[]`, (col) => col.notNull())
      .addColumn('partitions', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await schema
      .createTable('consumer_cursors')
      .addColumn('group_name', 'text', (col) => col.notNull().references('consumer_groups.name').onDelete('cascade'))
      .addColumn('partition', 'integer', (col) => col.notNull())
      // Everything at or before (txid, position) is handled (or dead-lettered).
      .addColumn('txid', sql`xid8`, (col) => col.notNull())
      .addColumn('position', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('consumer_cursors_pkey', ['group_name', 'partition'])
      .execute();
    await schema
      .createTable('processed')
      .addColumn('group_name', 'text', (col) => col.notNull())
      .addColumn('event_id', 'uuid', (col) => col.notNull())
      .addColumn('processed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('processed_pkey', ['group_name', 'event_id'])
      .execute();
    await schema.createIndex('processed_processed_at').on('processed').column('processed_at').execute();
    await schema
      .createTable('dead_letters')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('group_name', 'text', (col) => col.notNull())
      // A copy of the event, so that pruning the outbox never loses a dead letter.
      .addColumn('event_id', 'uuid', (col) => col.notNull())
      .addColumn('position', 'bigint', (col) => col.notNull())
      .addColumn('topic', 'text', (col) => col.notNull())
      .addColumn('company_id', 'uuid', (col) => col.notNull())
      .addColumn('entity_key', 'text', (col) => col.notNull())
      .addColumn('payload', 'jsonb', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('event_created_at', 'timestamptz', (col) => col.notNull())
      .addColumn('error', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('failed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('replay_requested_at', 'timestamptz')
      .addColumn('resolved_at', 'timestamptz')
      .addColumn('resolution', 'text') // 'replayed' | 'discarded'
      .addUniqueConstraint('dead_letters_group_event', ['group_name', 'event_id'])
      .execute();
    await schema.createIndex('dead_letters_open').on('dead_letters').columns(['group_name', 'id']).where(sql.ref('resolved_at'), 'is', null).execute();
    await schema
      .createTable('ingested')
      .addColumn('sender', 'text', (col) => col.notNull())
      .addColumn('sender_event_id', 'text', (col) => col.notNull())
      .addColumn('event_id', 'uuid', (col) => col.notNull())
      .addColumn('body_sha256', 'text', (col) => col.notNull())
      .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('ingested_pkey', ['sender', 'sender_event_id'])
      .execute();
    await schema.createIndex('ingested_received_at').on('ingested').column('received_at').execute();
  },
};

const tuneOutbox: Migration = {
  async up(db: Kysely<any>) {
    // Readers go in (txid, position) order; an index by topic only lured the planner into scanning
    // every event of a topic on each read while the table was young and its statistics stale.
    await sql`DROP INDEX IF EXISTS events.outbox_topic_position`.execute(db);
    // The outbox grows fast and is read hundreds of times a second: keep its statistics fresh.
    await sql`ALTER TABLE events.outbox SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000)`.execute(db);
  },
};

const persistAttempts: Migration = {
  async up(db: Kysely<any>) {
    // Deliveries begun per event, counted before its handler runs (and committed on their own): a handler
    // that kills its process is counted too, and dead-lettered after maxAttempts instead of looping forever.
    // A row lives until the event is handled or dead-lettered (same transaction).
    await db.schema
      .withSchema('events')
      .createTable('delivery_attempts')
      .addColumn('group_name', 'text', (col) => col.notNull())
      .addColumn('event_id', 'uuid', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('error', 'text')
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('delivery_attempts_pkey', ['group_name', 'event_id'])
      .execute();
    // When a process of the group last ran: pruning stops waiting for a group gone for long (prune-events.ts).
    await sql`ALTER TABLE events.consumer_groups ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  },
};

export const eventMigrations: Migrations = {
  '0001-outbox': createOutbox,
  '0002-consumers': createConsumerState,
  '0003-outbox-reads': tuneOutbox,
  '0004-attempts-and-liveness': persistAttempts,
};
export const EVENTS_SCHEMA = 'events';
