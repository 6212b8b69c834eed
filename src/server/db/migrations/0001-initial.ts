import { sql, type Kysely } from 'kysely';
import { bool, json, timestamp } from './columns';

/**
 * The initial schema: reference data (organisations, districts), identity (users, sessions),
 * the ŞÖK table with its change sequence, and the bookkeeping the sync protocol needs (clients,
 * mutation log, access revocations, leased registration-number blocks).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organisation')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.references('district.code'))
    .addColumn('public_phone', 'text')
    .addColumn('email', 'text')
    .execute();

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('agent', 'desk', 'supervisor', 'admin')`),
    )
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .$call(bool('active', 1))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(timestamp('locked_until', { nullable: true }))
    .$call(timestamp('created_at'))
    .$call(timestamp('updated_at'))
    .execute();
  await db.schema.createIndex('app_user_org_idx').on('app_user').column('org_code').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failed_logins', 'integer', (c) => c.notNull())
    .$call(timestamp('locked_until', { nullable: true }))
    .$call(timestamp('updated_at'))
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('access_hash', 'text', (c) => c.notNull().unique())
    .$call(timestamp('access_expires_at'))
    .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
    .$call(timestamp('refresh_expires_at'))
    .$call(timestamp('revoked_at', { nullable: true }))
    .addColumn('revoked_reason', 'text')
    .$call(timestamp('created_at'))
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();
  await db.schema
    .createIndex('session_refresh_expiry_idx')
    .on('session')
    .column('refresh_expires_at')
    .execute();

  await db.schema
    .createTable('retired_refresh_token')
    .addColumn('refresh_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('session.id').onDelete('cascade'),
    )
    .$call(timestamp('retired_at'))
    .execute();
  await db.schema
    .createIndex('retired_refresh_token_session_idx')
    .on('retired_refresh_token')
    .column('session_id')
    .execute();

  await db.schema
    .createTable('client')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('last_mutation_id', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(timestamp('created_at'))
    .$call(timestamp('last_seen_at'))
    .execute();

  await db.schema
    .createTable('mutation_log')
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('mutation_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'rejected')`))
    .$call(json('error', { nullable: true }))
    .$call(timestamp('applied_at'))
    .addPrimaryKeyConstraint('mutation_log_pk', ['client_id', 'mutation_id'])
    .execute();

  await db.schema
    .createTable('sok')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reg_no', 'text', (c) => c.notNull().unique())
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('channel_code', 'text', (c) => c.notNull())
    .addColumn('topic_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull().references('district.code'))
    .addColumn('mahalle', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('citizen_name', 'text', (c) => c.notNull())
    .addColumn('citizen_phone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('origin_org', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('target_org', 'text', (c) => c.references('organisation.code'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .$call(timestamp('created_at'))
    .$call(timestamp('updated_at'))
    .addColumn('change_seq', 'integer', (c) => c.notNull())
    .$call(bool('deleted', 0))
    .execute();
  await db.schema.createIndex('sok_change_seq_idx').on('sok').column('change_seq').execute();
  await db.schema.createIndex('sok_target_org_idx').on('sok').column('target_org').execute();
  await db.schema.createIndex('sok_origin_org_idx').on('sok').column('origin_org').execute();

  await db.schema
    .createTable('counter')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('counter')
    .values([
      { name: 'change', value: 0 },
      { name: 'reg_no', value: 0 },
    ])
    .execute();

  await db.schema
    .createTable('access_revocation')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sok_id', 'text', (c) => c.notNull().references('sok.id'))
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .$call(timestamp('created_at'))
    .addPrimaryKeyConstraint('access_revocation_pk', ['seq', 'sok_id', 'org_code'])
    .execute();
  await db.schema
    .createIndex('access_revocation_org_seq_idx')
    .on('access_revocation')
    .columns(['org_code', 'seq'])
    .execute();

  await db.schema
    .createTable('number_block')
    .addColumn('start', 'integer', (c) => c.primaryKey())
    .addColumn('end_incl', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .$call(timestamp('leased_at'))
    .addCheckConstraint('number_block_range', sql`end_incl >= start`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'number_block',
    'access_revocation',
    'counter',
    'sok',
    'mutation_log',
    'client',
    'retired_refresh_token',
    'session',
    'login_throttle',
    'app_user',
    'organisation',
    'district',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
