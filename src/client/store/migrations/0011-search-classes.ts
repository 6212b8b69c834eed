import type { Migration } from '../migrate';

/**
 * Search by class, findable from the first second (docs/search.md):
 * - `sok.phone_tail`, the phone's national digits read backwards, with a B-tree: "the number
 *   ending in 4567" is a range scan, and it is written with the row itself;
 * - `sok_search_name`, the citizen's folded name, also written with the row (even by a bulk
 *   pull), so name look-ups never wait for the background indexer;
 * - `sok_search_place`, mahalle + address + district, written with the full-text row.
 * Every existing ŞÖK is listed in `sok_search_pending`, so the background indexer writes its
 * place and full-text rows again with today's folding (address abbreviations, no number tokens).
 *
 * Frozen: the folding below is this version's, written out here, not imported.
 */
const TURKISH: Record<string, string> = {
  I: 'i',
  İ: 'i',
  ı: 'i',
  Ş: 's',
  ş: 's',
  Ç: 'c',
  ç: 'c',
  Ğ: 'g',
  ğ: 'g',
  Ö: 'o',
  ö: 'o',
  Ü: 'u',
  ü: 'u',
};

function foldedName(name: unknown): string {
  const folded = String(name ?? '')
    .replace(/[IİıŞşÇçĞğÖöÜü]/g, (ch) => TURKISH[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

function phoneTail(phone: unknown): string {
  let digits = String(phone ?? '').replace(/\D/g, '');
  if (digits.length === 12 && digits.startsWith('90')) digits = digits.slice(2);
  return [...digits].reverse().join('');
}

const FTS = `content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5 6 7 8 9 10'`;

export const searchClasses: Migration = {
  version: 11,
  name: '0011-search-classes',
  up(db) {
    db.function('alo153_v11_name', { deterministic: true }, foldedName);
    db.function('alo153_v11_phone_tail', { deterministic: true }, phoneTail);
    db.exec(`
      ALTER TABLE sok ADD COLUMN phone_tail TEXT NOT NULL DEFAULT '';
      UPDATE sok SET phone_tail = alo153_v11_phone_tail(citizen_phone);
      CREATE INDEX sok_phone_tail ON sok(phone_tail);
      CREATE VIRTUAL TABLE sok_search_name USING fts5(folded, ${FTS});
      CREATE VIRTUAL TABLE sok_search_place USING fts5(folded, ${FTS});
      INSERT INTO sok_search_name (rowid, folded)
        SELECT local_rowid, alo153_v11_name(citizen_name) FROM sok ORDER BY local_rowid;
      INSERT OR IGNORE INTO sok_search_pending (local_rowid) SELECT local_rowid FROM sok;
    `);
  },
};
