import type { Kysely } from 'kysely';
import { withSchemaOf } from '../../../platform/database/request-database.js';
import type { AcademyDatabase } from '../database.js';

/** Kysely over the Moodle database, with Moodle's tables resolved in MOODLE_SCHEMA. */
export interface AcademyDb {
  /** Queries on `mdl_*` tables; `academy.*` tables are always schema-qualified. */
  moodle: Kysely<AcademyDatabase>;
}

export function academyDb(db: Kysely<AcademyDatabase>, moodleSchema: string): AcademyDb {
  return { moodle: withSchemaOf(db, moodleSchema) };
}

/** Moodle stores times as unix seconds, 0 meaning "not set". */
export function fromUnixSeconds(value: string | number | null | undefined): Date | null {
  const seconds = Number(value ?? 0);
  return seconds > 0 ? new Date(seconds * 1000) : null;
}

export const unixNow = () => Math.floor(Date.now() / 1000);
