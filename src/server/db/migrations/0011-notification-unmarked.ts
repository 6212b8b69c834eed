import { sql, type Kysely } from 'kysely';

/**
 * The notification worker asks, on every pass, whether any pending receipt of a channel this
 * instance cannot send still lacks the "not configured" reason. Without an index that question
 * read every pending row (all of them, on an instance with no SMS provider): a partial index over
 * the never-attempted pending rows, by channel and reason, answers it from a few index entries.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('notification_unmarked_idx')
    .on('notification')
    .columns(['channel', 'last_error'])
    .where(sql.ref('state'), '=', 'pending')
    .where(sql.ref('attempts'), '=', 0)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notification_unmarked_idx').execute();
}
