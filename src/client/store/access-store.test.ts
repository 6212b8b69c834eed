import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/client-fixtures';
import { openAccessStore } from './access-store';
import { openDatabase, type Db } from './database';

let tmp: ReturnType<typeof tempDir>;
let store: Db;
const opened: Db[] = [];

beforeEach(() => {
  tmp = tempDir();
  store = openDatabase(`${tmp.dir}/alo153.sqlite`);
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  store.close();
  tmp.cleanup();
});

const open = () => {
  const db = openAccessStore(`${tmp.dir}/alo153-access.sqlite`, store);
  opened.push(db);
  return db;
};
const entry = (id: string) => ({
  id,
  user_id: 'u1',
  kind: 'view',
  sok_id: null,
  at: '2026-12-07T09:00:00.000Z',
  detail: id,
});
const insertInto = (db: Db, id: string) =>
  db
    .prepare(
      'INSERT INTO access_outbox (id, user_id, kind, sok_id, at, detail) VALUES (@id, @user_id, @kind, @sok_id, @at, @detail)',
    )
    .run(entry(id));
const ids = (db: Db) =>
  db.prepare('SELECT id FROM access_outbox ORDER BY id').pluck().all() as string[];

describe('the access log file', () => {
  it('takes over the entries a desk logged in its store before, and the store keeps none', () => {
    for (const id of ['a', 'b', 'c']) insertInto(store, id);
    const access = open();
    expect(ids(access)).toEqual(['a', 'b', 'c']);
    expect(access.prepare('SELECT detail FROM access_outbox WHERE id = ?').pluck().get('b')).toBe(
      'b',
    );
    expect(ids(store)).toEqual([]);
  });

  it('stores each entry once when a move was cut short by a crash (already copied, not yet removed)', () => {
    const first = open();
    insertInto(first, 'a');
    first.close();
    opened.splice(0);
    for (const id of ['a', 'b']) insertInto(store, id);
    const access = open();
    expect(ids(access)).toEqual(['a', 'b']);
    expect(ids(store)).toEqual([]);
  });

  it('keeps its entries across a restart, and writes them durably', () => {
    insertInto(open(), 'x');
    opened.splice(0).forEach((db) => db.close());
    const again = open();
    expect(ids(again)).toEqual(['x']);
    expect(again.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
