import type { Migration } from '../migrate';

/**
 * Intake details on each ŞÖK (e-mail, preferred contact, coordinates, KVKK notice, SMS consent,
 * how it was routed), the routing rules last received from the central API, and the timeline.
 */
export const intake: Migration = {
  version: 4,
  name: '0004-intake',
  up(db) {
    db.exec(`
      ALTER TABLE sok ADD COLUMN citizen_email TEXT NOT NULL DEFAULT '';
      ALTER TABLE sok ADD COLUMN preferred_contact TEXT NOT NULL DEFAULT 'telefon';
      ALTER TABLE sok ADD COLUMN latitude REAL;
      ALTER TABLE sok ADD COLUMN longitude REAL;
      ALTER TABLE sok ADD COLUMN kvkk_notice_by TEXT;
      ALTER TABLE sok ADD COLUMN kvkk_notice_at TEXT;
      ALTER TABLE sok ADD COLUMN sms_consent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sok ADD COLUMN route_rule_id TEXT;
      ALTER TABLE sok ADD COLUMN route_reason TEXT NOT NULL DEFAULT '';

      CREATE TABLE routing_rule (
        id       TEXT PRIMARY KEY,
        topic    TEXT NOT NULL,
        district TEXT,
        place    TEXT,
        target   TEXT NOT NULL,
        priority INTEGER NOT NULL,
        note     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sok_event (
        id        TEXT PRIMARY KEY,
        sok_id    TEXT NOT NULL,
        kind      TEXT NOT NULL,
        actor_id  TEXT,
        actor_org TEXT,
        at        TEXT NOT NULL,
        note      TEXT NOT NULL,
        data      TEXT
      ) STRICT;
      CREATE INDEX sok_event_sok ON sok_event(sok_id, at);
    `);
  },
};
