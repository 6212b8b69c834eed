import type { Kysely } from 'kysely';

/**
 * E-mails to an organisation that has no mailbox wait in the outbox for it (`awaiting_org`)
 * instead of being dropped; an administrator setting the address releases them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
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
}
