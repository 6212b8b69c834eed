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
  type Labels =
    | { topic: string; parent_topic: string; keywords: string; district: string; type: string }
    | undefined;
  const labelCache = new Map<string, Labels>();
  const labelsFor = (row: IndexableRow): Labels => {
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

  function index(row: IndexableRow): void {
    const l = labelsFor(row);
    const doc = searchDocument({
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
    deleteIndex.run(row.local_rowid);
    insertIndex.run(row.local_rowid, doc);
  }

  return {
    index,
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
