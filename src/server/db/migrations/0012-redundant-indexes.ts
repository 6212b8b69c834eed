import type { Kysely } from 'kysely';

/**
 * Indexes whose columns lead a wider index added later (0007): every query they served is served
 * as well by the wider one, while each of them cost a B-tree update on every ŞÖK written, inside
 * the write lock that all pushes share.
 *
 *   sok_target_org_idx      (target_org)                  ⊂ sok_target_created_idx
 *   sok_origin_org_idx      (origin_org)                  ⊂ sok_origin_created_idx
 *   sok_callback_open_idx   (callback_state, due_at)      ⊂ sok_callback_queue_idx
 *   open311_sok_created_idx (created_at)                  ⊂ sok_created_volume_idx
 */
const REDUNDANT = [
  'sok_target_org_idx',
  'sok_origin_org_idx',
  'sok_callback_open_idx',
  'open311_sok_created_idx',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const name of REDUNDANT) await db.schema.dropIndex(name).ifExists().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sok_target_org_idx').on('sok').column('target_org').execute();
  await db.schema.createIndex('sok_origin_org_idx').on('sok').column('origin_org').execute();
  await db.schema
    .createIndex('sok_callback_open_idx')
    .on('sok')
    .columns(['callback_state', 'callback_due_at'])
    .execute();
  await db.schema.createIndex('open311_sok_created_idx').on('sok').column('created_at').execute();
}
