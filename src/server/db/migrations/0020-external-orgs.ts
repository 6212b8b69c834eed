import type { Kysely } from 'kysely';

/**
 * Organisations outside the app (issue #18 item 3, docs/mailbox.md): a ŞÖK routed to one of them
 * is sent to it by e-mail, its answer comes back through the mailbox, and a late answer is
 * reminded. `external` is shipped reference data (resources/reference/bursa.json), refreshed at
 * every start like the names.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('external', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').dropColumn('external').execute();
}
