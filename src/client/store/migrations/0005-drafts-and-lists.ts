import type { Migration } from '../migrate';

/**
 * Autosaved intake drafts (a crash or a dropped call loses nothing), and indexes for the
 * filtered ŞÖK lists.
 */
export const draftsAndLists: Migration = {
  version: 5,
  name: '0005-drafts-and-lists',
  up(db) {
    db.exec(`
      CREATE TABLE draft (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sok_status ON sok(status, local_rowid);
      CREATE INDEX sok_district ON sok(district_code, local_rowid);
      CREATE INDEX sok_topic ON sok(topic_code, local_rowid);
      CREATE INDEX sok_target ON sok(target_org, local_rowid);
      CREATE INDEX sok_created ON sok(created_at);
      CREATE INDEX outbox_state_user ON outbox(state, user_id);
    `);
  },
};
