import type { Migration } from '../migrate';

/**
 * Delivery state of the messages sent to the citizen (SMS and e-mail receipts), as the central
 * API reports them, so every desk sees on the ŞÖK whether the citizen got their number. The
 * cursor is reset so that a desk that synced before this version receives them too.
 */
export const receipts: Migration = {
  version: 6,
  name: '0006-receipts',
  up(db) {
    db.exec(`
      CREATE TABLE receipt (
        id              TEXT PRIMARY KEY,
        sok_id          TEXT NOT NULL,
        channel         TEXT NOT NULL,
        purpose         TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        state           TEXT NOT NULL,
        attempts        INTEGER NOT NULL,
        next_attempt_at TEXT,
        sent_at         TEXT,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX receipt_sok ON receipt(sok_id);
      DELETE FROM meta WHERE key = 'sync.cursor';
    `);
  },
};
