import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * The live agent board's current calls (issue #7): one row per agent with the call their desk
 * last reported (ringing or talking, direction, times, linked ŞÖK; never the citizen's number),
 * or none, as of `at`. The row stays when the call ends so that a late report of an older call
 * cannot bring it back. `session_id` names the session that delivered the report: the call is
 * shown only while that session is alive (docs/supervisor.md).
 *
 * Also an index on the call log by start time: the board, read every second, sums every
 * agent's calls of the day, and BİKOM's supervisors read all organisations' at once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agent_call')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    // Not a foreign key: expired sessions are deleted, and the row must outlive them.
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text')
    .addColumn('phase', 'text')
    .addColumn('direction', 'text')
    .$call(timestamp('started_at', { nullable: true }))
    .$call(timestamp('answered_at', { nullable: true }))
    // Not a foreign key either: the report may name a ŞÖK whose registration the server refused.
    .addColumn('sok_id', 'text')
    .$call(timestamp('at'))
    .$call(timestamp('updated_at'))
    .execute();
  await db.schema.createIndex('call_log_started_idx').on('call_log').column('started_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('call_log_started_idx').execute();
  await db.schema.dropTable('agent_call').execute();
}
