const START = Object.freeze({ offset: 0, lastCreatedAt: null, lastIds: [] });
function pageStart(cursor) {
  return cursor.lastCreatedAt === null ? cursor.offset : Math.max(0, cursor.offset - 1);
}
function planPage(cursor, page) {
  const { start, limit, records } = page;
  const last = cursor.lastCreatedAt;
  const first = records[0];
  if (last !== null && start > 0 && (first === void 0 || first.createdAt > last)) {
    return { kind: "rewind", start: Math.max(0, start - limit) };
  }
  const fresh = last === null ? [...records] : records.filter((record) => isAfter(record, last, cursor.lastIds));
  return { kind: "accept", fresh, cursor: advance(cursor, start, records), last: records.length < limit };
}
function isAfter(record, lastCreatedAt, lastIds) {
  return record.createdAt > lastCreatedAt || record.createdAt === lastCreatedAt && !lastIds.includes(record.id);
}
function advance(cursor, start, records) {
  let lastCreatedAt = cursor.lastCreatedAt;
  let lastIds = cursor.lastIds;
  for (const record of records) {
    if (lastCreatedAt === null || record.createdAt > lastCreatedAt) {
      lastCreatedAt = record.createdAt;
      lastIds = [record.id];
    } else if (record.createdAt === lastCreatedAt && !lastIds.includes(record.id)) {
      lastIds = [...lastIds, record.id];
    }
  }
  return { offset: start + records.length, lastCreatedAt, lastIds };
}
export {
  START,
  pageStart,
  planPage
};
