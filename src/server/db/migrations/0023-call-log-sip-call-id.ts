import type { Kysely } from 'kysely';

/**
 * Calls are matched by their SIP Call-ID: whether anyone answered a line call before a desk's
 * missed-call report owes a callback (calls/answered-elsewhere.ts), the line's caller records,
 * and a desk's re-sent call log. Without an index each of those reads the whole call log.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('call_log_sip_call_id_idx')
    .on('call_log')
    .column('sip_call_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('call_log_sip_call_id_idx').execute();
}
