import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';

function v1WithRows() {
  const db = new Database(':memory:');
  migrate(db, migrations, 1);
  expect(schemaVersion(db)).toBe(1);
  const insert = db.prepare(
    `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
       address, description, citizen_name, citizen_phone, status, created_at, updated_at)
     VALUES (?, NULL, 'sikayet', 'telefon', 'temizlik.cop-toplanmadi', 'yildirim', 'Değirmenönü',
       '', ?, 'Ayşe Işık', '+905321234567', 'registered', ?, ?)`,
  );
  insert.run(
    '7d0f5f0e-1111-4a8b-9c2d-000000000001',
    'Çöp alınmadı, üç gün oldu.',
    '2026-11-01T08:00:00.000Z',
    '2026-11-01T08:00:00.000Z',
  );
  insert.run(
    '7d0f5f0e-1111-4a8b-9c2d-000000000002',
    'Konteyner kırık, değişmeli.',
    '2026-11-02T08:00:00.000Z',
    '2026-11-02T08:00:00.000Z',
  );
  db.prepare("INSERT INTO sok_search (rowid, folded) VALUES (1, 'cop alinmadi')").run();
  return db;
}

describe('0002-sync', () => {
  it('keeps every ŞÖK of a populated version-1 store and queues them for the server', () => {
    const db = v1WithRows();
    migrate(db, migrations, 2);
    expect(schemaVersion(db)).toBe(2);
    const rows = db
      .prepare('SELECT id, description, origin_org, target_org FROM sok ORDER BY local_rowid')
      .all();
    expect(rows).toEqual([
      {
        id: '7d0f5f0e-1111-4a8b-9c2d-000000000001',
        description: 'Çöp alınmadı, üç gün oldu.',
        origin_org: '',
        target_org: null,
      },
      {
        id: '7d0f5f0e-1111-4a8b-9c2d-000000000002',
        description: 'Konteyner kırık, değişmeli.',
        origin_org: '',
        target_org: null,
      },
    ]);
    const outbox = db
      .prepare(
        'SELECT mutation_id, kind, entity_id, payload, state FROM outbox ORDER BY mutation_id',
      )
      .all() as {
      mutation_id: number;
      kind: string;
      entity_id: string;
      payload: string;
      state: string;
    }[];
    expect(outbox.map((o) => [o.mutation_id, o.kind, o.entity_id, o.state])).toEqual([
      [1, 'sok.create', '7d0f5f0e-1111-4a8b-9c2d-000000000001', 'pending'],
      [2, 'sok.create', '7d0f5f0e-1111-4a8b-9c2d-000000000002', 'pending'],
    ]);
    expect(JSON.parse(outbox[0]?.payload ?? '{}')).toMatchObject({
      regNo: null,
      citizenPhone: '+905321234567',
      description: 'Çöp alınmadı, üç gün oldu.',
    });
    // The search index survives untouched.
    expect(
      db.prepare("SELECT rowid FROM sok_search WHERE sok_search MATCH 'cop'").pluck().all(),
    ).toEqual([1]);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'client.id'").pluck().get()).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('never reuses a mutation id', () => {
    const db = v1WithRows();
    migrate(db, migrations, 2);
    db.prepare('DELETE FROM outbox').run();
    db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('sok.create', 'x', '{}', 'now')",
    ).run();
    expect(db.prepare('SELECT max(mutation_id) FROM outbox').pluck().get()).toBe(3);
  });
});
