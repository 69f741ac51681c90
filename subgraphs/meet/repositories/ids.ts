/** Ids from clients reach SQL only in the shape the column has, so a malformed id is "not found", never a crash. */
import { isUuid } from '../../../platform/ids.js';

/**
 * A Moodle id as Moodle writes one: digits without a leading zero. '005' is no id: taken as one, PostgreSQL's
 * bigint would read it as 5, and a LiveKit identity '005' (an integrator's token) would count as user 5.
 */
const MOODLE_ID = /^[1-9]\d{0,17}$/;

export { isUuid };
export const isMoodleId = (id: string) => MOODLE_ID.test(id);
export const uuidsOnly = (ids: readonly string[]) => ids.filter(isUuid);
export const moodleIdsOnly = (ids: readonly string[]) => ids.filter(isMoodleId);
