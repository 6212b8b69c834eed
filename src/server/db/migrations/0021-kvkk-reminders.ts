import type { Kysely } from 'kysely';

/**
 * KVKK art. 13 reminders (issue #19): when the call centre's mailbox was told that an open
 * citizen's request is due within five days, and that it is overdue (each once).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subject_request').addColumn('due_soon_mailed_at', 'text').execute();
  await db.schema.alterTable('subject_request').addColumn('overdue_mailed_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subject_request').dropColumn('overdue_mailed_at').execute();
  await db.schema.alterTable('subject_request').dropColumn('due_soon_mailed_at').execute();
}
