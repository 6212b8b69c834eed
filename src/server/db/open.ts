import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import type { SqlDialect } from './columns';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise `sqliteFile` is used. */
  databaseUrl?: string | undefined;
  sqliteFile: string;
  pgPoolMax?: number;
}

export interface OpenOptions {
  /** Migrate to the latest schema (default true). */
  migrate?: boolean;
  /** Where pool errors go (an idle PG client can fail at any time). */
  onPoolError?: (error: Error) => void;
}

/**
 * The server database: one typed Kysely query layer over either PostgreSQL or SQLite. Query
 * code takes a `Kysely<Database>` (so a transaction works too); `dialect` is there for the few
 * places that must differ, such as the write lock.
 */
export class ServerDb extends Kysely<Database> {
  readonly dialect: SqlDialect;
  /** The PostgreSQL connection string, for the notifier's dedicated LISTEN connection. */
  readonly databaseUrl: string | undefined;

  constructor(dialect: SqlDialect, kyselyDialect: PostgresDialect | SqliteDialect, url?: string) {
    super({ dialect: kyselyDialect });
    this.dialect = dialect;
    this.databaseUrl = url;
  }

  async close(): Promise<void> {
    await this.destroy();
  }
}

export async function openServerDb(
  config: DatabaseConfig,
  options: OpenOptions = {},
): Promise<ServerDb> {
  const db =
    config.databaseUrl !== undefined
      ? openPostgres(config.databaseUrl, config.pgPoolMax ?? 10, options.onPoolError)
      : openSqlite(config.sqliteFile);
  try {
    // Fail at start, not at the first request, when the database is unreachable.
    await db.executeQuery(CompiledQuery.raw('select 1'));
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function openPostgres(
  url: string,
  max: number,
  onPoolError: ((error: Error) => void) | undefined,
): ServerDb {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'alo153-server',
    // bigint and count(*) come back as strings by default; every value we keep (sequences,
    // counts) stays far below 2^53, so read them as numbers like SQLite does.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Without a listener an idle client's error (server restart) would crash the process.
  pool.on('error', (error) => onPoolError?.(error));
  return new ServerDb('postgres', new PostgresDialect({ pool }), url);
}

function openSqlite(file: string): ServerDb {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  // WAL: readers do not block the writer; FULL: a committed ŞÖK survives a power cut.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new ServerDb('sqlite', new ImmediateSqliteDialect({ database }));
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a
 * transaction that reads and then writes cannot fail half-way with SQLITE_BUSY when another
 * process holds the file, and writes serialise in commit order.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
