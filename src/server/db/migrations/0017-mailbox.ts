import { sql, type Kysely } from 'kysely';
import { bool, dialectOf, timestamp } from './columns';

/**
 * The Alo-153 mailbox (issue #18, docs/mailbox.md). Each e-mail read over IMAP becomes one
 * `mail_item` in the "E-posta" intake queue of the organisation that owns the mailbox, with its
 * attachments in `mail_attachment` (bytes kept in the database, in the same transaction, so an
 * item never exists without its files nor files without an item).
 *
 * Exactly once: `mailbox_checkpoint` holds the UIDVALIDITY and the highest UID taken, written in
 * the same transaction as the item; `(mailbox, uid_validity, uid)` and `(mailbox, message_id)`
 * are unique, so neither a crash nor a second reader can take a message twice. On SQLite,
 * `mailbox_lease` says which reader holds a mailbox (PostgreSQL uses an advisory lock).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const blob = dialectOf(db) === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('mailbox_checkpoint')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('uid_validity', 'bigint', (c) => c.notNull())
    .addColumn('last_uid', 'bigint', (c) => c.notNull())
    .$call(timestamp('updated_at'))
    .execute();

  await db.schema
    .createTable('mailbox_lease')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .$call(timestamp('expires_at'))
    .execute();

  await db.schema
    .createTable('mail_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('uid_validity', 'bigint', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('citizen', 'automatic', 'bounce', 'quarantined')`),
    )
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('new', 'registered', 'linked', 'set_aside')`),
    )
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .$call(timestamp('sent_at', { nullable: true }))
    .$call(timestamp('received_at'))
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    /** JSON array of Message-IDs (the References header). */
    .addColumn('refs', 'text', (c) => c.notNull())
    /** Automatic mail, bounces and quarantined mail are never answered. */
    .$call(bool('no_reply', 0))
    /** The sender is an organisation (its address is the organisation's e-mail): its answer. */
    .addColumn('from_org_code', 'text')
    .addColumn('mentioned_reg_no', 'text')
    .addColumn('mentioned_sok_id', 'text')
    .addColumn('quarantine_reason', 'text')
    .addColumn('set_aside_reason', 'text')
    .addColumn('set_aside_note', 'text')
    .addColumn('bounced_notification_id', 'text')
    .addColumn('sok_id', 'text')
    .addColumn('handled_by', 'text')
    .$call(timestamp('handled_at', { nullable: true }))
    .addColumn('raw_size', 'integer', (c) => c.notNull())
    /** The message as received, kept only for quarantined mail (for whoever examines it). */
    .addColumn('raw', blob)
    .addColumn('change_seq', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('mail_item_uid_unique', ['mailbox', 'uid_validity', 'uid'])
    .addUniqueConstraint('mail_item_message_id_unique', ['mailbox', 'message_id'])
    .execute();
  await db.schema
    .createIndex('mail_item_queue')
    .on('mail_item')
    .columns(['org_code', 'state', 'received_at'])
    .execute();
  await db.schema.createIndex('mail_item_change').on('mail_item').column('change_seq').execute();

  await db.schema
    .createTable('mail_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('mail_item.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text', (c) => c.notNull())
    /** The type found in the bytes (file-type), which decides; null when nothing was found. */
    .addColumn('detected_type', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    /** null: stored; otherwise why it was refused ('type', 'too-large', 'too-many'). */
    .addColumn('refused', 'text', (c) =>
      c.check(sql`refused is null or refused in ('type', 'too-large', 'too-many')`),
    )
    .addColumn('content', blob)
    .execute();
  await db.schema
    .createIndex('mail_attachment_item')
    .on('mail_attachment')
    .columns(['item_id', 'position'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_attachment').execute();
  await db.schema.dropTable('mail_item').execute();
  await db.schema.dropTable('mailbox_lease').execute();
  await db.schema.dropTable('mailbox_checkpoint').execute();
}
