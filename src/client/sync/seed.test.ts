import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../domain/sok';
import { referenceJson, tempDir, validDraft } from '../../../test/support/client-fixtures';
import { openDatabase, type Db } from '../store/database';
import { loadReferenceData } from '../store/reference-repo';
import { createSokRepo } from '../store/sok-repo';
import { adoptSeed, SEED_FORMAT_KEY, storeFormat } from './seed';

/**
 * Copying a first-sync seed into a desk's store (docs/sync.md, "A first sync from a seed"): all
 * of it, search included, or nothing; never over work of the desk's own.
 */
let tmp: ReturnType<typeof tempDir>;
let seedFile: string;
let deskFile: string;
const now = new Date('2026-12-07T09:00:00Z');

function store(file: string): Db {
  const db = openDatabase(file);
  loadReferenceData(db, referenceJson());
  return db;
}

const setMeta = (db: Db, key: string, value: string) =>
  db
    .prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    .run(key, value);
const metaOf = (db: Db, key: string) =>
  db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);

/** A seed of `count` ŞÖKs up to cursor 42, stamped with `format` (default: this store's). */
function makeSeed(count: number, format?: string): void {
  const db = store(seedFile);
  const repo = createSokRepo(db);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      repo.insert(
        SokDraftSchema.parse({
          ...validDraft,
          citizenName: `Vatandaş Tohum${String.fromCharCode(97 + (i % 26))}${i}`,
          address: `Çınarlı Cad. No: ${i}`,
        }),
        { regNo: `2026-${String(100000 + i)}`, now, originOrg: 'bikom', createdBy: 'u1' },
      );
    }
  })();
  setMeta(db, 'sync.cursor', '42');
  setMeta(db, SEED_FORMAT_KEY, format ?? storeFormat(db));
  db.close();
}

beforeEach(() => {
  tmp = tempDir();
  seedFile = `${tmp.dir}/seed.sqlite`;
  deskFile = `${tmp.dir}/desk.sqlite`;
});
afterEach(() => tmp.cleanup());

const count = (db: Db, table: string) =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('adopting a first-sync seed', () => {
  it('copies every ŞÖK with its search rows, the cursor and the user’s scope', () => {
    makeSeed(60);
    const desk = store(deskFile);
    expect(adoptSeed(deskFile, seedFile, 'all:u7')).toEqual({
      adopted: true,
      cursor: 42,
      soks: 60,
    });
    expect(count(desk, 'sok')).toBe(60);
    expect(metaOf(desk, 'sync.cursor')).toBe('42');
    expect(metaOf(desk, 'sync.scope')).toBe('all:u7');
    const repo = createSokRepo(desk);
    expect(repo.search('Tohumc28', 10).items).toHaveLength(1);
    expect(repo.search('Çınarlı Caddesi', 100).items).toHaveLength(60);
    // The copied FTS5 index is sound, also with a ŞÖK of the desk's own written on top.
    repo.insert(SokDraftSchema.parse({ ...validDraft, citizenName: 'Vatandaş Masadan' }), {
      regNo: null,
      now,
      originOrg: 'bikom',
      createdBy: 'u7',
    });
    expect(repo.search('Masadan', 10).items).toHaveLength(1);
    for (const table of ['sok_search', 'sok_search_name', 'sok_search_place'])
      desk.prepare(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`).run();
    desk.close();
  });

  it('leaves a store that holds anything of its own as it was', () => {
    makeSeed(5);
    const desk = store(deskFile);
    const repo = createSokRepo(desk);
    repo.insert(SokDraftSchema.parse(validDraft), {
      regNo: null,
      now,
      originOrg: 'bikom',
      createdBy: 'u7',
    });
    expect(adoptSeed(deskFile, seedFile, 'all:u7')).toEqual({
      adopted: false,
      reason: 'the store holds ŞÖKs',
    });
    expect(count(desk, 'sok')).toBe(1);
    expect(metaOf(desk, 'sync.cursor')).toBeUndefined();

    const pulled = store(`${tmp.dir}/pulled.sqlite`);
    setMeta(pulled, 'sync.cursor', '7');
    expect(adoptSeed(`${tmp.dir}/pulled.sqlite`, seedFile, 'all:u7')).toMatchObject({
      adopted: false,
    });
    expect(metaOf(pulled, 'sync.cursor')).toBe('7');
    pulled.close();
    desk.close();
  });

  it('refuses a seed of another store format, or a file that is no seed', () => {
    makeSeed(5, 'another-format');
    const desk = store(deskFile);
    expect(adoptSeed(deskFile, seedFile, 'all:u7')).toEqual({
      adopted: false,
      reason: 'another store format',
    });
    const plain = store(`${tmp.dir}/plain.sqlite`);
    plain.close();
    expect(adoptSeed(deskFile, `${tmp.dir}/plain.sqlite`, 'all:u7')).toEqual({
      adopted: false,
      reason: 'not a seed',
    });
    expect(count(desk, 'sok')).toBe(0);
    desk.close();
  });

  it('is one transaction: a copy that fails half-way leaves nothing of the seed', () => {
    makeSeed(30);
    const desk = store(deskFile);
    // The last write (the cursor) fails: every table copied before it is rolled back with it.
    desk.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON meta WHEN NEW.key = 'sync.cursor' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => adoptSeed(deskFile, seedFile, 'all:u7')).toThrow(/disk full/);
    expect(count(desk, 'sok')).toBe(0);
    expect(count(desk, 'sok_search_docsize')).toBe(0);
    expect(metaOf(desk, 'sync.cursor')).toBeUndefined();
    expect(metaOf(desk, 'sync.scope')).toBeUndefined();
    desk.close();
  });
});
