import type { Migration } from '../migrate';

/**
 * Prefix indexes up to 10 characters. With only '1 2 3', a typed prefix of 4+ characters made
 * FTS5 merge the posting list of every matching term before it could stop at the newest 50: on
 * 1,000,000 ŞÖKs "YILDIRIM" took 32 ms and "sokak lambası yanmıyor" 75 ms (bench/search.bench.ts).
 * The index holds no content; it is left empty here and every ŞÖK is indexed again by
 * 0011-search-classes (which lists all of them for the background indexer), so this migration
 * needs no live code.
 */
export const searchPrefixes: Migration = {
  version: 3,
  name: '0003-search-prefixes',
  up(db) {
    db.exec(`
      DROP TABLE sok_search;
      CREATE VIRTUAL TABLE sok_search USING fts5(
        folded,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '1 2 3 4 5 6 7 8 9 10'
      );
    `);
  },
};
