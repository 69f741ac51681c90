import { isUuid } from '../../../platform/ids.js';

/** ERP ids are UUIDs; anything else can match no row (and must not reach a uuid column, where it would be an SQL error). */
export { isUuid };

export const onlyUuids = (ids: readonly string[]) => ids.filter(isUuid);
