import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../../domain/sok';
import { referenceJson, validDraft } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData } from '../reference-repo';
import { createSokRepo } from '../sok-repo';
import { latestVersion, migrations } from './index';

describe('0003-search-prefixes', () => {
  it('keeps every ŞÖK of a populated version-2 store findable with the new index', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 2);
    loadReferenceData(db, referenceJson());
    // Version-2 rows, indexed by version-2 code.
    const insert = db.prepare(
      `INSERT INTO sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
         address, description, citizen_name, citizen_phone, status, origin_org, created_by,
         created_at, updated_at)
       VALUES (?, ?, 'sikayet', 'telefon', 'temizlik.cop-toplanmadi', ?, '', '', ?, ?, '+905321234567',
         'registered', 'bikom', 'u1', '2026-11-01T08:00:00.000Z', '2026-11-01T08:00:00.000Z')`,
    );
    insert.run('a1', '0000-0018', 'yildirim', 'Sokak lambası yanmıyor.', 'Ayşe Işık');
    insert.run('a2', '0000-0026', 'nilufer', 'Kaldırım kırık.', 'Mehmet Çelik');
    db.prepare("INSERT INTO sok_search (rowid, folded) VALUES (1, 'stale')").run();

    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(
      String(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'sok_search'").pluck().get()),
    ).toContain("prefix = '1 2 3 4 5 6 7 8 9 10'");
    const repo = createSokRepo(db);
    // Every ŞÖK is indexed again in the background (0011-search-classes).
    expect(repo.indexPending(100)).toBe(0);
    const ids = (q: string) => repo.search(q, 10).items.map((s) => s.id);
    expect(ids('YILDIRIM')).toEqual(['a1']);
    expect(ids('lambasi yanmiyor')).toEqual(['a1']);
    expect(ids('celik')).toEqual(['a2']);
    expect(ids('stale')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(2);
    // New ŞÖKs are indexed as before.
    repo.insert(SokDraftSchema.parse({ ...validDraft, citizenName: 'Zeynep Kaya' }), {
      regNo: null,
      now: new Date(),
      originOrg: 'bikom',
      createdBy: 'u1',
    });
    expect(ids('zeyn')).toHaveLength(1);
  });
});
