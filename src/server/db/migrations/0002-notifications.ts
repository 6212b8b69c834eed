import { sql, type Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * The notification outbox (SMS and e-mail to citizens, sent by the server's worker once the ŞÖK
 * is on the server) and the admin-editable templates its texts are rendered from.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sok_id', 'text', (c) => c.notNull().references('sok.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('sms', 'email')`))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(timestamp('next_attempt_at'))
    .addColumn('last_error', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('claim_token', 'text')
    .$call(timestamp('claimed_until', { nullable: true }))
    .$call(timestamp('created_at'))
    .$call(timestamp('updated_at'))
    .$call(timestamp('sent_at', { nullable: true }))
    .addColumn('change_seq', 'integer', (c) => c.notNull())
    .execute();
  // The worker's claim: due rows by state and time.
  await db.schema
    .createIndex('notification_due_idx')
    .on('notification')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('notification_sok_idx').on('notification').column('sok_id').execute();
  await db.schema
    .createIndex('notification_change_seq_idx')
    .on('notification')
    .column('change_seq')
    .execute();

  await db.schema
    .createTable('notification_template')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id'))
    .$call(timestamp('updated_at'))
    .addPrimaryKeyConstraint('notification_template_pk', ['code', 'locale'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_template').execute();
  await db.schema.dropTable('notification').execute();
}
