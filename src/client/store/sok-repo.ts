import { randomUUID } from 'node:crypto';
import { searchDocument, ftsQuery } from '../../domain/search';
import type { Sok, SokDraft, SokSearchResult, SokStatus } from '../../domain/sok';
import type { Db } from './database';

interface SokRow {
  local_rowid: number;
  id: string;
  reg_no: string | null;
  type_code: string;
  channel_code: string;
  topic_code: string;
  district_code: string;
  mahalle: string;
  address: string;
  description: string;
  citizen_name: string;
  citizen_phone: string;
  status: SokStatus;
  created_at: string;
  updated_at: string;
}

function toSok(r: SokRow): Sok {
  return {
    id: r.id,
    regNo: r.reg_no,
    typeCode: r.type_code,
    channelCode: r.channel_code,
    topicCode: r.topic_code,
    districtCode: r.district_code,
    mahalle: r.mahalle,
    address: r.address,
    description: r.description,
    citizenName: r.citizen_name,
    citizenPhone: r.citizen_phone,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface SokRepo {
  insert(draft: SokDraft, opts: { regNo: string | null; now: Date; id?: string }): Sok;
  get(id: string): Sok | null;
  search(query: string, limit: number): SokSearchResult;
  reindex(id: string): void;
}

export function createSokRepo(db: Db): SokRepo {
  const insertRow = db.prepare(
    `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
       address, description, citizen_name, citizen_phone, status, created_at, updated_at)
     VALUES (@id, @regNo, @typeCode, @channelCode, @topicCode, @districtCode, @mahalle, @address,
       @description, @citizenName, @citizenPhone, @status, @createdAt, @updatedAt)`,
  );
  const selectById = db.prepare('SELECT * FROM sok WHERE id = ?');
  // The names a caller might say for this ŞÖK's topic, district and type are indexed with it.
  const labels = db.prepare(
    `SELECT t.name AS topic, coalesce(p.name, '') AS parent_topic, t.keywords AS keywords,
            coalesce(d.name, '') AS district, coalesce(ty.name, '') AS type
       FROM topic t LEFT JOIN topic p ON p.code = t.parent_code
       LEFT JOIN district d ON d.code = @districtCode
       LEFT JOIN sok_type ty ON ty.code = @typeCode
      WHERE t.code = @topicCode`,
  );
  const deleteIndex = db.prepare('DELETE FROM sok_search WHERE rowid = ?');
  const insertIndex = db.prepare('INSERT INTO sok_search (rowid, folded) VALUES (?, ?)');
  const searchRows = db.prepare(
    `SELECT * FROM sok WHERE local_rowid IN (
       SELECT rowid FROM sok_search WHERE sok_search MATCH @match ORDER BY rowid DESC LIMIT @limit
     ) ORDER BY local_rowid DESC`,
  );
  const latestRows = db.prepare('SELECT * FROM sok ORDER BY local_rowid DESC LIMIT ?');

  function index(row: SokRow): void {
    const l = labels.get({
      topicCode: row.topic_code,
      districtCode: row.district_code,
      typeCode: row.type_code,
    }) as
      | { topic: string; parent_topic: string; keywords: string; district: string; type: string }
      | undefined;
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
    insert(draft, { regNo, now, id = randomUUID() }) {
      const at = now.toISOString();
      insertRow.run({ ...draft, id, regNo, status: 'registered', createdAt: at, updatedAt: at });
      const row = selectById.get(id) as SokRow;
      index(row);
      return toSok(row);
    },
    get(id) {
      const row = selectById.get(id) as SokRow | undefined;
      return row ? toSok(row) : null;
    },
    search(query, limit) {
      const match = ftsQuery(query);
      const rows = (
        match === null ? latestRows.all(limit + 1) : searchRows.all({ match, limit: limit + 1 })
      ) as SokRow[];
      return { items: rows.slice(0, limit).map(toSok), more: rows.length > limit };
    },
    reindex(id) {
      const row = selectById.get(id) as SokRow | undefined;
      if (row) index(row);
    },
  };
}
