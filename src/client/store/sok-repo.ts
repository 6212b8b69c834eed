import { randomUUID } from 'node:crypto';
import { searchDocument, ftsQuery } from '../../domain/search';
import type { Sok, SokDraft, SokSearchResult, SokStatus } from '../../domain/sok';
import type { SokWire } from '../../domain/sync';
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
  origin_org: string;
  target_org: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  pending: number;
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
    originOrg: r.origin_org,
    targetOrg: r.target_org,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    syncState: r.pending ? 'pending' : 'synced',
  };
}

export interface NewSok {
  id?: string;
  regNo: string | null;
  originOrg: string;
  createdBy: string;
  now: Date;
}

export interface SokRepo {
  insert(draft: SokDraft, opts: NewSok): Sok;
  /** Stores the server's version of a ŞÖK (insert or replace), keeping its local search row. */
  upsertFromServer(sok: SokWire): void;
  remove(id: string): void;
  /** Drops every ŞÖK except those with local changes the server has not seen. */
  removeAllSynced(): void;
  get(id: string): Sok | null;
  search(query: string, limit: number): SokSearchResult;
  /** Re-creates every row of the search index from the ŞÖKs (after an index change). */
  rebuildIndex(): void;
}

export function createSokRepo(db: Db): SokRepo {
  const columns = `sok.*, EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = sok.id AND o.state = 'pending') AS pending`;
  const insertRow = db.prepare(
    `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
       address, description, citizen_name, citizen_phone, status, origin_org, target_org,
       created_by, created_at, updated_at)
     VALUES (@id, @regNo, @typeCode, @channelCode, @topicCode, @districtCode, @mahalle, @address,
       @description, @citizenName, @citizenPhone, @status, @originOrg, @targetOrg, @createdBy,
       @createdAt, @updatedAt)
     ON CONFLICT(id) DO UPDATE SET reg_no = excluded.reg_no, type_code = excluded.type_code,
       channel_code = excluded.channel_code, topic_code = excluded.topic_code,
       district_code = excluded.district_code, mahalle = excluded.mahalle,
       address = excluded.address, description = excluded.description,
       citizen_name = excluded.citizen_name, citizen_phone = excluded.citizen_phone,
       status = excluded.status, origin_org = excluded.origin_org,
       target_org = excluded.target_org, created_by = excluded.created_by,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
  );
  const selectById = db.prepare(`SELECT ${columns} FROM sok WHERE id = ?`);
  const rowidOf = db.prepare('SELECT local_rowid FROM sok WHERE id = ?').pluck();
  const deleteRow = db.prepare('DELETE FROM sok WHERE id = ?');
  const syncedRowids = db
    .prepare(
      `SELECT local_rowid FROM sok WHERE id NOT IN (SELECT entity_id FROM outbox WHERE state = 'pending')`,
    )
    .pluck();
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
    `SELECT ${columns} FROM sok WHERE local_rowid IN (
       SELECT rowid FROM sok_search WHERE sok_search MATCH @match ORDER BY rowid DESC LIMIT @limit
     ) ORDER BY local_rowid DESC`,
  );
  const latestRows = db.prepare(`SELECT ${columns} FROM sok ORDER BY local_rowid DESC LIMIT ?`);

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
    insert(draft, { regNo, now, id = randomUUID(), originOrg, createdBy }) {
      const at = now.toISOString();
      insertRow.run({
        ...draft,
        id,
        regNo,
        status: 'registered',
        originOrg,
        targetOrg: null,
        createdBy,
        createdAt: at,
        updatedAt: at,
      });
      const row = selectById.get(id) as SokRow;
      index(row);
      return toSok(row);
    },
    rebuildIndex() {
      db.prepare('DELETE FROM sok_search').run();
      const page = db.prepare(
        'SELECT sok.*, 0 AS pending FROM sok WHERE local_rowid > ? ORDER BY local_rowid LIMIT 2000',
      );
      for (let after = 0; ;) {
        const rows = page.all(after) as SokRow[];
        if (rows.length === 0) break;
        for (const row of rows) index(row);
        after = (rows.at(-1) as SokRow).local_rowid;
      }
    },
    upsertFromServer(sok) {
      insertRow.run(sok);
      index(selectById.get(sok.id) as SokRow);
    },
    remove(id) {
      const rowid = rowidOf.get(id) as number | undefined;
      if (rowid === undefined) return;
      deleteIndex.run(rowid);
      deleteRow.run(id);
    },
    removeAllSynced() {
      for (const rowid of syncedRowids.all() as number[]) deleteIndex.run(rowid);
      db.prepare(
        `DELETE FROM sok WHERE id NOT IN (SELECT entity_id FROM outbox WHERE state = 'pending')`,
      ).run();
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
  };
}
