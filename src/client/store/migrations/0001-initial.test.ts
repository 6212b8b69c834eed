import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/client-fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from '../migrate';
import { latestVersion, migrations } from './index';

let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => tmp?.cleanup());

describe('0001-initial', () => {
  it('creates the store from nothing with WAL, foreign keys and full sync', () => {
    tmp = tempDir();
    const db = openDatabase(`${tmp.dir}/a.sqlite`);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['sok', 'sok_search', 'topic', 'district']));
    db.close();
  });

  it('is applied once: reopening a store keeps its rows', () => {
    tmp = tempDir();
    const file = `${tmp.dir}/b.sqlite`;
    const first = openDatabase(file);
    first.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare("SELECT value FROM meta WHERE key = 'probe'").pluck().get()).toBe('kept');
    second.close();
  });

  it('refuses a store written by a newer app instead of damaging it', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${latestVersion + 1}`);
    expect(() => migrate(db, migrations)).toThrow(/newer than this app/);
  });

  it('rolls a failing migration back completely', () => {
    const db = new Database(':memory:');
    const broken = {
      version: 1,
      name: '0001-broken',
      up(d: Database.Database) {
        d.exec('CREATE TABLE half_done (x)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, [broken])).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(
      db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get(),
    ).toBe(0);
  });
});
