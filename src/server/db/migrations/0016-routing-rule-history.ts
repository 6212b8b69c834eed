import { sql, type Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * Routing rules keep their history (issue #17 item 12): every set of rules that was in force is a
 * numbered version — the rules as JSON, who put it in force and when, how (seeded, edited, rolled
 * back to an earlier version) and what changed against the version before. An administrator
 * reads it, and rolls back to any version, which is itself recorded as a new version.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_rule_version')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('seed', 'edit', 'rollback')`),
    )
    .addColumn('rolled_back_to', 'integer')
    .addColumn('changed_by', 'text')
    .$call(timestamp('changed_at'))
    /** JSON: { added: id[], removed: id[], changed: { id, fields: string[] }[] }. */
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('routing_rule_version').execute();
}
