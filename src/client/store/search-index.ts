import { nameDocument, placeDocument, searchDocument, type SearchQuery } from '../../domain/search';
import type { SokSearchMatch } from '../../domain/sok';
import type { Db } from './database';

/** The columns of a ŞÖK row the search index reads. */
export interface IndexableRow {
  local_rowid: number;
  type_code: string;
  topic_code: string;
  district_code: string;
  mahalle: string;
  address: string;
  description: string;
  citizen_name: string;
}

/** What a ŞÖK's codes are called (topic, its parent, keywords as JSON, district, type). */
interface SearchLabels {
  topic: string;
  parent_topic: string;
  keywords: string;
  district: string;
  type: string;
}

/** What the labels of a (topic, district, type) add to a full-text row, folded once. */
interface LabelWords {
  district: string;
  words: string;
}

/**
 * Each word once: the place and full-text tables keep rowids only (migration 0013), so a second
 * "mahalle" or a topic word repeated in a keyword adds nothing but work.
 */
function distinctWords(doc: string): string {
  return doc === '' ? doc : [...new Set(doc.split(' '))].join(' ');
}

/** The full-text tables, one per class (migration 0011); numbers are B-tree columns of `sok`. */
const NAME = 'sok_search_name';
const PLACE = 'sok_search_place';
const ALL = 'sok_search';

/**
 * Writes the folded full-text rows of a ŞÖK (docs/search.md): its citizen's name, its place
 * (mahalle, address, district) and everything (name, place, description, and the names a caller
 * might say for its topic, district and type). `fresh`: the row was just inserted, so it has no
 * entries to delete.
 */
export function createSearchIndexer(db: Db) {
  const labels = db.prepare(
    `SELECT t.name AS topic, coalesce(p.name, '') AS parent_topic, t.keywords AS keywords,
            coalesce(d.name, '') AS district, coalesce(ty.name, '') AS type
       FROM topic t LEFT JOIN topic p ON p.code = t.parent_code
       LEFT JOIN district d ON d.code = @districtCode
       LEFT JOIN sok_type ty ON ty.code = @typeCode
      WHERE t.code = @topicCode`,
  );
  // Labels per (topic, district, type): the same few hundred combinations over and over, so
  // they are read and folded once per combination.
  const labelCache = new Map<string, LabelWords>();
  const labelsFor = (row: IndexableRow): LabelWords => {
    const key = `${row.topic_code}|${row.district_code}|${row.type_code}`;
    let cached = labelCache.get(key);
    if (cached === undefined) {
      if (labelCache.size > 5000) labelCache.clear();
      const l = labels.get({
        topicCode: row.topic_code,
        districtCode: row.district_code,
        typeCode: row.type_code,
      }) as SearchLabels | undefined;
      cached = l
        ? {
            district: l.district,
            words: searchDocument([
              l.topic,
              l.parent_topic,
              l.district,
              l.type,
              ...(JSON.parse(l.keywords) as string[]),
            ]),
          }
        : { district: '', words: '' };
      labelCache.set(key, cached);
    }
    return cached;
  };
  const table = (name: string) => ({
    remove: db.prepare(`DELETE FROM ${name} WHERE rowid = ?`),
    insert: db.prepare(`INSERT INTO ${name} (rowid, folded) VALUES (?, ?)`),
  });
  const tables = { name: table(NAME), place: table(PLACE), all: table(ALL) };

  type Table = (typeof tables)[keyof typeof tables];
  function writeNow(t: Table, rowid: number, doc: string, fresh: boolean) {
    if (!fresh) t.remove.run(rowid);
    if (doc !== '') t.insert.run(rowid, doc);
  }

  /**
   * Writes queued by `batch`. FTS5 writes a new segment of each table it holds pending data for
   * whenever a statement opens a statement journal (the ŞÖK upsert does: ON CONFLICT with two
   * unique keys) or a rowid is not above the previous one: writing a row's search rows between
   * two upserts made one segment per row, and merging them cost more than the rest of the
   * sync (docs/search.md, "Where a first sync's CPU went"). Queued, they are written after the
   * batch's other statements, table by table in rowid order: one segment per table and commit.
   */
  let queue: { t: Table; rowid: number; doc: string; fresh: boolean }[] | null = null;
  function write(t: Table, rowid: number, doc: string, fresh: boolean) {
    if (queue !== null) queue.push({ t, rowid, doc, fresh });
    else writeNow(t, rowid, doc, fresh);
  }
  function flush(): void {
    const q = queue;
    if (q === null || q.length === 0) return;
    queue = [];
    for (const t of Object.values(tables)) {
      const mine = q.filter((w) => w.t === t);
      // Stable: two writes of one rowid stay in their order (the second replaces the first).
      mine.sort((a, b) => a.rowid - b.rowid);
      for (const w of mine) writeNow(t, w.rowid, w.doc, w.fresh);
    }
  }

  /** The name row: cheap (two or three words), written with the ŞÖK even by a bulk pull. */
  function indexName(rowid: number, citizenName: string, fresh: boolean): void {
    write(tables.name, rowid, nameDocument(citizenName), fresh);
  }

  /** The place and full-text rows: the costly part, deferred by bulk pulls. */
  function indexText(row: IndexableRow, fresh: boolean): void {
    const l = labelsFor(row);
    const place = placeDocument({
      mahalle: row.mahalle,
      address: row.address,
      district: l.district,
    });
    write(tables.place, row.local_rowid, distinctWords(place), fresh);
    // Name, place (folded above), description, then the labels' words (folded once).
    const own = searchDocument([row.citizen_name, row.description]);
    write(tables.all, row.local_rowid, distinctWords(`${own} ${place} ${l.words}`.trim()), fresh);
  }

  return {
    indexName,
    indexText,
    index(row: IndexableRow, fresh: boolean): void {
      indexName(row.local_rowid, row.citizen_name, fresh);
      indexText(row, fresh);
    },
    remove(rowid: number): void {
      flush();
      for (const t of Object.values(tables)) t.remove.run(rowid);
    },
    /**
     * Runs `fn` (inside the caller's transaction) with the search rows it writes queued, then
     * writes them after everything else `fn` did (see `write`). Nested calls join the outer one.
     */
    batch<T>(fn: () => T): T {
      if (queue !== null) return fn();
      queue = [];
      try {
        const result = fn();
        flush();
        return result;
      } finally {
        queue = null;
      }
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;

const INDEXABLE_COLUMNS = [
  'type_code',
  'topic_code',
  'district_code',
  'mahalle',
  'address',
  'description',
  'citizen_name',
];

/**
 * Rows whose place and full-text rows are not written yet. A bulk pull (first sync, a desk
 * catching up) stores ŞÖKs with their number columns and name row only, and lists them here;
 * `indexSome` writes the rest in bounded chunks in the background, newest first.
 *
 * Meanwhile registration number, phone and name look-ups are complete, place and full-text
 * matches cover the indexed rows only (an older entry of a listed row is ignored), and search
 * results say how many rows are still waiting. No query ever scans the store.
 */
export function createSearchBacklog(db: Db, indexer: SearchIndexer) {
  const add = db.prepare('INSERT OR IGNORE INTO sok_search_pending (local_rowid) VALUES (?)');
  const drop = db.prepare('DELETE FROM sok_search_pending WHERE local_rowid = ?');
  const count = db.prepare('SELECT count(*) FROM sok_search_pending').pluck();
  // Kept in memory: every search reports it, and counting a backlog of 200,000 rows is a scan.
  // This connection is the store's only writer; a rolled-back transaction recounts (below).
  let size = count.get() as number;
  const recount = () => {
    size = count.get() as number;
  };
  const orphans = db.prepare(
    'DELETE FROM sok_search_pending WHERE local_rowid NOT IN (SELECT local_rowid FROM sok)',
  );
  const newest = db.prepare(
    `SELECT p.local_rowid, ${INDEXABLE_COLUMNS.map((c) => `s.${c}`).join(', ')}
       FROM sok_search_pending p JOIN sok s ON s.local_rowid = p.local_rowid
      ORDER BY p.local_rowid DESC LIMIT ?`,
  );

  const indexChunk = db.transaction((max: number): number => {
    // The newest rows, written in ascending rowid order: FTS5 flushes its pending data whenever
    // a rowid is not above the previous one.
    const rows = (newest.all(max) as IndexableRow[]).reverse();
    indexer.batch(() => {
      for (const row of rows) {
        indexer.indexText(row, false);
        size -= drop.run(row.local_rowid).changes;
      }
    });
    // The end of the backlog: count what is really left (a rolled-back pull may have listed
    // rows that were never stored).
    if (rows.length < max) recount();
    return rows.length;
  });

  return {
    /** Lists a row for indexing later (its current place and text entries are ignored). */
    defer(rowid: number): void {
      size += add.run(rowid).changes;
    },
    /** The row was indexed or removed. */
    discard(rowid: number): void {
      size -= drop.run(rowid).changes;
    },
    isEmpty(): boolean {
      return size === 0;
    },
    size(): number {
      return size;
    },
    /** Counts again (after a transaction that listed or indexed rows was rolled back). */
    recount,
    /** Forgets rows that no longer exist. */
    dropOrphans(): void {
      orphans.run();
      recount();
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
      } catch (error) {
        recount();
        throw error;
      } finally {
        db.pragma(`synchronous = ${sync}`);
      }
    },
  };
}
export type SearchBacklog = ReturnType<typeof createSearchBacklog>;

/** Why a ŞÖK is in the results, best first (docs/search.md). */
export type SearchMatch = SokSearchMatch;

interface Tier {
  by: SearchMatch;
  sql: string;
  /** Place and full-text rows of listed ŞÖKs may be stale: skipped while the backlog is not empty. */
  fresh?: boolean;
}

const ftsTier = (table: string, expr: 'exact' | 'prefix', by: SearchMatch): Tier => ({
  by,
  sql: `SELECT rowid FROM ${table} WHERE ${table} MATCH @${expr} ORDER BY rowid DESC LIMIT @n`,
  fresh: table !== NAME,
});

/** Words, best class first; each tier reads at most `n` rowids in index order (newest first). */
const WORD_TIERS: Tier[] = [
  ftsTier(NAME, 'exact', 'name'),
  ftsTier(NAME, 'prefix', 'name'),
  ftsTier(PLACE, 'exact', 'place'),
  ftsTier(PLACE, 'prefix', 'place'),
  ftsTier(ALL, 'prefix', 'text'),
];

/**
 * Ranked search (docs/search.md): the tiers of the query's kind run in rank order, each a
 * LIMITed read of one index in its own order, until enough rows are found. No tier reads every
 * matching row, so a common word costs what a rare one does.
 */
export function createSearchQueries(db: Db, backlog: SearchBacklog) {
  const stmt = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = stmt.get(sql);
    if (s === undefined) {
      s = db.prepare(sql).pluck();
      stmt.set(sql, s);
    }
    return s;
  };
  const notPending = ' AND rowid NOT IN (SELECT local_rowid FROM sok_search_pending)';
  const withFresh = (t: Tier, backlogEmpty: boolean) =>
    t.fresh && !backlogEmpty ? t.sql.replace(' ORDER BY', `${notPending} ORDER BY`) : t.sql;

  // `+local_rowid`: sort the few matches, never walk the table in rowid order looking for them.
  const REG_NO_EXACT = 'SELECT local_rowid FROM sok WHERE reg_no = @regNo';
  const REG_NO_PREFIX = `SELECT local_rowid FROM sok WHERE reg_no >= @regNo AND reg_no < @regNo || ':'
    ORDER BY reg_no DESC LIMIT @n`;
  const PHONE_TAIL = `SELECT local_rowid FROM sok WHERE phone_tail >= @tail AND phone_tail < @tail || ':'
    ORDER BY +local_rowid DESC LIMIT @n`;
  const PHONE_PREFIX = `SELECT local_rowid FROM sok
    WHERE citizen_phone >= @phone AND citizen_phone < @phone || ':'
    ORDER BY citizen_phone DESC, local_rowid DESC LIMIT @n`;

  function numberTiers(q: Extract<SearchQuery, { kind: 'number' }>) {
    const tiers: { by: SearchMatch; sql: string; params: Record<string, unknown> }[] = [];
    if (q.regNo !== null) {
      tiers.push({
        by: 'regNo',
        sql: q.regNo.length === 9 ? REG_NO_EXACT : REG_NO_PREFIX,
        params: { regNo: q.regNo },
      });
    }
    if (q.phoneTail !== null)
      tiers.push({ by: 'phone', sql: PHONE_TAIL, params: { tail: q.phoneTail } });
    if (q.phonePrefix !== null) {
      tiers.push({ by: 'phone', sql: PHONE_PREFIX, params: { phone: q.phonePrefix } });
    }
    return tiers;
  }

  return {
    /** Up to `n` rowids, best first, each with why it matched. */
    find(q: SearchQuery, n: number): { rowid: number; by: SearchMatch }[] {
      const backlogEmpty = backlog.isEmpty();
      const tiers =
        q.kind === 'number'
          ? numberTiers(q)
          : WORD_TIERS.map((t) => ({
              by: t.by,
              sql: withFresh(t, backlogEmpty),
              params: { exact: q.exact, prefix: q.prefix },
            }));
      const seen = new Set<number>();
      const out: { rowid: number; by: SearchMatch }[] = [];
      const run = (t: (typeof tiers)[number]): number[] => {
        const params: Record<string, unknown> = { n, ...t.params };
        // Statements only take the parameters they name.
        for (const key of Object.keys(params)) if (!t.sql.includes(`@${key}`)) delete params[key];
        return prepared(t.sql).all(params) as number[];
      };
      const emit = (rowids: number[], by: SearchMatch): boolean => {
        for (const rowid of rowids) {
          if (seen.has(rowid)) continue;
          seen.add(rowid);
          out.push({ rowid, by });
          if (out.length >= n) return true;
        }
        return false;
      };
      for (let i = 0; i < tiers.length; i++) {
        const t = tiers[i] as (typeof tiers)[number];
        const next = tiers[i + 1];
        // A table's whole-word tier finds a subset of its prefix tier: the prefix tier runs first,
        // and when it finds nothing neither runs again ("Mehmet Özcan Yıldırım" is no one's name
        // and no place: two of five MATCHes instead of four). Same rows, same order.
        if (next !== undefined && q.kind === 'words' && t.by === next.by) {
          const wide = run(next);
          i++;
          if (wide.length === 0) continue;
          if (emit(run(t), t.by) || emit(wide, next.by)) return out;
          continue;
        }
        if (emit(run(t), t.by)) return out;
      }
      return out;
    },
    /**
     * SQL for every ŞÖK a query matches, unranked (filtered lists): registration number and
     * phone for numbers; for words, the full-text row, or the name row of a ŞÖK still waiting
     * for its full-text row.
     */
    matchingRowids(q: SearchQuery): { sql: string; params: Record<string, unknown> } {
      if (q.kind === 'number') {
        const parts: string[] = [];
        const params: Record<string, unknown> = {};
        if (q.regNo !== null) {
          parts.push(
            q.regNo.length === 9
              ? 'SELECT local_rowid FROM sok WHERE reg_no = @q_regNo'
              : `SELECT local_rowid FROM sok WHERE reg_no >= @q_regNo AND reg_no < @q_regNo || ':'`,
          );
          params.q_regNo = q.regNo;
        }
        if (q.phoneTail !== null) {
          parts.push(
            `SELECT local_rowid FROM sok WHERE phone_tail >= @q_tail AND phone_tail < @q_tail || ':'`,
          );
          params.q_tail = q.phoneTail;
        }
        if (q.phonePrefix !== null) {
          parts.push(
            `SELECT local_rowid FROM sok WHERE citizen_phone >= @q_phone AND citizen_phone < @q_phone || ':'`,
          );
          params.q_phone = q.phonePrefix;
        }
        return { sql: parts.join(' UNION '), params };
      }
      if (backlog.isEmpty()) {
        return {
          sql: `SELECT rowid FROM ${ALL} WHERE ${ALL} MATCH @q_prefix`,
          params: { q_prefix: q.prefix },
        };
      }
      return {
        sql: `SELECT rowid FROM ${ALL} WHERE ${ALL} MATCH @q_prefix${notPending}
              UNION SELECT rowid FROM ${NAME} WHERE ${NAME} MATCH @q_prefix
                AND rowid IN (SELECT local_rowid FROM sok_search_pending)`,
        params: { q_prefix: q.prefix },
      };
    },
  };
}
export type SearchQueries = ReturnType<typeof createSearchQueries>;
