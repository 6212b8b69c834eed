import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * Login throttling kept in the shared database, so that every API instance counts the same
 * attempts (SECURITY.md, "Sign-in throttling"). One row per counter:
 *
 * - `rate`: requests from one source address to the sign-in endpoints in the current window;
 * - `source-lock`: consecutive failures for one username from one source, and that source's lock;
 * - `user-backoff`: failures for one username from all sources, and the back-off they impose;
 * - `known-source`: a source that signed in successfully as that username (exempt from back-off).
 *
 * The old per-account counters (app_user.failed_logins/locked_until, login_throttle) locked the
 * account for everyone; they are no longer read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('hits', 'integer', (c) => c.notNull())
    .$call(timestamp('window_started_at'))
    .$call(timestamp('blocked_until', { nullable: true }))
    .$call(timestamp('updated_at'))
    .execute();
  await db.schema
    .createIndex('auth_throttle_username_idx')
    .on('auth_throttle')
    .columns(['username', 'kind'])
    .execute();
  await db.schema
    .createIndex('auth_throttle_updated_idx')
    .on('auth_throttle')
    .column('updated_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_throttle').execute();
}
