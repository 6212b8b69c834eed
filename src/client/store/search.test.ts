import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../domain/sok';
import type { SokWire } from '../../domain/sync';
import { referenceJson, tempDir, validDraft } from '../../../test/support/client-fixtures';
import { openDatabase, type Db } from './database';
import { loadReferenceData } from './reference-repo';
import { createSokRepo, type SokRepo } from './sok-repo';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: SokRepo;
let minute = 0;

beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(`${tmp.dir}/store.sqlite`);
  loadReferenceData(db, referenceJson());
  repo = createSokRepo(db);
  minute = 0;
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const add = (overrides: Partial<typeof validDraft>, regNo: string | null = null) =>
  repo.insert(SokDraftSchema.parse({ ...validDraft, ...overrides }), {
    regNo,
    now: new Date(Date.UTC(2026, 10, 1, 8, minute++)),
    originOrg: 'bikom',
    createdBy: 'u1',
  });
const ids = (q: string, limit = 10) => repo.search(q, limit).items.map((s) => s.id);

describe('ranking', () => {
  it('puts a person of that name above the same word in a district label, newest first in each', () => {
    const inDistrict = [1, 2, 3].map(() =>
      add({ districtCode: 'yildirim', citizenName: 'Mehmet Kaya' }),
    );
    const older = add({ districtCode: 'nilufer', citizenName: 'Hasan Yıldırım' });
    inDistrict.push(add({ districtCode: 'yildirim', citizenName: 'Ali Demir' }));
    const newer = add({ districtCode: 'osmangazi', citizenName: 'Elif YILDIRIM' });
    const result = repo.search('yildirim', 10);
    expect(result.items.map((s) => s.id)).toEqual([
      newer.id,
      older.id,
      ...inDistrict.map((s) => s.id).reverse(),
    ]);
    expect(result.matchedBy[newer.id]).toBe('name');
    expect(result.matchedBy[inDistrict[0]!.id]).toBe('place');
  });

  it('ranks a whole word above a word that only starts with it, then place, then text', () => {
    const inText = add({ citizenName: 'Ali Veli', description: 'Işıklar kapalı, sokak karanlık.' });
    const onStreet = add({ citizenName: 'Ali Veli', address: 'Işıklar Caddesi No: 3' });
    const prefixName = add({ citizenName: 'Ayşe Işıklı' });
    const exactName = add({ citizenName: 'Zeynep Işık', description: 'Konteyner kırık.' });
    const result = repo.search('ışık', 10);
    expect(result.items.map((s) => s.id)).toEqual([
      exactName.id,
      prefixName.id,
      onStreet.id,
      inText.id,
    ]);
    expect(Object.values(result.matchedBy)).toEqual(['name', 'name', 'place', 'text']);
  });

  it('puts the registration number first, then the phone', () => {
    const byPhone = add({ citizenPhone: '0532 000 00 12' }, '0000-0026');
    const byNumber = add({ citizenPhone: '0533 111 11 11' }, '0000-0018');
    // Eight digits: a registration number without its dash, or the end of a phone.
    db.prepare("UPDATE sok SET phone_tail = '81000000' || substr(phone_tail, 9) WHERE id = ?").run(
      byPhone.id,
    );
    const result = repo.search('00000018', 10);
    expect(result.items.map((s) => s.id)).toEqual([byNumber.id, byPhone.id]);
    expect(result.matchedBy).toEqual({ [byNumber.id]: 'regNo', [byPhone.id]: 'phone' });
  });

  it('finds a street and district together in the place of the ŞÖK before text mentions', () => {
    const mention = add({
      districtCode: 'yildirim',
      address: '',
      description: 'Lale sokak tarafında çöp birikti.',
    });
    const street = add({ districtCode: 'yildirim', address: 'Lale Sk. No: 5' });
    add({ districtCode: 'nilufer', address: 'Lale Sokak No: 9' });
    expect(ids('lale sokak yıldırım')).toEqual([street.id, mention.id]);
  });
});

describe('phone numbers as people say them', () => {
  it('finds the number ending in 4567, with or without spaces, and never a registration number ending so', () => {
    const caller = add({ citizenPhone: '0532 987 45 67' }, '0000-0018');
    add({ citizenPhone: '0533 111 22 33' }, '0012-4567');
    add({ citizenPhone: '0533 111 22 34' }, '4567-0000');
    for (const q of ['4567', '45 67', '987 45 67', '9874567']) expect(ids(q)).toEqual([caller.id]);
  });

  it('finds the whole number with 0, +90, 90 or nothing in front', () => {
    const caller = add({ citizenPhone: '0532 987 45 67' });
    add({ citizenPhone: '0535 987 45 67' });
    for (const q of ['0532 987 45 67', '+90 532 987 45 67', '905329874567', '5329874567']) {
      expect(ids(q)).toEqual([caller.id]);
    }
  });

  it('finds a number being typed from its beginning', () => {
    const caller = add({ citizenPhone: '0532 987 45 67' });
    add({ citizenPhone: '0533 987 45 67' });
    expect(ids('0532 98')).toEqual([caller.id]);
  });
});

describe('address abbreviations', () => {
  it('find "Cad." by "Caddesi" and "Caddesi" by "Cd", Sokak by "sk", both ways', () => {
    const short = add({ address: 'Atatürk Cad. No: 12', mahalle: 'Beşevler Mah.' });
    const long = add({ address: 'Atatürk Caddesi Numara 12', mahalle: 'Beşevler Mahallesi' });
    const street = add({ address: 'Ihlamur Sokağı D: 3' });
    expect(ids('ataturk caddesi')).toEqual([long.id, short.id]);
    expect(ids('Atatürk Cd.')).toEqual([long.id, short.id]);
    expect(ids('ataturk cd no 12')).toEqual([long.id, short.id]);
    expect(ids('beşevler mh')).toEqual([long.id, short.id]);
    expect(ids('ıhlamur sk daire 3')).toEqual([street.id]);
    expect(ids('ıhlamur sokak')).toContain(street.id);
  });
});

describe('a ŞÖK stored by a bulk pull, before its full-text rows exist', () => {
  const wire = (id: string, regNo: string, overrides: Partial<SokWire>): SokWire => {
    const sok = add({});
    repo.remove(sok.id);
    return { ...sok, id, regNo, ...overrides } as unknown as SokWire;
  };

  it('is found at once by registration number, phone ending and name', () => {
    const sok = wire('p-1', '0000-0034', {
      citizenName: 'Gökhan Çınar',
      citizenPhone: '+905449876543',
    });
    repo.upsertFromServer(sok, { deferIndex: true });
    expect(db.prepare('SELECT count(*) FROM sok_search_pending').pluck().get()).toBe(1);
    for (const q of [
      '0000-0034',
      '00000034',
      '6543',
      '9876543',
      '0544 987 65 43',
      'çınar',
      'GOKHAN',
    ]) {
      expect(ids(q)).toEqual(['p-1']);
    }
  });
});

describe('a pulled slice, its search rows written after its rows (SokRepo.batch)', () => {
  const wire = (id: string, regNo: string, overrides: Partial<SokWire>): SokWire => {
    const sok = add({});
    repo.remove(sok.id);
    return { ...sok, id, regNo, ...overrides } as unknown as SokWire;
  };

  it('finds each ŞÖK by its latest version, once, whatever the slice did to it', () => {
    const kept = wire('b-1', '0000-0101', { citizenName: 'Selin Aksoy', address: 'Lale Sokak 3' });
    const renamed = wire('b-2', '0000-0102', { citizenName: 'Murat Ekinci' });
    const gone = wire('b-3', '0000-0103', { citizenName: 'Deniz Toprak' });
    for (const deferIndex of [false, true]) {
      db.transaction(() =>
        repo.batch(() => {
          repo.upsertFromServer(kept, { deferIndex });
          repo.upsertFromServer(renamed, { deferIndex });
          repo.upsertFromServer(gone, { deferIndex });
          // The same ŞÖK again in the same slice (a newer version), and one removed.
          repo.upsertFromServer({ ...renamed, citizenName: 'Murat Ekinciler' }, { deferIndex });
          repo.remove(gone.id);
        }),
      )();
      while (repo.indexPending(100) > 0);
      expect(ids('aksoy')).toEqual(['b-1']);
      expect(ids('lale')).toEqual(['b-1']);
      expect(ids('ekinciler')).toEqual(['b-2']);
      expect(ids('murat')).toEqual(['b-2']);
      expect(ids('toprak')).toEqual([]);
      // …and left no name row behind that a later ŞÖK could be mistaken for.
      expect(
        db
          .prepare(`SELECT count(*) FROM sok_search_name WHERE sok_search_name MATCH '"toprak"'`)
          .pluck()
          .get(),
      ).toBe(0);
      expect(ids('0000-0103')).toEqual([]);
      // The version replaced within the slice left no row behind: its exact name finds nothing.
      expect(repo.search('ekinci', 10).matchedBy['b-2']).toBe('name');
      expect(
        db
          .prepare(`SELECT count(*) FROM sok_search_name WHERE sok_search_name MATCH '"ekinci"'`)
          .pluck()
          .get(),
      ).toBe(0);
    }
  });
});

describe('no query reads the whole store', () => {
  it('uses an index for every query class, with or without a backlog (EXPLAIN QUERY PLAN)', () => {
    const seen: string[] = [];
    const traced = new Database(`${tmp.dir}/store.sqlite`, {
      verbose: (sql) => seen.push(String(sql)),
    });
    const tracedRepo = createSokRepo(traced);
    add({}, '0000-0018');
    const queries = [
      'yildirim',
      'ayşe ışık',
      'lale sk yıldırım',
      'konteyner',
      '4567',
      '0532 123 45 67',
      '0532 12',
      '0000-0018',
      '00000018',
      '0000-',
    ];
    const plans = () => {
      const out: string[] = [];
      for (const sql of seen.filter((s) => /^\s*(SELECT|WITH)/i.test(s))) {
        const plan = traced.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
        for (const p of plan) out.push(`${p.detail}   ← ${sql.replace(/\s+/g, ' ').slice(0, 80)}`);
      }
      return out;
    };
    for (const q of queries) tracedRepo.search(q, 50);
    tracedRepo.upsertFromServer(
      {
        ...tracedRepo.get(repo.search('', 1).items[0]!.id)!,
        id: 'p-9',
        regNo: '0000-0042',
      } as never,
      { deferIndex: true },
    );
    seen.length = 0;
    for (const q of queries) tracedRepo.search(q, 50);
    for (const q of queries) tracedRepo.list({ query: q, limit: 50, offset: 0 });
    const all = plans();
    if (process.env.SHOW_PLANS) console.log([...new Set(all)].join('\n'));
    expect(all.length).toBeGreaterThan(20);
    // A plain SCAN of a real table reads all of it; virtual tables answer MATCH from the index.
    const scans = all.filter((d) => /^SCAN (sok|sok_search_pending)\b(?! VIRTUAL)/.test(d));
    expect(scans).toEqual([]);
    traced.close();
  });
});
