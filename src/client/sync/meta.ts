import type { Db } from '../store/database';

/**
 * The sync state kept in the store's `meta` table: `sync.cursor`, `sync.scope`,
 * `sync.lastSuccessAt`, `routing.etag`.
 */
export const syncMeta = (db: Db) => ({
  get: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
  set: db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
});

export type SyncMeta = ReturnType<typeof syncMeta>;
