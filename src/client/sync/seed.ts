import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { ADDRESS_WORDS } from '../../domain/address-words';
import { nameDocument, phoneTail, placeDocument, searchDocument } from '../../domain/search';
import type { Db } from '../store/database';

/**
 * A first sync from a seed (docs/sync.md, "A first sync from a seed"): the API keeps, per scope,
 * a desk store that has pulled every change of that scope (built by ./seed-builder.ts, the
 * desk's own code storing the same pages); a new desk downloads it and copies its synced tables
 * into its own store in one transaction, search rows included, then pulls what came after.
 */

/** Meta keys of a seed file: its store format (below) and the cursor it holds everything up to. */
export const SEED_FORMAT_KEY = 'seed.format';

/** The synced tables (what a pull writes) apart from the search index's. */
const SYNCED_TABLES = ['sok', 'sok_event', 'receipt'] as const;

/** Names of the search index's tables: the FTS5 tables' shadow tables (not the virtual tables). */
function searchShadowTables(db: Db, schema = 'main'): string[] {
  const virtual = db
    .prepare(
      `SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND name LIKE 'sok_search%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const shadows = db
    .prepare(
      `SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return shadows.filter((name) => virtual.some((v) => name.startsWith(`${v}_`)));
}

/** Every table a seed fills, in the order they are copied. */
export function seedTables(db: Db, schema = 'main'): string[] {
  return [...SYNCED_TABLES, ...searchShadowTables(db, schema)];
}

/**
 * What a store must share with a seed for the seed's rows to be its own: the definitions of
 * the tables a seed fills (the FTS5 tables' included) and how the search rows are folded
 * (a probe through the domain's folding and the address-word table). A desk of another version
 * (another migration, another folding) gets another format and pulls page by page instead.
 */
export function storeFormat(db: Db, schema = 'main'): string {
  const tables = seedTables(db, schema);
  const definitions = db
    .prepare(
      `SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' AND (name IN (SELECT value FROM json_each(?)) OR (sql LIKE 'CREATE VIRTUAL TABLE%' AND name LIKE 'sok_search%')) ORDER BY name`,
    )
    .all(JSON.stringify(tables));
  const folding = [
    nameDocument('Çağrı İŞIKLAR-Öztürk'),
    placeDocument({
      mahalle: 'Işıklar Mah.',
      address: 'Atatürk Cd. No:5 K.2 D:3',
      district: 'Yıldırım',
    }),
    searchDocument(['Sokağı aydınlatması yok, Blv. üzerindeki Apt. önü', 'Ğüşiöç ĞÜŞİÖÇ']),
    phoneTail('+905321234567'),
    ADDRESS_WORDS,
  ];
  return createHash('sha256')
    .update(JSON.stringify({ definitions, folding }))
    .digest('base64url')
    .slice(0, 32);
}

export type AdoptOutcome =
  { adopted: true; cursor: number; soks: number } | { adopted: false; reason: string };

/**
 * Copies a downloaded seed into the desk's store `file` in one transaction, on a connection of
 * its own that is closed afterwards (FTS5 keeps an index's structure per connection: the
 * connections that go on writing must read the copied one afresh, which they do when another
 * connection committed). Only into a store that has pulled nothing and holds no ŞÖK and no
 * unsent work, checked inside the transaction; anything else leaves the store untouched and
 * says why (the caller then pulls page by page). The cursor and the user's scope are stored in
 * the same transaction, so a desk killed meanwhile has either nothing of it or all of it.
 */
export function adoptSeed(file: string, seedFile: string, scope: string): AdoptOutcome {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    // The FTS5 tables' shadow tables are written directly, which SQLite's defensive mode refuses.
    db.unsafeMode(true);
    db.prepare('ATTACH DATABASE ? AS seed').run(seedFile);
    try {
      const format = db
        .prepare('SELECT value FROM seed.meta WHERE key = ?')
        .pluck()
        .get(SEED_FORMAT_KEY) as string | undefined;
      if (format === undefined) return { adopted: false, reason: 'not a seed' };
      if (format !== storeFormat(db) || format !== storeFormat(db, 'seed'))
        return { adopted: false, reason: 'another store format' };
      const cursor = Number(
        db.prepare("SELECT value FROM seed.meta WHERE key = 'sync.cursor'").pluck().get() ?? NaN,
      );
      if (!Number.isInteger(cursor) || cursor < 1)
        return { adopted: false, reason: 'seed without a cursor' };
      const tables = seedTables(db);
      const meta = db.prepare(
        'INSERT INTO main.meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      );
      return db
        .transaction((): AdoptOutcome => {
          const stored = Number(
            db.prepare("SELECT value FROM main.meta WHERE key = 'sync.cursor'").pluck().get() ?? 0,
          );
          if (stored !== 0) return { adopted: false, reason: 'the store has pulled already' };
          if (db.prepare('SELECT 1 FROM main.sok LIMIT 1').get() !== undefined)
            return { adopted: false, reason: 'the store holds ŞÖKs' };
          if (db.prepare('SELECT 1 FROM main.outbox LIMIT 1').get() !== undefined)
            return { adopted: false, reason: 'the store holds unsent work' };
          for (const table of tables) {
            db.exec(
              `DELETE FROM main."${table}"; INSERT INTO main."${table}" SELECT * FROM seed."${table}"`,
            );
          }
          db.exec('DELETE FROM main.sok_search_pending');
          meta.run('sync.cursor', String(cursor));
          meta.run('sync.scope', scope);
          const soks = db.prepare('SELECT count(*) FROM main.sok').pluck().get() as number;
          return { adopted: true, cursor, soks };
        })
        .immediate();
    } finally {
      db.exec('DETACH DATABASE seed');
    }
  } finally {
    db.close();
  }
}
