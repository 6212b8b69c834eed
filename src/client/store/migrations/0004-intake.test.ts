import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { referenceJson } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData } from '../reference-repo';
import { createSokRepo } from '../sok-repo';
import { latestVersion, migrations } from './index';

function v3WithRows() {
  const db = new Database(':memory:');
  migrate(db, migrations, 3);
  loadReferenceData(db, referenceJson());
  db.prepare(
    `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
       address, description, citizen_name, citizen_phone, status, origin_org, target_org, created_by,
       created_at, updated_at)
     VALUES ('s1', '0000-0018', 'sikayet', 'telefon', 'temizlik.cop-toplanmadi', 'yildirim',
       'Değirmenönü', '', 'Çöp alınmadı.', 'Ayşe Işık', '+905321234567', 'routed', 'bikom',
       'ilce.yildirim', 'u1', '2026-11-01T08:00:00.000Z', '2026-11-01T08:00:00.000Z')`,
  ).run();
  // A version-3 app indexed its rows for search (its folded text, numbers included).
  db.prepare(
    "INSERT INTO sok_search (rowid, folded) VALUES (1, '00000018 0000 0018 ayse isik degirmenonu cop alinmadi yildirim')",
  ).run();
  db.prepare(
    "INSERT INTO outbox (kind, entity_id, payload, user_id, created_at) VALUES ('sok.create', 's1', '{}', 'u1', 'x')",
  ).run();
  return db;
}

describe('0004-intake and 0005-drafts-and-lists', () => {
  it('keep every ŞÖK of a populated version-3 store, with neutral defaults for the new fields', () => {
    const db = v3WithRows();
    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion);
    const sok = createSokRepo(db).get('s1');
    expect(sok).toMatchObject({
      regNo: '0000-0018',
      citizenPhone: '+905321234567',
      targetOrg: 'ilce.yildirim',
      citizenEmail: '',
      preferredContact: 'telefon',
      latitude: null,
      kvkkNoticeBy: null,
      smsConsent: false,
      routeReason: '',
      syncState: 'pending',
    });
    const repo = createSokRepo(db);
    // Indexed again in the background with today's folding (0011-search-classes).
    expect(repo.indexPending(100)).toBe(0);
    expect(repo.search('yildirim', 5).items.map((s) => s.id)).toEqual(['s1']);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    for (const table of ['routing_rule', 'sok_event', 'draft']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    expect(
      db
        .prepare(
          "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'outbox_state_user'",
        )
        .pluck()
        .get(),
    ).toBe(1);
  });
});
