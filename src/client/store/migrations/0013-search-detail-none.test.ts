import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../../domain/sok';
import { referenceJson, validDraft } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData } from '../reference-repo';
import { createSokRepo } from '../sok-repo';
import { latestVersion, migrations } from './index';

describe('0013-search-detail-none', () => {
  it('indexes every ŞÖK of a version-12 store again, findable by place and text as before', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 12);
    loadReferenceData(db, referenceJson());
    const before = createSokRepo(db);
    const draft = SokDraftSchema.parse(validDraft);
    const at = { regNo: null, originOrg: 'bikom', createdBy: 'u1' };
    const a = before.insert(
      { ...draft, citizenName: 'Ayşe Işık', mahalle: 'Kükürtlü', address: 'Işıklar Cad. No: 5' },
      { ...at, now: new Date('2026-11-01T08:00:00Z') },
    );
    const b = before.insert(
      { ...draft, citizenName: 'Mehmet Çelik', description: 'Sokak lambası yanmıyor.' },
      { ...at, now: new Date('2026-11-02T08:00:00Z') },
    );

    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion);
    for (const table of ['sok_search', 'sok_search_place']) {
      expect(
        String(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table)),
      ).toContain("detail = 'none'");
    }
    const repo = createSokRepo(db);
    const ids = (q: string) => repo.search(q, 10).items.map((s) => s.id);
    // Names are found at once; place and text once the background indexer has written them.
    expect(repo.searchBacklog()).toBe(2);
    expect(ids('celik')).toEqual([b.id]);
    expect(repo.indexPending(100)).toBe(0);
    expect(ids('isiklar caddesi')).toEqual([a.id]);
    expect(ids('kukurtlu')).toEqual([a.id]);
    expect(ids('lambasi yanm')).toEqual([b.id]);
    // New ŞÖKs are indexed as before.
    const c = repo.insert(
      { ...draft, citizenName: 'Zeynep Kaya', description: 'Menfez tıkalı.' },
      { ...at, now: new Date('2026-11-03T08:00:00Z') },
    );
    expect(ids('menfe')).toEqual([c.id]);
  });
});
