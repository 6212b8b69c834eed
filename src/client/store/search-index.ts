import { searchDocument } from '../../domain/search';
import type { Db } from './database';

/** The columns of a ŞÖK row the search index reads (present since schema version 1). */
export interface IndexableRow {
  local_rowid: number;
  reg_no: string | null;
  type_code: string;
  topic_code: string;
  district_code: string;
  mahalle: string;
  address: string;
  description: string;
  citizen_name: string;
  citizen_phone: string;
}

/**
 * Keeps the folded full-text row of each ŞÖK: its number, phone forms, name, place,
 * description, and the names a caller might say for its topic, district and type. Reads only
 * columns every schema version has, so migrations may use it to rebuild the index.
 */
/** What a ŞÖK's codes are called (topic, its parent, keywords as JSON, district, type). */
interface SearchLabels {
  topic: string;
  parent_topic: string;
  keywords: string;
  district: string;
  type: string;
}

export function createSearchIndexer(db: Db) {
  const labels = db.prepare(
    `SELECT t.name AS topic, coalesce(p.name, '') AS parent_topic, t.keywords AS keywords,
            coalesce(d.name, '') AS district, coalesce(ty.name, '') AS type
       FROM topic t LEFT JOIN topic p ON p.code = t.parent_code
       LEFT JOIN district d ON d.code = @districtCode
       LEFT JOIN sok_type ty ON ty.code = @typeCode
      WHERE t.code = @topicCode`,
  );
  // Labels per (topic, district, type): the same few hundred combinations over and over.
  type Labels = SearchLabels | undefined;
  const labelCache = new Map<string, Labels>();
  const labelsFor = (row: Omit<IndexableRow, 'local_rowid'>): Labels => {
    const key = `${row.topic_code}|${row.district_code}|${row.type_code}`;
    if (!labelCache.has(key)) {
      if (labelCache.size > 5000) labelCache.clear();
      labelCache.set(
        key,
        labels.get({
          topicCode: row.topic_code,
          districtCode: row.district_code,
          typeCode: row.type_code,
        }) as Labels,
      );
    }
    return labelCache.get(key);
  };
  const deleteIndex = db.prepare('DELETE FROM sok_search WHERE rowid = ?');
  const insertIndex = db.prepare('INSERT INTO sok_search (rowid, folded) VALUES (?, ?)');

  /** The folded text a row is indexed under (labels looked up unless given). */
  function documentFor(row: Omit<IndexableRow, 'local_rowid'>, given?: Labels): string {
    const l = given ?? labelsFor(row);
    return searchDocument({
      regNo: row.reg_no,
      citizenPhone: row.citizen_phone,
      fields: [
        row.citizen_name,
        row.mahalle,
        row.address,
        row.description,
        ...(l
          ? [l.topic, l.parent_topic, l.district, l.type, ...(JSON.parse(l.keywords) as string[])]
          : []),
      ],
    });
  }

  function index(row: IndexableRow): void {
    const doc = documentFor(row);
    deleteIndex.run(row.local_rowid);
    insertIndex.run(row.local_rowid, doc);
  }

  return {
    index,
    documentFor,
    remove(rowid: number): void {
      deleteIndex.run(rowid);
    },
    rebuild(): void {
      db.prepare('DELETE FROM sok_search').run();
      const page = db.prepare(
        `SELECT local_rowid, reg_no, type_code, topic_code, district_code, mahalle, address,
                description, citizen_name, citizen_phone
           FROM sok WHERE local_rowid > ? ORDER BY local_rowid LIMIT 2000`,
      );
      for (let after = 0; ;) {
        const rows = page.all(after) as IndexableRow[];
        if (rows.length === 0) break;
        for (const row of rows) index(row);
        after = (rows.at(-1) as IndexableRow).local_rowid;
      }
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;

/** The columns of `sok` an IndexableRow is read from, in order (for SQL). */
const INDEXABLE_COLUMNS =
  'reg_no, type_code, topic_code, district_code, mahalle, address, description, citizen_name, citizen_phone';

/**
 * Rows whose search entry is not written yet (schema version 7). A bulk pull (initial sync, a
 * desk catching up) stores ŞÖKs without their full-text row, which costs more than storing the
 * row itself, and lists them here; `indexSome` then indexes them in bounded chunks in the
 * background, newest first.
 *
 * Search stays exact meanwhile: the full-text index answers for indexed rows (an older entry of
 * a row listed here is ignored), and rows listed here are matched one by one against the same
 * folded document (`sok_search_pending_match`, the same prefix rule as the FTS5 query). That
 * scan is slower, which is the only effect of the backlog; in normal operation it is empty and
 * the queries are the plain full-text ones.
 */
export function createSearchBacklog(db: Db, indexer: SearchIndexer) {
  const add = db.prepare('INSERT OR IGNORE INTO sok_search_pending (local_rowid) VALUES (?)');
  const drop = db.prepare('DELETE FROM sok_search_pending WHERE local_rowid = ?');
  const any = db.prepare('SELECT EXISTS (SELECT 1 FROM sok_search_pending)').pluck();
  const size = db.prepare('SELECT count(*) FROM sok_search_pending').pluck();
  const orphans = db.prepare(
    'DELETE FROM sok_search_pending WHERE local_rowid NOT IN (SELECT local_rowid FROM sok)',
  );
  const newest = db.prepare(
    `SELECT p.local_rowid, ${INDEXABLE_COLUMNS.split(', ')
      .map((c) => `s.${c}`)
      .join(', ')}
       FROM sok_search_pending p JOIN sok s ON s.local_rowid = p.local_rowid
      ORDER BY p.local_rowid DESC LIMIT ?`,
  );
  // Tokens of the query being matched: parsed once per query, not once per row. The function
  // gets the labels from the query's joins: it may not run queries of its own.
  let lastQuery = '';
  let lastTokens: string[] = [];
  db.function(
    'sok_search_pending_match',
    { deterministic: true, varargs: true },
    (query: unknown, ...v: unknown[]) => {
      if (query !== lastQuery) {
        lastQuery = String(query);
        lastTokens = lastQuery.split(' ').filter((t) => t !== '');
      }
      const str = (x: unknown) => (typeof x === 'string' ? x : '');
      const doc = indexer.documentFor(
        {
          reg_no: typeof v[0] === 'string' ? v[0] : null,
          citizen_phone: str(v[1]),
          citizen_name: str(v[2]),
          mahalle: str(v[3]),
          address: str(v[4]),
          description: str(v[5]),
          type_code: '',
          topic_code: '',
          district_code: '',
        },
        typeof v[6] === 'string'
          ? {
              topic: v[6],
              parent_topic: str(v[7]),
              keywords: str(v[8]),
              district: str(v[9]),
              type: str(v[10]),
            }
          : undefined,
      );
      const words = doc.split(' ');
      return lastTokens.every((t) => words.some((w) => w.startsWith(t))) ? 1 : 0;
    },
  );

  const indexChunk = db.transaction((max: number): number => {
    // The newest rows, written in ascending rowid order: FTS5 flushes its pending data whenever
    // a rowid is not above the previous one.
    const rows = (newest.all(max) as IndexableRow[]).reverse();
    for (const row of rows) {
      indexer.index(row);
      drop.run(row.local_rowid);
    }
    return rows.length;
  });

  return {
    /** Lists a row for indexing later (its current entry, if any, is ignored until then). */
    defer(rowid: number): void {
      add.run(rowid);
    },
    /** The row was indexed or removed. */
    discard(rowid: number): void {
      drop.run(rowid);
    },
    isEmpty(): boolean {
      return any.get() === 0;
    },
    size(): number {
      return size.get() as number;
    },
    /** Forgets rows that no longer exist. */
    dropOrphans(): void {
      orphans.run();
    },
    /** Indexes up to `max` listed rows, newest first, in one transaction; returns how many. */
    indexSome(max: number): number {
      // Derived data, written with its backlog rows in one transaction: a commit lost to a power
      // cut leaves those rows listed, so this commit need not wait for the disk (the next
      // synchronous=FULL commit flushes it anyway).
      const sync = db.pragma('synchronous', { simple: true }) as number;
      db.pragma('synchronous = NORMAL');
      try {
        return indexChunk(max);
      } finally {
        db.pragma(`synchronous = ${sync}`);
      }
    },
    /**
     * SQL selecting the local_rowid of every ŞÖK matching `@match` (FTS5 expression) and
     * `@tokens` (the same query, folded tokens separated by spaces), backlog included.
     */
    matchingRowidsSql(): string {
      return `SELECT rowid AS local_rowid FROM sok_search WHERE sok_search MATCH @match
                AND rowid NOT IN (SELECT local_rowid FROM sok_search_pending)
              UNION ALL
              SELECT s.local_rowid FROM sok_search_pending p
                JOIN sok s ON s.local_rowid = p.local_rowid
                LEFT JOIN topic t ON t.code = s.topic_code
                LEFT JOIN topic tp ON tp.code = t.parent_code
                LEFT JOIN district d ON d.code = s.district_code
                LEFT JOIN sok_type ty ON ty.code = s.type_code
               WHERE sok_search_pending_match(@tokens, s.reg_no, s.citizen_phone, s.citizen_name,
                       s.mahalle, s.address, s.description, t.name, coalesce(tp.name, ''),
                       t.keywords, coalesce(d.name, ''), coalesce(ty.name, ''))`;
    },
  };
}
export type SearchBacklog = ReturnType<typeof createSearchBacklog>;
