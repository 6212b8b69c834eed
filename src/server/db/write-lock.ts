import { sql, type Kysely, type Transaction } from 'kysely';
import type { ServerDb } from './open';
import type { CounterName, Database } from './schema';

/** Key of the transaction-scoped advisory lock that serialises writers on PostgreSQL. */
export const WRITE_LOCK_KEY = 153;

/**
 * Runs `fn` in a transaction that holds the server-wide write lock. Change sequences are
 * allocated under it, so they become visible in commit order and a puller that has seen seq N
 * never later finds a smaller one appear (no skipped changes).
 *
 * PostgreSQL: `pg_advisory_xact_lock`, released at commit or rollback. SQLite: transactions begin
 * IMMEDIATE (see open.ts), which already serialises writers.
 *
 * Inside `fn` use only `trx`: on SQLite the outer handle waits for the single connection and
 * would deadlock.
 */
export async function withWriteLock<T>(
  db: ServerDb,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(trx);
    }
    return fn(trx);
  });
}

/**
 * Adds `by` to a counter and returns the allocated range. The row update alone is atomic, so
 * ranges never overlap; but commit order matches allocation order only under `withWriteLock`,
 * which the change sequence needs (registration numbers do not).
 */
export async function bumpCounter(
  trx: Kysely<Database>,
  name: CounterName,
  by = 1,
): Promise<{ first: number; last: number }> {
  if (!Number.isInteger(by) || by < 1) throw new RangeError(`counter step must be ≥ 1: ${by}`);
  const row = await trx
    .updateTable('counter')
    .set((eb) => ({ value: eb('value', '+', by) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  const last = Number(row.value);
  return { first: last - by + 1, last };
}

/** Allocates the next change sequence number (for a row in `sok`, `access_revocation` …). */
export async function nextChangeSeq(trx: Kysely<Database>): Promise<number> {
  return (await bumpCounter(trx, 'change')).last;
}

/** The last allocated change sequence (0 when nothing changed yet). */
export async function currentChangeSeq(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('counter')
    .select('value')
    .where('name', '=', 'change')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
