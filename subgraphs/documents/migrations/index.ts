/**
 * The `documents` schema: documents (with their current version's object
 * copied in, so lists need no join), every version's own stored object,
 * share links (token hashes only), pending uploads and per-company storage.
 */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../platform/database/migrate.js';
import { shareLinkMakers } from './share-link-makers.js';
import { shareLinkMakerRoles } from './share-link-maker-roles.js';
import { fullTextSearch } from './full-text-search.js';

export const documentsMigrations: Migrations = {
  '0001-documents': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('documents');
      await schema
        .createTable('documents')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('filename', 'text', (col) => col.notNull())
        .addColumn('original_filename', 'text')
        .addColumn('mime_type', 'text')
        .addColumn('size', 'bigint', (col) => col.notNull().check(sql`size >= 0`))
        .addColumn('checksum', 'text', (col) => col.notNull().check(sql`checksum ~ '^[0-9a-f]{64}$'`))
        .addColumn('category', 'text')
        .addColumn('tags', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
        .addColumn('entity_type', 'text', (col) => col.notNull().check(sql`entity_type IN ('quote', 'invoice', 'project', 'task', 'employee', 'course')`))
        .addColumn('entity_id', 'text', (col) => col.notNull())
        .addColumn('is_archived', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('deleted_at', 'timestamptz')
        .addColumn('storage_backend', 'text', (col) => col.notNull().check(sql`storage_backend IN ('local', 'webdav', 's3')`))
        .addColumn('storage_key', 'text', (col) => col.notNull())
        .addColumn('uploaded_by', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('documents_entity').on('documents').columns(['company_id', 'entity_type', 'entity_id']).execute();
      await schema.createIndex('documents_company_created').on('documents').columns(['company_id', 'created_at']).execute();
      await schema.createIndex('documents_tags').on('documents').using('gin').column('tags').execute();
      await schema.createIndex('documents_trash').on('documents').column('deleted_at').where(sql.ref('deleted_at'), 'is not', null).execute();

      await schema
        .createTable('document_versions')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('document_id', 'uuid', (col) => col.notNull().references('documents.documents.id').onDelete('cascade'))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
        .addColumn('filename', 'text', (col) => col.notNull())
        .addColumn('original_filename', 'text')
        .addColumn('mime_type', 'text')
        .addColumn('size', 'bigint', (col) => col.notNull().check(sql`size >= 0`))
        .addColumn('checksum', 'text', (col) => col.notNull().check(sql`checksum ~ '^[0-9a-f]{64}$'`))
        .addColumn('storage_backend', 'text', (col) => col.notNull())
        .addColumn('storage_key', 'text', (col) => col.notNull())
        .addColumn('restored_from', 'integer')
        .addColumn('uploaded_by', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('document_versions_number', ['document_id', 'version'])
        .execute();

      await schema
        .createTable('share_links')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('document_id', 'uuid', (col) => col.notNull().references('documents.documents.id').onDelete('cascade'))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('token_hash', 'text', (col) => col.notNull().unique())
        .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('download_count', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('share_links_document').on('share_links').column('document_id').execute();

      await schema
        .createTable('upload_sessions')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        // The document the bytes are for: allocated here for a new document, an existing one for a new version.
        .addColumn('document_id', 'uuid', (col) => col.notNull())
        .addColumn('new_version', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('entity_type', 'text', (col) => col.notNull())
        .addColumn('entity_id', 'text', (col) => col.notNull())
        .addColumn('filename', 'text', (col) => col.notNull())
        .addColumn('original_filename', 'text', (col) => col.notNull())
        .addColumn('category', 'text')
        .addColumn('tags', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('declared_size', 'bigint', (col) => col.notNull())
        .addColumn('declared_checksum', 'text')
        .addColumn('storage_backend', 'text', (col) => col.notNull())
        .addColumn('storage_key', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending').check(sql`status IN ('pending', 'uploading', 'uploaded', 'completed')`))
        .addColumn('received_size', 'bigint')
        .addColumn('received_checksum', 'text')
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_by_user', 'text')
        .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('upload_sessions_expiry').on('upload_sessions').column('expires_at').execute();

      await schema
        .createTable('company_storage')
        .addColumn('company_id', 'uuid', (col) => col.primaryKey())
        .addColumn('backend', 'text', (col) => col.notNull().check(sql`backend IN ('local', 'webdav', 's3')`))
        .addColumn('max_file_bytes', 'bigint', (col) => col.check(sql`max_file_bytes > 0`))
        .execute();
    },
  },
  '0002-shares-nextcloud-and-settings': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('documents');
      // Wrong share passwords per link and client address (and per link, client '*'), in fixed windows.
      await schema
        .createTable('share_password_failures')
        .addColumn('share_id', 'uuid', (col) => col.notNull().references('documents.share_links.id').onDelete('cascade'))
        .addColumn('client', 'text', (col) => col.notNull())
        .addColumn('window_start', 'timestamptz', (col) => col.notNull())
        .addColumn('failures', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('share_password_failures_pkey', ['share_id', 'client'])
        .execute();
      // A link served by us, or a share Nextcloud created (OCS API) and serves itself.
      await schema
        .alterTable('share_links')
        .addColumn('provider', 'text', (col) => col.notNull().defaultTo('documents').check(sql`provider IN ('documents', 'nextcloud')`))
        .execute();
      await schema.alterTable('share_links').addColumn('external_id', 'text').execute();
      await schema.alterTable('share_links').addColumn('external_url', 'text').execute();
      // The company's Nextcloud account for OCS shares; its app password AES-256-GCM encrypted, never returned.
      await schema
        .alterTable('company_storage')
        .addColumn('nextcloud_shares', 'boolean', (col) => col.notNull().defaultTo(false))
        .execute();
      await schema.alterTable('company_storage').addColumn('nextcloud_url', 'text').execute();
      await schema.alterTable('company_storage').addColumn('nextcloud_username', 'text').execute();
      await schema.alterTable('company_storage').addColumn('nextcloud_password_encrypted', 'text').execute();
      await schema.alterTable('company_storage').addColumn('updated_by', 'text').execute();
      await schema
        .alterTable('company_storage')
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0003-storage-profiles': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('documents');
      // A company's own WebDAV or S3 server. Never changed once written: objects name the profile they were stored with,
      // so that a company moving to another server does not orphan its old files.
      await schema
        .createTable('storage_profiles')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('backend', 'text', (col) => col.notNull().check(sql`backend IN ('webdav', 's3')`))
        // URL, user, root, bucket, region...: shown to admins.
        .addColumn('settings', 'jsonb', (col) => col.notNull())
        // The password or secret key, AES-256-GCM encrypted, never returned.
        .addColumn('secret_encrypted', 'text')
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('storage_profiles_company').on('storage_profiles').column('company_id').execute();
      for (const table of ['documents', 'document_versions', 'upload_sessions', 'company_storage']) {
        await schema
          .alterTable(table)
          .addColumn('storage_profile', 'uuid', (col) => col.references('documents.storage_profiles.id'))
          .execute();
      }
    },
  },
  '0004-edits-activity-concurrency': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('documents');
      await schema.alterTable('documents').addColumn('description', 'text').execute();
      // The version a new version replaces: completion refuses it when another version came first.
      await schema.alterTable('upload_sessions').addColumn('base_version', 'integer').execute();
      // Who did what to a document, in the order it happened (the identity orders entries of one instant too).
      await schema
        .createTable('document_activity')
        .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('document_id', 'uuid', (col) => col.notNull().references('documents.documents.id').onDelete('cascade'))
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_user', 'text')
        .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('document_activity_document').on('document_activity').columns(['document_id', 'id']).execute();
    },
  },
  '0005-readable-storage-keys': {
    async up(db: Kysely<any>) {
      // WebDAV keys are company / record / file name now: no two uploads may pick the same one on one server.
      await sql`CREATE UNIQUE INDEX upload_sessions_key ON documents.upload_sessions
        (storage_backend, coalesce(storage_profile, '00000000-0000-0000-0000-000000000000'::uuid), storage_key)`.execute(db);
      await db.schema.withSchema('documents').createIndex('document_versions_key').on('document_versions').columns(['storage_backend', 'storage_key']).execute();
    },
  },
  '0006-full-text-search': fullTextSearch,
  '0007-resumable-staging': {
    async up(db: Kysely<any>) {
      // The replica whose disk holds a resumable upload's staged bytes (its internal URL): the others forward to it.
      await db.schema.withSchema('documents').alterTable('upload_sessions').addColumn('staged_at', 'text').execute();
    },
  },
  '0008-share-link-makers': shareLinkMakers,
  '0009-share-link-maker-roles': shareLinkMakerRoles,
};
