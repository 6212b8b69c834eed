import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * The softphone's records: every call an agent's desk logged (per organisation, with its SIP
 * Call-ID, times, outcome and wrap-up), and each agent's current state plus its history, which
 * supervisors of the organisation (or BİKOM) read. Missed inbound calls carry
 * `callback_state = 'owed'` until a callback task takes them over (src/server/calls/missed.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('call_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sip_call_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .$call(timestamp('started_at'))
    .$call(timestamp('answered_at', { nullable: true }))
    .$call(timestamp('ended_at'))
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('end_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('disposition', 'text')
    .addColumn('sok_id', 'text', (c) => c.references('sok.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .$call(timestamp('wrapped_up_at', { nullable: true }))
    .addColumn('callback_state', 'text')
    .$call(timestamp('recorded_at'))
    .execute();
  await db.schema
    .createIndex('call_log_org_started_idx')
    .on('call_log')
    .columns(['org_code', 'started_at'])
    .execute();
  await db.schema
    .createIndex('call_log_callback_idx')
    .on('call_log')
    .columns(['callback_state', 'started_at'])
    .execute();

  await db.schema
    .createTable('agent_state')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .$call(timestamp('since'))
    .$call(timestamp('updated_at'))
    .execute();
  await db.schema
    .createTable('agent_state_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .$call(timestamp('at'))
    .$call(timestamp('recorded_at'))
    .execute();
  await db.schema
    .createIndex('agent_state_history_user_at_idx')
    .on('agent_state_history')
    .columns(['user_id', 'at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_state_history').execute();
  await db.schema.dropTable('agent_state').execute();
  await db.schema.dropTable('call_log').execute();
}
