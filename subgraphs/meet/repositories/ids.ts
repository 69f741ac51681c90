/** Ids from clients reach SQL only in the shape the column has, so a malformed id is "not found", never a crash. */
import { isUuid } from '../../../platform/ids.js';

const MOODLE_ID = /^\d{1,18}$/;

export { isUuid };
export const isMoodleId = (id: string) => MOODLE_ID.test(id);
export const uuidsOnly = (ids: readonly string[]) => ids.filter(isUuid);
export const moodleIdsOnly = (ids: readonly string[]) => ids.filter(isMoodleId);
