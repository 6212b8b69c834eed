import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * The supervisor console (issue #7): indexes that let the dashboard's aggregates read a period
 * or a queue without scanning every ŞÖK, and the record of the monthly report e-mails (one row
 * per month, so several API instances never send it twice).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Every index ends with the columns the figures filter on (deleted, and origin/target for a
  // district's scope) so PostgreSQL can answer from the index alone.
  // Queue counts: ŞÖKs waiting to be accepted or in evaluation, per receiving organisation.
  await db.schema
    .createIndex('sok_status_target_idx')
    .on('sok')
    .columns(['status', 'target_org', 'deleted', 'origin_org'])
    .execute();
  // Callback queues: open callbacks by due time (due today, overdue) and those that ended
  // unreachable lately, per owner.
  await db.schema
    .createIndex('sok_callback_queue_idx')
    .on('sok')
    .columns([
      'callback_state',
      'callback_due_at',
      'callback_closed_at',
      'callback_owner_org',
      'deleted',
      'origin_org',
      'target_org',
    ])
    .execute();
  // Callback SLA over a period: callbacks by due time, with what the figures group by.
  await db.schema
    .createIndex('sok_callback_due_sla_idx')
    .on('sok')
    .columns([
      'callback_due_at',
      'callback_state',
      'callback_closed_at',
      'callback_owner_org',
      'district_code',
      'topic_code',
      'deleted',
      'origin_org',
      'target_org',
    ])
    .execute();
  // Volumes and the legal limit over a period: ŞÖKs by registration time, covering the columns
  // the figures group by.
  await db.schema
    .createIndex('sok_created_volume_idx')
    .on('sok')
    .columns([
      'created_at',
      'origin_org',
      'target_org',
      'topic_code',
      'district_code',
      'channel_code',
      'callback_state',
      'callback_closed_at',
      'deleted',
    ])
    .execute();
  // A district's or unit's supervisor: their ŞÖKs by time, from either side.
  await db.schema
    .createIndex('sok_target_created_idx')
    .on('sok')
    .columns(['target_org', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sok_origin_created_idx')
    .on('sok')
    .columns(['origin_org', 'created_at'])
    .execute();

  await db.schema
    .createTable('monthly_report')
    .addColumn('month', 'text', (c) => c.primaryKey())
    /** 'sending' (claimed) | 'sent' | 'failed' (retried at the next pass). */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .$call(timestamp('claimed_until'))
    .$call(timestamp('updated_at'))
    .$call(timestamp('sent_at', { nullable: true }))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monthly_report').execute();
  for (const name of [
    'sok_origin_created_idx',
    'sok_target_created_idx',
    'sok_created_volume_idx',
    'sok_callback_due_sla_idx',
    'sok_callback_queue_idx',
    'sok_status_target_idx',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
}
