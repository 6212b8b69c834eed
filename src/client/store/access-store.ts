import { openDeskFile, type Db } from './database';
import { migrate, type Migration } from './migrate';

/**
 * The desk's access log (KVKK, src/client/sync/access-log.ts) in a SQLite file of its own beside
 * the store (docs/kvkk.md, docs/sync.md "The store thread"): an agent's look-up logs the contact
 * details it showed, and that write must not wait for the store's write lock, which the store
 * thread holds while a first sync stores its pages. Opened as the store is (openDeskFile).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: '0001-access-outbox',
    up(db) {
      db.exec(`
        CREATE TABLE access_outbox (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          sok_id TEXT,
          at TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX access_outbox_user ON access_outbox (user_id, at);
      `);
    },
  },
];

export function openAccessStore(file: string, store: Db): Db {
  const db = openDeskFile(file);
  migrate(db, MIGRATIONS);
  moveFromStore(store, db);
  return db;
}

/**
 * Entries written before the access log had its own file (store migration 0014's table) move
 * here: copied by id (a copy interrupted by a crash is copied again, stored once), then removed
 * from the store.
 */
function moveFromStore(store: Db, access: Db): void {
  const rows = store
    .prepare('SELECT id, user_id, kind, sok_id, at, detail FROM access_outbox')
    .all() as { id: string }[];
  if (rows.length === 0) return;
  const insert = access.prepare(
    `INSERT OR IGNORE INTO access_outbox (id, user_id, kind, sok_id, at, detail)
     VALUES (@id, @user_id, @kind, @sok_id, @at, @detail)`,
  );
  access.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const remove = store.prepare('DELETE FROM access_outbox WHERE id = ?');
  store.transaction(() => {
    for (const row of rows) remove.run(row.id);
  })();
}
