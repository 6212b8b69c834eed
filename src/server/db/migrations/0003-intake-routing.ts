import type { Kysely } from 'kysely';
import { json, timestamp } from './columns';

/**
 * Intake and routing: the citizen's e-mail and preferred contact, optional coordinates, the KVKK
 * notice (who gave it and when) and SMS consent on each ŞÖK; how it was routed (the rule, or the
 * agent's reason for overriding it); admin-editable routing rules; and the ŞÖK's timeline.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of [
    ['citizen_email', 'text'],
    ['preferred_contact', 'text'],
    ['latitude', 'double precision'],
    ['longitude', 'double precision'],
    ['kvkk_notice_by', 'text'],
    ['kvkk_notice_at', 'text'],
    ['sms_consent', 'integer'],
    ['route_rule_id', 'text'],
    ['route_reason', 'text'],
  ] as const) {
    await db.schema.alterTable('sok').addColumn(name, type).execute();
  }

  await db.schema
    .createTable('routing_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('district', 'text')
    .$call(json('place', { nullable: true }))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .$call(timestamp('updated_at'))
    .execute();

  // The timeline: every step of a ŞÖK with who, which organisation, when and why. Append-only;
  // change_seq puts each event into the sync feed of everyone who may see the ŞÖK.
  await db.schema
    .createTable('sok_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sok_id', 'text', (c) => c.notNull().references('sok.id'))
    .addColumn('change_seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('actor_org', 'text', (c) => c.references('organisation.code'))
    .$call(timestamp('at'))
    .addColumn('note', 'text', (c) => c.notNull())
    .$call(json('data', { nullable: true }))
    .execute();
  await db.schema.createIndex('sok_event_sok_idx').on('sok_event').column('sok_id').execute();
  await db.schema.createIndex('sok_event_seq_idx').on('sok_event').column('change_seq').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sok_event').execute();
  await db.schema.dropTable('routing_rule').execute();
  for (const name of [
    'route_reason',
    'route_rule_id',
    'sms_consent',
    'kvkk_notice_at',
    'kvkk_notice_by',
    'longitude',
    'latitude',
    'preferred_contact',
    'citizen_email',
  ]) {
    await db.schema.alterTable('sok').dropColumn(name).execute();
  }
}
