import { sql, type Kysely } from 'kysely';

/**
 * Which organisation an e-mail to an organisation went to (`notification.to_org`), kept for every
 * such mail, not only while it waits for the address (`awaiting_org`): the supervisor's figure of
 * how long outside organisations take to answer (docs/mailbox.md) counts the requests per
 * organisation. Requests sent before this migration take the organisation they waited for, or
 * else the one the ŞÖK is routed to now (the best that is known).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notification').addColumn('to_org', 'text').execute();
  await sql`
    UPDATE notification SET to_org = COALESCE(
      awaiting_org,
      (SELECT s.target_org FROM sok s WHERE s.id = notification.sok_id)
    )
    WHERE purpose IN ('external-request', 'external-reminder')
  `.execute(db);
  await db.schema
    .createIndex('notification_to_org_idx')
    .on('notification')
    .columns(['purpose', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notification_to_org_idx').execute();
  await db.schema.alterTable('notification').dropColumn('to_org').execute();
}
