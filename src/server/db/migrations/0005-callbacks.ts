import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * The mandated callback (issue #5): who accepted a ŞÖK and when, the decision, and the callback
 * task it created (owner, state, due time, attempts, claim, escalation). The decision and the
 * task are stored whole as JSON (what travels to clients), with the columns queues and sweeps
 * filter on beside them. Plus the admin-edited extra days off (idari izin).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of [
    ['accepted_by', 'text'],
    ['accepted_at', 'text'],
    ['callback_owner_org', 'text'],
    ['callback_state', 'text'],
    ['callback_due_at', 'text'],
    ['callback_closed_at', 'text'],
    ['claimed_by', 'text'],
    ['claim_until', 'text'],
    ['escalation_level', 'integer'],
  ] as const) {
    await db.schema.alterTable('sok').addColumn(name, type).execute();
  }
  await db.schema.alterTable('sok').addColumn('decision', 'text').execute();
  await db.schema.alterTable('sok').addColumn('callback', 'text').execute();
  // The sweeps (claims running out, overdue callbacks) and the queues read open callbacks by due.
  await db.schema
    .createIndex('sok_callback_open_idx')
    .on('sok')
    .columns(['callback_state', 'callback_due_at'])
    .execute();
  await db.schema
    .createIndex('sok_callback_owner_idx')
    .on('sok')
    .columns(['callback_owner_org', 'callback_state'])
    .execute();

  await db.schema
    .createTable('day_off')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .$call(timestamp('updated_at'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('day_off').execute();
  await db.schema.dropIndex('sok_callback_owner_idx').execute();
  await db.schema.dropIndex('sok_callback_open_idx').execute();
  for (const name of [
    'callback',
    'decision',
    'escalation_level',
    'claim_until',
    'claimed_by',
    'callback_closed_at',
    'callback_due_at',
    'callback_state',
    'callback_owner_org',
    'accepted_at',
    'accepted_by',
  ]) {
    await db.schema.alterTable('sok').dropColumn(name).execute();
  }
}
