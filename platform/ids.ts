/** Identifier formats checked in more than one place. */

/** A UUID in its canonical text form (any version), as PostgreSQL's uuid type prints it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value can go into a uuid column: anything else would be an SQL error there, not "no row". */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);
