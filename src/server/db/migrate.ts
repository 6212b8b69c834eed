import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
}

/**
 * Brings the schema up to date. Kysely takes a lock first (an advisory lock on PostgreSQL), so
 * several server instances starting together migrate once. A database migrated by a newer
 * server version is refused rather than silently used.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const detail = error instanceof Error ? error.message : String(error);
    const missing = /previously executed migration (\S+) is missing/.exec(detail);
    if (missing !== null) {
      throw new MigrationError(
        `the database was migrated by a newer server version (unknown migration ${missing[1]}); ` +
          'update the server',
        { cause: error },
      );
    }
    throw new MigrationError(
      failed === undefined
        ? `database migration failed: ${detail}`
        : `database migration ${failed.migrationName} failed: ${detail}`,
      { cause: error },
    );
  }
  return results ?? [];
}

/** Test support: migrates up or down to the named migration (included). */
export async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error !== undefined)
    throw new MigrationError(`migrating to ${name} failed`, { cause: error });
}

/** Test support: migrates down to (and excluding) nothing, one step at a time. */
export async function migrateDownOne(db: Kysely<Database>): Promise<MigrationResult[]> {
  const { error, results } = await migrator(db).migrateDown();
  if (error !== undefined) throw new MigrationError('migrating down failed', { cause: error });
  return results ?? [];
}
