/** Ids from clients reach SQL only in the shape the column has, so a malformed id is "not found", never a crash. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MOODLE_ID = /^\d{1,18}$/;

export const isUuid = (id: string) => UUID.test(id);
export const isMoodleId = (id: string) => MOODLE_ID.test(id);
export const uuidsOnly = (ids: readonly string[]) => ids.filter(isUuid);
export const moodleIdsOnly = (ids: readonly string[]) => ids.filter(isMoodleId);
