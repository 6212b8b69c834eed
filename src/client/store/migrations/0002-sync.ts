import { randomUUID } from 'node:crypto';
import type { Migration } from '../migrate';

/**
 * Sync with the central API: the outbox (mutations written in the same transaction as the local
 * change), leased registration-number blocks, and the ŞÖK's organisations and author.
 * ŞÖKs registered before sync existed have no number; they are queued for the server, which
 * assigns one.
 */
export const sync: Migration = {
  version: 2,
  name: '0002-sync',
  up(db) {
    db.exec(`
      ALTER TABLE sok ADD COLUMN origin_org TEXT NOT NULL DEFAULT '';
      ALTER TABLE sok ADD COLUMN target_org TEXT;
      ALTER TABLE sok ADD COLUMN created_by TEXT NOT NULL DEFAULT '';

      -- AUTOINCREMENT: a mutation id is never reused, even after its row is gone.
      CREATE TABLE outbox (
        mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        payload     TEXT NOT NULL,
        -- who made the change; only that user's session pushes it (NULL: made before sign-in)
        user_id     TEXT,
        created_at  TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
        error       TEXT
      ) STRICT;
      CREATE INDEX outbox_entity ON outbox(entity_id);

      -- Leased to one user's sync stream; only that user draws numbers from it.
      CREATE TABLE number_block (
        start    INTEGER PRIMARY KEY,
        end_incl INTEGER NOT NULL,
        next     INTEGER NOT NULL,
        user_id  TEXT NOT NULL,
        CHECK (start <= next AND next <= end_incl + 1)
      ) STRICT;
    `);
    const legacy = db
      .prepare(
        `SELECT id, type_code, channel_code, topic_code, district_code, mahalle, address,
                description, citizen_name, citizen_phone, created_at
           FROM sok WHERE reg_no IS NULL ORDER BY local_rowid`,
      )
      .all() as Record<string, string>[];
    const enqueue = db.prepare(
      `INSERT INTO outbox (kind, entity_id, payload, user_id, created_at)
       VALUES ('sok.create', ?, ?, NULL, ?)`,
    );
    for (const row of legacy) {
      const payload = {
        id: row.id,
        regNo: null,
        typeCode: row.type_code,
        channelCode: row.channel_code,
        topicCode: row.topic_code,
        districtCode: row.district_code,
        mahalle: row.mahalle,
        address: row.address,
        description: row.description,
        citizenName: row.citizen_name,
        citizenPhone: row.citizen_phone,
        registeredAt: row.created_at,
      };
      enqueue.run(row.id, JSON.stringify(payload), row.created_at);
    }
    db.prepare(
      `INSERT INTO meta (key, value) VALUES ('client.id', ?) ON CONFLICT(key) DO NOTHING`,
    ).run(randomUUID());
  },
};
