import type { Migration } from '../migrate';

export const initial: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE district (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
      ) STRICT;

      CREATE TABLE organisation (
        code          TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        short_name    TEXT NOT NULL,
        kind          TEXT NOT NULL,
        district_code TEXT REFERENCES district(code),
        public_phone  TEXT,
        email         TEXT
      ) STRICT;

      CREATE TABLE topic (
        code        TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        parent_code TEXT REFERENCES topic(code),
        keywords    TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

      CREATE TABLE sok_type (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
      ) STRICT;

      CREATE TABLE channel (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
      ) STRICT;

      -- local_rowid keys the full-text index; id is the ŞÖK's identity everywhere else.
      CREATE TABLE sok (
        local_rowid   INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        reg_no        TEXT UNIQUE,
        type_code     TEXT NOT NULL,
        channel_code  TEXT NOT NULL,
        topic_code    TEXT NOT NULL,
        district_code TEXT NOT NULL,
        mahalle       TEXT NOT NULL DEFAULT '',
        address       TEXT NOT NULL DEFAULT '',
        description   TEXT NOT NULL,
        citizen_name  TEXT NOT NULL,
        citizen_phone TEXT NOT NULL,
        status        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sok_citizen_phone ON sok(citizen_phone);

      -- Folded text (src/domain/text.ts) of each ŞÖK; the original stays in sok.
      CREATE VIRTUAL TABLE sok_search USING fts5(
        folded,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '1 2 3'
      );
    `);
  },
};
