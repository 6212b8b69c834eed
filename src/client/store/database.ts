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
 * Opens (creating if needed) a desk's SQLite file: WAL lets the UI read while a write commits;
 * synchronous=FULL because a committed row (a citizen's request, a logged view of their data)
 * must survive a power cut. The store and the access log (./access-store.ts) are opened so.
 */
export function openDeskFile(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Opens (creating if needed) the local store, migrated. */
export function openDatabase(file: string): Db {
  const db = openDeskFile(file);
  db.pragma('foreign_keys = ON');
  // The ŞÖK table carries a dozen indexes (lists, queues, search); with SQLite's default 2 MiB
  // page cache searches and lists re-read index pages. A bulk load raises it to 32 MiB for the
  // time it takes (SokRepo.suspendListIndexes … settleAfterBulkLoad).
  db.pragma(`cache_size = ${CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  migrate(db, migrations);
  immediateTransactions(db);
  return db;
}

/**
 * Lets another writer of the same file know of this connection's write transactions: `enter`
 * before BEGIN (it may wait for the other to commit), `leave` after COMMIT or ROLLBACK. The
 * desk's store thread (src/client/sync/store-thread.ts) sets one on the UI thread's connection.
 */
export interface WriteGate {
  enter(): void;
  leave(): void;
}

const gates = new WeakMap<Db, WriteGate>();

/** Sets (or with null removes) the write gate of `db`'s transactions. */
export function setWriteGate(db: Db, gate: WriteGate | null): void {
  if (gate) gates.set(db, gate);
  else gates.delete(db);
}

/**
 * Makes `db.transaction(fn)()` begin with BEGIN IMMEDIATE (nested ones stay savepoints), through
 * the connection's write gate if it has one: the desk's store has two writing connections, this
 * one and the store thread's (src/client/sync/store-thread.ts), and a deferred transaction that
 * read before the other committed could not write any more (SQLITE_BUSY_SNAPSHOT). Taking the
 * write lock first, a transaction waits for the other's commit and then sees it.
 */
function immediateTransactions(db: Db): void {
  const deferred = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    // Each variant better-sqlite3 makes carries the others (.deferred, .immediate, .exclusive).
    const variants = deferred(fn);
    const run = variants.immediate;
    const gated = (...args: unknown[]) => {
      const gate = db.inTransaction ? undefined : gates.get(db);
      if (gate === undefined) return run(...args);
      gate.enter();
      try {
        return run(...args);
      } finally {
        gate.leave();
      }
    };
    return Object.assign(gated, {
      default: gated,
      deferred: variants.deferred,
      immediate: gated,
      exclusive: variants.exclusive,
    });
  }) as Db['transaction'];
}
