import type { Migration } from '../migrate';

/**
 * The mandated callback on each desk: who accepted a ŞÖK, the decision and the callback task (as
 * the server sends them, JSON), with the columns the inbox and the callback queue filter and sort
 * on; whether the citizen's contact details arrived masked (KVKK). The cursor is reset so every
 * ŞÖK comes again with its workflow state.
 */
export const callbacks: Migration = {
  version: 7,
  name: '0007-callbacks',
  up(db) {
    db.exec(`
      ALTER TABLE sok ADD COLUMN accepted_by TEXT;
      ALTER TABLE sok ADD COLUMN accepted_at TEXT;
      ALTER TABLE sok ADD COLUMN decision TEXT;
      ALTER TABLE sok ADD COLUMN callback TEXT;
      ALTER TABLE sok ADD COLUMN callback_owner_org TEXT;
      ALTER TABLE sok ADD COLUMN callback_state TEXT;
      ALTER TABLE sok ADD COLUMN callback_due_at TEXT;
      ALTER TABLE sok ADD COLUMN contact_masked INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX sok_callback_queue ON sok(callback_owner_org, callback_state, callback_due_at);
      CREATE INDEX sok_inbox ON sok(target_org, status);
      DELETE FROM meta WHERE key = 'sync.cursor';
    `);
  },
};
