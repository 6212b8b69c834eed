import type { Kysely } from 'kysely';

/**
 * Organisations' mailboxes belong to the administrators once they set them: who set the address
 * and when (null: still the shipped reference value, which the seed may refresh). E-mails to an
 * organisation that has no address wait in the outbox for it (`awaiting_org`) instead of being
 * dropped; setting the address releases them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('email_set_by', 'text').execute();
  await db.schema.alterTable('organisation').addColumn('email_set_at', 'text').execute();
  await db.schema.alterTable('notification').addColumn('awaiting_org', 'text').execute();
  await db.schema
    .createIndex('notification_awaiting_org_idx')
    .on('notification')
    .column('awaiting_org')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notification_awaiting_org_idx').execute();
  await db.schema.alterTable('notification').dropColumn('awaiting_org').execute();
  await db.schema.alterTable('organisation').dropColumn('email_set_at').execute();
  await db.schema.alterTable('organisation').dropColumn('email_set_by').execute();
}
