import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type Db = Database.Database;

/** SQLite page cache of a desk's store (negative: KiB), and while a bulk load runs. */
export const CACHE_KIB = -16384;
export const BULK_CACHE_KIB = -32768;

/**
 * Opens (creating if needed) the local store. WAL lets the UI read while a write commits;
 * synchronous=FULL because a committed row is a citizen's request and must survive a power cut.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The ŞÖK table carries a dozen indexes (lists, queues, search); with SQLite's default 2 MiB
  // page cache searches and lists re-read index pages. A bulk load raises it to 32 MiB for the
  // time it takes (SokRepo.suspendListIndexes … settleAfterBulkLoad).
  db.pragma(`cache_size = ${CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  migrate(db, migrations);
  return db;
}
