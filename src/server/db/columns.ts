import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Which SQL dialect a live query runs on, for the few queries written twice. Migrations have
 * their own frozen copy (migrations/columns.ts): a migration must not change when this does.
 */
export type SqlDialect = 'postgres' | 'sqlite';

// Any database: the check reads only the adapter.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
