import type { Kysely, Transaction } from 'kysely';
import type { DocumentsDatabase } from '../database.js';

export type DocumentsDb = Kysely<DocumentsDatabase>;
export type DocumentsTrx = Transaction<DocumentsDatabase>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** Ids that can be uuids at all: anything else would make PostgreSQL fail the whole statement. */
export const uuidsOnly = (ids: readonly string[]) => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
