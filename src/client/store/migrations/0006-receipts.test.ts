import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';

describe('0006-receipts', () => {
  it('keeps the ŞÖKs and the unsent work, and pulls again from the start to get receipts', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 5);
    db.prepare(
      `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, description,
         citizen_name, citizen_phone, status, origin_org, created_by, created_at, updated_at)
       VALUES ('s1', '0000-0018', 'sikayet', 'telefon', 'yol.cukur', 'nilufer', 'Çukur var.',
         'Ali', '+905321234567', 'routed', 'bikom', 'u1', 'a', 'a')`,
    ).run();
    db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('sok.route', 's1', '{}', 'x')",
    ).run();
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', '812')").run();
    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(
      db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck().get(),
    ).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM receipt').pluck().get()).toBe(0);
  });
});
