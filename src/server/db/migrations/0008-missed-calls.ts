import type { Kysely } from 'kysely';

/**
 * Missed inbound calls as a queue: who settled an owed call, when, and how (the call returned,
 * nobody reachable, or no call needed), so the missed-call queue has its own record.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('call_log').addColumn('callback_by', 'text').execute();
  await db.schema.alterTable('call_log').addColumn('callback_at', 'text').execute();
  await db.schema.alterTable('call_log').addColumn('callback_note', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['callback_note', 'callback_at', 'callback_by']) {
    await db.schema.alterTable('call_log').dropColumn(name).execute();
  }
}
