/**
 * The event backbone's own schema, `events`: the outbox every subgraph
 * publishes into, in the same transaction as its change.
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

export const eventMigrations: Migrations = { '0001-outbox': createOutbox };
export const EVENTS_SCHEMA = 'events';
