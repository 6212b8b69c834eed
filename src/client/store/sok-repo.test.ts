import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../domain/sok';
import { referenceJson, tempDir, validDraft } from '../../../test/support/client-fixtures';
import { openDatabase, type Db } from './database';
import { loadReferenceData } from './reference-repo';
import { createSokRepo, type SokRepo } from './sok-repo';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: SokRepo;
const now = new Date('2026-11-29T09:00:00Z');

beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(`${tmp.dir}/store.sqlite`);
  loadReferenceData(db, referenceJson());
  repo = createSokRepo(db);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const add = (overrides: Partial<typeof validDraft>, regNo: string | null = null) =>
  repo.insert(SokDraftSchema.parse({ ...validDraft, ...overrides }), {
    regNo,
    now,
    originOrg: 'bikom',
    createdBy: 'u1',
  });

describe('searching ŞÖKs with Turkish folding', () => {
  it('finds a ŞÖK in Yıldırım whichever way the district is typed', () => {
    const sok = add({ districtCode: 'yildirim' });
    add({ districtCode: 'nilufer', citizenName: 'Mehmet Kaya' });
    for (const query of ['YILDIRIM', 'yildirim', 'Yıldırım', 'yıldır']) {
      expect(repo.search(query, 10).items.map((s) => s.id)).toEqual([sok.id]);
    }
  });

  it('finds ışık when IŞIK is typed and Çöp when cop is typed', () => {
    const sok = add({ citizenName: 'Zeynep ışık', description: 'Çöp kutusu kırık ve taşıyor.' });
    add({ citizenName: 'Ali Veli', description: 'Park bankları boyanmalı, çok eskidi.' });
    expect(repo.search('IŞIK', 10).items.map((s) => s.id)).toEqual([sok.id]);
    expect(repo.search('cop', 10).items.map((s) => s.id)).toContain(sok.id);
    expect(repo.search('kirik', 10).items.map((s) => s.id)).toEqual([sok.id]);
  });

  it('finds a ŞÖK by its topic name and by the citizen phone in any format', () => {
    const sok = add({ citizenPhone: '0532 987 65 43' });
    expect(repo.search('0532 987', 10).items.map((s) => s.id)).toEqual([sok.id]);
    expect(repo.search('+90 532 987 65 43', 10).items.map((s) => s.id)).toEqual([sok.id]);
    expect(repo.search('5329876543', 10).items.map((s) => s.id)).toEqual([sok.id]);
    expect(repo.search('toplanmadı', 10).items.map((s) => s.id)).toEqual([sok.id]);
  });

  it('finds a ŞÖK by its registration number with or without the dash', () => {
    const sok = add({}, '0012-3454');
    add({});
    expect(repo.search('0012-3454', 10).items.map((s) => s.id)).toEqual([sok.id]);
    expect(repo.search('00123454', 10).items.map((s) => s.id)).toEqual([sok.id]);
  });

  it('lists the newest first and says when there are more', () => {
    const ids = [1, 2, 3].map(() => add({}).id);
    const page = repo.search('', 2);
    expect(page.items.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(page.more).toBe(true);
    expect(repo.search('cop', 5)).toMatchObject({ more: false });
  });

  it('treats FTS operators as plain words', () => {
    add({});
    expect(() => repo.search('"çöp" OR NEAR(', 10)).not.toThrow();
    expect(repo.search('*', 10).items).toHaveLength(1);
  });
});

describe('ŞÖKs stored by a bulk pull before their search row is written', () => {
  const wire = (id: string, overrides: Record<string, unknown> = {}) => {
    const sok = add({});
    repo.remove(sok.id);
    return {
      ...sok,
      id,
      regNo: `0000-00${id.slice(-2)}`,
      createdBy: 'u1',
      ...overrides,
    } as unknown as Parameters<SokRepo['upsertFromServer']>[0];
  };

  it('finds them by number, phone and name at once, by place and text once indexed, and says how many wait', () => {
    const indexed = add({ citizenName: 'Zeynep Işık', districtCode: 'nilufer' });
    const pending = wire('p-01', {
      citizenName: 'Ayşe Yılmaz',
      districtCode: 'yildirim',
      citizenPhone: '+905551112233',
    });
    repo.upsertFromServer(pending, { deferIndex: true });
    const ids = (q: string) => repo.search(q, 10).items.map((s) => s.id);
    const listed = (q: string) =>
      repo.list({ query: q, limit: 10, offset: 0 }).items.map((s) => s.id);
    for (const check of [ids, listed]) {
      expect(check('YILMAZ')).toEqual([pending.id]);
      expect(check('ışık')).toEqual([indexed.id]);
      expect(check('0000-0001')).toEqual([pending.id]);
      expect(check('0555 111 22 33')).toEqual([pending.id]);
      expect(check('2233')).toEqual([pending.id]);
      // Its district and description are not in the index yet.
      expect(check('yıldır')).toEqual([]);
      expect(check('toplanmadı')).toEqual([indexed.id]);
    }
    expect(repo.search('yılmaz', 10).indexing).toBe(1);
    expect(repo.indexPending(100)).toBe(0);
    expect(repo.search('yılmaz', 10).indexing).toBe(0);
    for (const check of [ids, listed]) {
      expect(check('yıldır')).toEqual([pending.id]);
      expect(check('toplanmadı')).toEqual([pending.id, indexed.id]);
    }
  });

  it('ignores the old search row of a ŞÖK updated by a bulk pull until it is indexed again', () => {
    const sok = wire('p-02', { citizenName: 'Hasan Demir' });
    repo.upsertFromServer(sok);
    expect(repo.search('demir', 10).items).toHaveLength(1);
    repo.upsertFromServer({ ...sok, citizenName: 'Hasan Kara' }, { deferIndex: true });
    expect(repo.search('demir', 10).items).toHaveLength(0);
    expect(repo.search('kara', 10).items).toHaveLength(1);
    repo.indexPending(10);
    expect(repo.search('demir', 10).items).toHaveLength(0);
    expect(repo.search('kara', 10).items).toHaveLength(1);
  });

  const indexSql = () =>
    (
      db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sok' ORDER BY name",
        )
        .all() as { name: string; sql: string | null }[]
    ).map((r) => `${r.name}: ${r.sql ?? '(constraint)'}`);

  it('loads without the list indexes and builds exactly the same ones again afterwards', () => {
    const before = indexSql();
    expect(before.filter((i) => !i.endsWith('(constraint)')).length).toBeGreaterThan(5);
    expect(repo.suspendListIndexes(1000)).toBe(true);
    // Only the constraints (id and registration number unique) and the phone look-ups stay.
    expect(
      indexSql()
        .filter((i) => !i.endsWith('(constraint)'))
        .map((i) => i.split(':')[0]),
    ).toEqual(['sok_citizen_phone', 'sok_phone_tail']);
    for (let i = 20; i < 30; i++) repo.upsertFromServer(wire(`p-${i}`), { deferIndex: true });
    expect(repo.list({ query: '', limit: 3, offset: 0 }).items.map((s) => s.id)).toEqual([
      'p-29',
      'p-28',
      'p-27',
    ]);
    repo.restoreListIndexes();
    expect(indexSql()).toEqual(before);
    expect(
      repo.list({ query: '', districtCode: validDraft.districtCode, limit: 2, offset: 0 }).total,
    ).toBe(10);
  });

  it('will not drop the indexes of a store that already holds many ŞÖKs', () => {
    for (let i = 30; i < 33; i++) repo.upsertFromServer(wire(`p-${i}`));
    const before = indexSql();
    expect(repo.suspendListIndexes(2)).toBe(false);
    expect(indexSql()).toEqual(before);
  });

  it('builds the indexes again when the app is restarted after a crash in a bulk load', () => {
    const before = indexSql();
    expect(repo.suspendListIndexes(1000)).toBe(true);
    db.close();
    db = openDatabase(`${tmp.dir}/store.sqlite`);
    repo = createSokRepo(db);
    expect(indexSql()).toEqual(before);
    expect(repo.suspendListIndexes(1000)).toBe(true);
    repo.restoreListIndexes();
    expect(indexSql()).toEqual(before);
  });

  it('indexes the backlog in chunks, newest first, and forgets removed ŞÖKs', () => {
    for (let i = 10; i < 15; i++) repo.upsertFromServer(wire(`p-${i}`), { deferIndex: true });
    repo.remove('p-14');
    expect(repo.indexPending(2)).toBe(2);
    expect(repo.indexPending(2)).toBe(0);
    expect(repo.search('toplanmadı', 10).items.map((s) => s.id)).toEqual([
      'p-13',
      'p-12',
      'p-11',
      'p-10',
    ]);
  });
});

describe('the call centre’s "Dış kurumda" list (organisations outside the app)', () => {
  /** A timeline event as a sync brings it. */
  const addEvent = (sokId: string, kind: string, at: string) =>
    db
      .prepare(
        `INSERT INTO sok_event (id, sok_id, kind, actor_id, actor_org, at, note, data)
         VALUES (?, ?, ?, NULL, NULL, ?, '', NULL)`,
      )
      .run(`${sokId}-${kind}-${at}`, sokId, kind, at);
  const routedTo = (targetOrg: string, regNo: string) =>
    repo.insert(SokDraftSchema.parse(validDraft), {
      regNo,
      now,
      originOrg: 'bikom',
      createdBy: 'u1',
      targetOrg,
    });
  const external = () => repo.inbox('bikom', { state: 'external', offset: 0, limit: 100 });

  it('lists every undecided ŞÖK routed outside the app, overdue first, with sent and overdue times', () => {
    const lamp = routedTo('uedas', '0000-0001');
    const gas = routedTo('bursagaz', '0000-0002');
    const late = routedTo('uedas', '0000-0003');
    const ours = routedTo('ilce.yildirim', '0000-0004');
    const decided = routedTo('uedas', '0000-0005');
    repo.setWorkflow(decided.id, { ...decided, status: 'decided' }, now);
    addEvent(lamp.id, 'routed', '2026-11-20T08:00:00.000Z');
    addEvent(gas.id, 'routed', '2026-11-21T08:00:00.000Z');
    addEvent(late.id, 'routed', '2026-11-24T08:00:00.000Z');
    addEvent(late.id, 'external-overdue', '2026-11-28T06:00:00.000Z');

    const page = external();
    expect(page.items.map((s) => s.regNo)).toEqual(['0000-0003', '0000-0001', '0000-0002']);
    expect(page.total).toBe(3);
    expect(page.external?.[late.id]).toEqual({
      sentAt: '2026-11-24T08:00:00.000Z',
      overdueAt: '2026-11-28T06:00:00.000Z',
      answeredAt: null,
    });
    expect(page.external?.[gas.id]).toMatchObject({ overdueAt: null, answeredAt: null });
    expect(page.items.map((s) => s.id)).not.toContain(ours.id);
    // The organisations' own inbox states are untouched by it.
    expect(repo.inbox('bikom', { state: 'all', offset: 0, limit: 100 }).total).toBe(0);
  });

  it('a reminder before the latest routing does not count; an answered ŞÖK is no longer put first', () => {
    const sok = routedTo('uedas', '0000-0011');
    const other = routedTo('uedas', '0000-0012');
    addEvent(sok.id, 'routed', '2026-11-10T08:00:00.000Z');
    addEvent(sok.id, 'external-overdue', '2026-11-14T06:00:00.000Z');
    // Routed elsewhere and back to UEDAŞ: the clock starts afresh.
    addEvent(sok.id, 'rerouted', '2026-11-26T08:00:00.000Z');
    addEvent(other.id, 'routed', '2026-11-27T08:00:00.000Z');
    addEvent(other.id, 'external-overdue', '2026-11-28T06:00:00.000Z');
    let page = external();
    expect(page.external?.[sok.id]).toEqual({
      sentAt: '2026-11-26T08:00:00.000Z',
      overdueAt: null,
      answeredAt: null,
    });
    expect(page.items[0]?.id).toBe(other.id);

    addEvent(other.id, 'organisation-email', '2026-11-28T09:00:00.000Z');
    page = external();
    expect(page.external?.[other.id]?.answeredAt).toBe('2026-11-28T09:00:00.000Z');
    // Answered: no longer ahead of the others, the oldest sent comes first.
    expect(page.items.map((s) => s.id)).toEqual([sok.id, other.id]);
  });

  it('without a synced timeline the registration time stands for the sending time', () => {
    const sok = routedTo('bursagaz', '0000-0021');
    expect(external().external?.[sok.id]).toEqual({
      sentAt: now.toISOString(),
      overdueAt: null,
      answeredAt: null,
    });
  });
});
