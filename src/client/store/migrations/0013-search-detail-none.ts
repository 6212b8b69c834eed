import type { Migration } from '../migrate';

/**
 * The place and full-text tables keep rowids only (`detail = 'none'`), not the column and the
 * position of every token: every query is single words and prefixes ANDed (docs/search.md), never
 * a phrase or a column filter, so the positions were written and never read. A first sync writes
 * the full-text rows of every ŞÖK; this makes each cheaper and the file smaller.
 *
 * Both tables are made again empty and every ŞÖK is listed for the background indexer, which
 * writes their rows with today's code; the name table (written with the row) is left as it is.
 */
const FTS = `content = '', contentless_delete = 1, detail = 'none',
        tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5 6 7 8 9 10'`;

export const searchDetailNone: Migration = {
  version: 13,
  name: '0013-search-detail-none',
  up(db) {
    db.exec(`
      DROP TABLE sok_search;
      DROP TABLE sok_search_place;
      CREATE VIRTUAL TABLE sok_search USING fts5(folded, ${FTS});
      CREATE VIRTUAL TABLE sok_search_place USING fts5(folded, ${FTS});
      INSERT OR IGNORE INTO sok_search_pending (local_rowid) SELECT local_rowid FROM sok;
    `);
  },
};
