import type { Migration } from '../migrate';

/**
 * Organisations outside the app on the desk (docs/mailbox.md "Organisations outside the app"):
 * `organisation.external` is kept from the shipped reference data, so BİKOM's inbox can list
 * the ŞÖKs waiting for such an organisation offline. The stored reference hash is dropped so
 * the next start loads the reference data again and fills the column.
 */
export const externalOrgs: Migration = {
  version: 18,
  name: '0018-external-orgs',
  up(db) {
    db.exec(`
      ALTER TABLE organisation ADD COLUMN external INTEGER NOT NULL DEFAULT 0;
      DELETE FROM meta WHERE key = 'reference.hash';
      CREATE INDEX sok_event_kind ON sok_event (kind, sok_id, at);
    `);
  },
};
