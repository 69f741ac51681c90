const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ERP ids are UUIDs; anything else can match no row (and must not reach a uuid column, where it would be an SQL error). */
export const isUuid = (value: string) => UUID.test(value);

export const onlyUuids = (ids: readonly string[]) => ids.filter(isUuid);
