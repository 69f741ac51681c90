/**
 * int8 (bigint: Moodle ids, counts) is read as the text PostgreSQL sends.
 * pg's default parser gives the same string back (it only tests it against
 * a regular expression, then returns it either way), which cost an entity
 * fetch of 740 live classes about 38 KiB of garbage for their course ids.
 */
import pg from 'pg';

const INT8_OID = 20;
const asSent = (text: string) => text;

/** Makes every pg client of this process keep int8 values as their text, as pg's own parser ends up doing. */
export function keepInt8AsText(): void {
  pg.types.setTypeParser(INT8_OID, 'text', asSent);
}
