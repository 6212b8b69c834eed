import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The few places where PostgreSQL and SQLite differ in column types, decided once. Migrations
 * use these with `.$call(...)` so each table is written a single time for both dialects:
 *
 *   db.schema.createTable('x').addColumn(...).$call(timestamp('created_at')).$call(bool('active', 1))
 *
 * FROZEN, like the migrations that use it: a shipped migration must create the same columns
 * forever, so never change what an existing helper writes; a new column kind is a new helper.
 * Live code has its own dialect check (../columns.ts) and imports nothing from here.
 */
export type SqlDialect = 'postgres' | 'sqlite';

// Migrations receive an untyped Kysely: they describe the schema before the types exist.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function dialectOf(db: AnyDb): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

type Builder<TB extends string, C extends string> = CreateTableBuilder<TB, C>;

/** ISO-8601 UTC text in both dialects: identical ordering and no driver date conversion. */
export function timestamp<N extends string>(name: N, options: { nullable?: boolean } = {}) {
  return <TB extends string, C extends string>(tb: Builder<TB, C>): Builder<TB, C | N> =>
    tb.addColumn(name, 'text', (c) => (options.nullable === true ? c : c.notNull()));
}

/** Integer 0/1 with a CHECK, since SQLite has no boolean type and PG's would differ. */
export function bool<N extends string>(name: N, defaultValue: 0 | 1) {
  return <TB extends string, C extends string>(tb: Builder<TB, C>): Builder<TB, C | N> =>
    tb.addColumn(name, 'integer', (c) =>
      c
        .notNull()
        .defaultTo(defaultValue)
        .check(sql`${sql.ref(name)} in (0, 1)`),
    );
}

/** JSON stored as text; callers parse and validate it. */
export function json<N extends string>(name: N, options: { nullable?: boolean } = {}) {
  return <TB extends string, C extends string>(tb: Builder<TB, C>): Builder<TB, C | N> =>
    tb.addColumn(name, 'text', (c) => (options.nullable === true ? c : c.notNull()));
}

/** An auto-incrementing integer primary key: identity column on PG, rowid alias on SQLite. */
export function autoIncrementId<N extends string>(name: N, dialect: SqlDialect) {
  return <TB extends string, C extends string>(tb: Builder<TB, C>): Builder<TB, C | N> =>
    dialect === 'postgres'
      ? tb.addColumn(name, 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
      : tb.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}
