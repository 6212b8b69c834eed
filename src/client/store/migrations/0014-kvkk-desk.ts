import type { Migration } from '../migrate';

/**
 * KVKK on the desk (issue #19, docs/kvkk.md):
 * - `access_outbox`: the desk's views of citizens' contact details, kept until the central API
 *   has stored them (`POST /kvkk/access`); each entry has its own id, so a resend is stored once.
 *   The user is the one who saw the data; entries are sent with that user's session.
 * - `sok.personal_dropped_at`: when this desk dropped the contact data of a closed ŞÖK older
 *   than the schedule's desk period; null while the desk holds them. The partial index finds
 *   the closed ŞÖKs still holding them without reading the rest after each sync.
 */
export const kvkkDesk: Migration = {
  version: 14,
  name: '0014-kvkk-desk',
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
      ALTER TABLE sok ADD COLUMN personal_dropped_at TEXT;
      CREATE INDEX sok_keeps_personal ON sok (updated_at)
        WHERE status = 'closed' AND personal_dropped_at IS NULL;
    `);
  },
};
