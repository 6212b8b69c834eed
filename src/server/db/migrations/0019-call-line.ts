import type { Kysely } from 'kysely';
import { autoIncrementId, dialectOf, json, timestamp } from './columns';

/**
 * The call line in front of the agents (issue #20, docs/telephony.md): every call to a line
 * number (153, a district desk's) as a caller in arrival order (`seq`), the offers of that call to
 * agents with their outcome, and each agent's SIP extension with their skills. Kept here, not in
 * an API instance's memory, so any instance can hand the next caller to a freed agent and an
 * instance that dies loses no caller's place.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const seqType = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('line_caller')
    .$call(autoIncrementId('seq', dialect))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('sip_call_id', 'text', (c) => c.notNull().unique())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('offer_id', 'text')
    .addColumn('call_log_id', 'text')
    .$call(timestamp('arrived_at'))
    .$call(timestamp('answered_at', { nullable: true }))
    .$call(timestamp('ended_at', { nullable: true }))
    .$call(timestamp('last_seen_at'))
    .execute();
  await db.schema
    .createIndex('line_caller_line_state_idx')
    .on('line_caller')
    .columns(['line', 'state', 'seq'])
    .execute();
  await db.schema
    .createIndex('line_caller_line_arrived_idx')
    .on('line_caller')
    .columns(['line', 'arrived_at'])
    .execute();

  await db.schema
    .createTable('line_offer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('caller_seq', seqType, (c) => c.notNull().references('line_caller.seq'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('extension', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .$call(timestamp('offered_at'))
    .$call(timestamp('ring_until'))
    .$call(timestamp('answered_at', { nullable: true }))
    .$call(timestamp('ended_at', { nullable: true }))
    .execute();
  await db.schema
    .createIndex('line_offer_agent_idx')
    .on('line_offer')
    .columns(['agent_id', 'outcome'])
    .execute();
  await db.schema
    .createIndex('line_offer_caller_idx')
    .on('line_offer')
    .column('caller_seq')
    .execute();

  await db.schema
    .createTable('line_agent')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('extension', 'text', (c) => c.notNull().unique())
    .$call(json('skills'))
    .$call(timestamp('updated_at'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('line_agent').execute();
  await db.schema.dropTable('line_offer').execute();
  await db.schema.dropTable('line_caller').execute();
}
