import { sql, type Kysely } from 'kysely';
import { dialectOf, timestamp } from './columns';

/**
 * KVKK (issue #19): the retention schedule, a record of every destruction run, an append-only log
 * of who saw which citizen's contact details, and the citizens' own requests (art. 11/13).
 * `sok.anonymised_at` marks a ŞÖK whose personal data was destroyed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  await db.schema.alterTable('sok').addColumn('anonymised_at', 'text').execute();
  await db.schema.alterTable('call_log').addColumn('anonymised_at', 'text').execute();
  // Which version of the notice was read and of the SMS-survey consent agreed to; a withdrawal.
  await db.schema.alterTable('sok').addColumn('kvkk_notice_version', 'integer').execute();
  await db.schema.alterTable('sok').addColumn('sms_consent_version', 'integer').execute();
  await db.schema.alterTable('sok').addColumn('sms_consent_withdrawn_at', 'text').execute();

  await db.schema
    .createTable('kvkk_text')
    /** 'notice' (aydınlatma metni) | 'sms-consent' (the survey consent's wording). */
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('notice', 'sms-consent')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .$call(timestamp('published_at'))
    .addColumn('published_by', 'text')
    .addPrimaryKeyConstraint('kvkk_text_pk', ['kind', 'version'])
    .execute();
  // Version 1 is the wording every desk showed before texts were versioned (a frozen copy).
  await db
    .insertInto('kvkk_text')
    .values([
      { kind: 'notice', version: 1, text: NOTICE_V1, published_at: EPOCH, published_by: null },
      {
        kind: 'sms-consent',
        version: 1,
        text: SMS_CONSENT_V1,
        published_at: EPOCH,
        published_by: null,
      },
    ])
    .execute();
  await db
    .updateTable('sok')
    .set({ kvkk_notice_version: 1 })
    .where('kvkk_notice_at', 'is not', null)
    .execute();
  await db
    .updateTable('sok')
    .set({ sms_consent_version: 1 })
    .where('sms_consent', '=', 1)
    .execute();

  await db.schema
    .createTable('kvkk_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    /** JSON, validated by the domain's schema when read. */
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .$call(timestamp('updated_at'))
    .execute();

  await db.schema
    .createTable('destruction_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .$call(timestamp('started_at'))
    .$call(timestamp('finished_at'))
    /** 'periodic' | 'subject-request' */
    .addColumn('trigger', 'text', (c) => c.notNull())
    /** The user who started it (a subject request), null for the periodic job. */
    .addColumn('started_by', 'text')
    .addColumn('method', 'text', (c) => c.notNull().defaultTo('anonymisation'))
    /** JSON: the schedule (or the request) under which it ran, and the cut-off instants. */
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('sok_count', 'integer', (c) => c.notNull())
    .addColumn('call_count', 'integer', (c) => c.notNull())
    .addColumn('notification_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('destruction_run_started')
    .on('destruction_run')
    .column('started_at')
    .execute();

  await db.schema
    .createTable('personal_data_access')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .$call(timestamp('at'))
    .$call(timestamp('recorded_at'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull())
    /** The desk (sync stream) it came from; null when the server itself served the data. */
    .addColumn('client_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sok_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('personal_data_access_at')
    .on('personal_data_access')
    .column('at')
    .execute();
  await db.schema
    .createIndex('personal_data_access_sok')
    .on('personal_data_access')
    .column('sok_id')
    .execute();
  await db.schema
    .createIndex('personal_data_access_user')
    .on('personal_data_access')
    .columns(['user_id', 'at'])
    .execute();

  // Nobody edits the access log, administrators included: the database refuses.
  if (postgres) {
    await sql`
      create function personal_data_access_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'personal_data_access is append-only';
      end $$`.execute(db);
    await sql`
      create trigger personal_data_access_no_change
      before update or delete on personal_data_access
      for each row execute function personal_data_access_append_only()`.execute(db);
    await sql`
      create trigger personal_data_access_no_truncate
      before truncate on personal_data_access
      for each statement execute function personal_data_access_append_only()`.execute(db);
  } else {
    await sql`
      create trigger personal_data_access_no_update before update on personal_data_access
      begin select raise(abort, 'personal_data_access is append-only'); end`.execute(db);
    await sql`
      create trigger personal_data_access_no_delete before delete on personal_data_access
      begin select raise(abort, 'personal_data_access is append-only'); end`.execute(db);
  }

  await db.schema
    .createTable('subject_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('access', 'correct', 'erase')`),
    )
    /** E.164 phone or lower-case e-mail of the person asking; one of them at least. */
    .addColumn('subject_phone', 'text')
    .addColumn('subject_email', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .$call(timestamp('received_at'))
    .$call(timestamp('due_at'))
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'answered')`))
    .$call(timestamp('answered_at', { nullable: true }))
    .addColumn('answered_by', 'text')
    /** JSON: what was done (ŞÖKs found, corrected, anonymised, kept and why). */
    .addColumn('outcome', 'text')
    .execute();
  await db.schema
    .createIndex('subject_request_open')
    .on('subject_request')
    .columns(['state', 'due_at'])
    .execute();
}

const EPOCH = '2000-01-01T00:00:00.000Z';
const NOTICE_V1 =
  'Kişisel verileriniz, veri sorumlusu Bursa Büyükşehir Belediyesi tarafından başvurunuzun alınması, ilgili birime iletilmesi ve sonuçlandırılması amacıyla işlenmektedir. Verileriniz yalnızca bu amaçla, başvurunuzla ilgilenecek belediye birimine, ilçe belediyesine veya kuruma (örneğin BUSKİ) aktarılabilir. İşlemenin hukuki sebebi, belediyenin 3071 sayılı Dilekçe Hakkının Kullanılmasına Dair Kanun ve 5393 sayılı Belediye Kanunu’ndan doğan yasal yükümlülüğüdür. KVKK’nın 11. maddesi uyarınca verilerinizin işlenip işlenmediğini öğrenme, bilgi isteme, düzeltilmesini veya silinmesini isteme ve diğer haklarınızı kullanmak için Bursa Büyükşehir Belediyesi’ne başvurabilirsiniz.';
const SMS_CONSENT_V1 =
  'Başvurunuz sonuçlandıktan sonra memnuniyetinizi ölçmek için size SMS ile kısa bir anket gönderebiliriz. İzin vermeniz isteğe bağlıdır ve başvurunuzun işlenmesini etkilemez; izninizi istediğiniz zaman geri alabilirsiniz.';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subject_request').execute();
  await db.schema.dropTable('personal_data_access').execute();
  if (dialectOf(db) === 'postgres') {
    await sql`drop function personal_data_access_append_only()`.execute(db);
  }
  await db.schema.dropTable('destruction_run').execute();
  await db.schema.dropTable('kvkk_setting').execute();
  await db.schema.dropTable('kvkk_text').execute();
  for (const column of ['sms_consent_withdrawn_at', 'sms_consent_version', 'kvkk_notice_version']) {
    await db.schema.alterTable('sok').dropColumn(column).execute();
  }
  await db.schema.alterTable('call_log').dropColumn('anonymised_at').execute();
  await db.schema.alterTable('sok').dropColumn('anonymised_at').execute();
}
