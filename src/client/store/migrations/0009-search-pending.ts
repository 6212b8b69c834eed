import type { Migration } from '../migrate';

/**
 * ŞÖKs stored without their full-text row yet (a bulk pull defers indexing, see
 * createSearchBacklog in search-index.ts); they are indexed in the background and, until then,
 * matched by a scan so that search never misses them.
 */
export const searchPending: Migration = {
  version: 9,
  name: '0009-search-pending',
  up(db) {
    db.exec(`CREATE TABLE sok_search_pending (local_rowid INTEGER PRIMARY KEY) STRICT;`);
  },
};
