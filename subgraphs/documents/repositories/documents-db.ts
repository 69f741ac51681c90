import type { Kysely, Transaction } from 'kysely';
import { isUuid } from '../../../platform/ids.js';
import type { DocumentsDatabase } from '../database.js';

export type DocumentsDb = Kysely<DocumentsDatabase>;
export type DocumentsTrx = Transaction<DocumentsDatabase>;

export { isUuid };

/** Ids that can be uuids at all: anything else would make PostgreSQL fail the whole statement. */
export const uuidsOnly = (ids: readonly string[]) => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
