import type { Kysely } from 'kysely';
import { timestamp } from './columns';

/**
 * API keys for machine clients such as the web form's Open311 intake. Each key acts as a
 * service account (ŞÖKs need a creating user) on behalf of an organisation; only its SHA-256 is
 * kept, and revoking sets `revoked_at` rather than deleting, so who issued what stays known.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_key')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('acting_user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .$call(timestamp('created_at'))
    .$call(timestamp('revoked_at', { nullable: true }))
    .execute();
  // The keys' first client, Open311, also lists ŞÖKs by registration time (GET /requests).
  await db.schema.createIndex('open311_sok_created_idx').on('sok').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('open311_sok_created_idx').execute();
  await db.schema.dropTable('api_key').execute();
}
