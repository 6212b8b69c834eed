import { sql, type Kysely } from 'kysely';
import { dialectOf } from './columns';

/**
 * Monthly figures for the supervisor console (issue #7: year-long periods within 200 ms on
 * 1,000,000 ŞÖKs), kept exactly right:
 *
 * - `sok_stats`: per Istanbul month, the counts the SLA and volume figures sum, by dimension and
 *   key, for every viewer: '*' (BİKOM, who see all) and each organisation (the ŞÖKs it sent or
 *   was sent, src/server/scope.ts). Basis 'created' (by registration month: n, ended, legal_ok)
 *   and 'due' (by the callback's due month: n, ended = closed, on_time).
 * - `sok_stats_dirty`: the months whose figures are stale. Triggers on `sok` mark them in the
 *   writer's own transaction; the refresher (src/server/supervisor/stats.ts) recomputes a month
 *   and deletes its marker only when `seq` is unchanged since it read it. Every marking takes a
 *   new value (a sequence on PostgreSQL, the `stats_mark` counter on SQLite), so a marker that
 *   was changed — or deleted and made again — in between is never mistaken for the one read.
 *
 * Every month already in `sok` starts dirty, so an existing database gets its figures from the
 * refresher; until then the console reads those months live, as before.
 */

const CREATED_COLUMNS = [
  'origin_org',
  'target_org',
  'topic_code',
  'district_code',
  'channel_code',
  'deleted',
  'callback_state',
  'callback_closed_at',
  'created_at',
];
const DUE_COLUMNS = [
  'origin_org',
  'target_org',
  'topic_code',
  'district_code',
  'deleted',
  'callback_state',
  'callback_closed_at',
  'callback_due_at',
  'callback_owner_org',
];
const ALL_COLUMNS = [...new Set([...CREATED_COLUMNS, ...DUE_COLUMNS])];

const changed = (columns: string[], distinct: string) =>
  columns.map((c) => `old.${c} ${distinct} new.${c}`).join(' or ');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('sok_stats')
    .addColumn('basis', 'text', (c) => c.notNull().check(sql`basis in ('created', 'due')`))
    /** YYYY-MM, Istanbul. */
    .addColumn('month', 'text', (c) => c.notNull())
    /** '*' or an organisation code. */
    .addColumn('viewer', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    /** '' for none (a ŞÖK not routed yet). */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('ended', 'integer', (c) => c.notNull())
    .addColumn('legal_ok', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    // Basis and month first: the refresher replaces one month; readers take a few months of one
    // viewer (each a contiguous range of this key).
    .addPrimaryKeyConstraint('sok_stats_pk', ['basis', 'month', 'viewer', 'dim', 'key'])
    .execute();
  await db.schema
    .createTable('sok_stats_dirty')
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sok_stats_dirty_pk', ['basis', 'month'])
    .execute();

  if (postgres) await upPostgres(db);
  else await upSqlite(db);
}

/** Istanbul month (UTC+3 all year) of an ISO UTC text timestamp, in each dialect. */
const PG_MONTH = (ts: string) =>
  `to_char(((${ts})::timestamptz at time zone 'UTC') + interval '3 hours', 'YYYY-MM')`;
const SQLITE_MONTH = (ts: string) => `strftime('%Y-%m', ${ts}, '+3 hours')`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create sequence sok_stats_mark_seq`.execute(db);
  // One marking per transaction and month is enough: the first one changed `seq` and holds the
  // marker's row lock until commit, so a refresher that read it before cannot delete it. Later
  // ones are skipped (a bulk write of many ŞÖKs of one month would otherwise update the same
  // row over and over in one transaction). The transaction-local setting remembers them.
  await sql
    .raw(
      `create function sok_stats_mark(p_basis text, p_at text) returns void
       language plpgsql as $$
       declare
         v_month text;
         v_key text;
         v_done text;
       begin
         if p_at is null then return; end if;
         v_month := ${PG_MONTH('p_at')};
         v_key := p_basis || v_month || ',';
         v_done := coalesce(current_setting('alo153.stats_marked', true), '');
         if position(v_key in v_done) > 0 then return; end if;
         insert into sok_stats_dirty (basis, month, seq)
           values (p_basis, v_month, nextval('sok_stats_mark_seq'))
           on conflict (basis, month) do update set seq = excluded.seq;
         perform set_config('alo153.stats_marked', v_done || v_key, true);
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function sok_stats_on_write() returns trigger
       language plpgsql as $$
       begin
         if tg_op = 'INSERT' then
           perform sok_stats_mark('created', new.created_at);
           perform sok_stats_mark('due', new.callback_due_at);
           return null;
         end if;
         if tg_op = 'DELETE' then
           perform sok_stats_mark('created', old.created_at);
           perform sok_stats_mark('due', old.callback_due_at);
           return null;
         end if;
         if ${changed(CREATED_COLUMNS, 'is distinct from')} then
           perform sok_stats_mark('created', old.created_at);
           if new.created_at is distinct from old.created_at then
             perform sok_stats_mark('created', new.created_at);
           end if;
         end if;
         if ${changed(DUE_COLUMNS, 'is distinct from')} then
           perform sok_stats_mark('due', old.callback_due_at);
           if new.callback_due_at is distinct from old.callback_due_at then
             perform sok_stats_mark('due', new.callback_due_at);
           end if;
         end if;
         return null;
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger sok_stats_insert after insert on sok
       for each row execute function sok_stats_on_write()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger sok_stats_update after update of ${ALL_COLUMNS.join(', ')} on sok
       for each row when (${changed(ALL_COLUMNS, 'is distinct from')})
       execute function sok_stats_on_write()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger sok_stats_delete after delete on sok
       for each row execute function sok_stats_on_write()`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into sok_stats_dirty (basis, month, seq)
       select 'created', m, 0 from (select distinct ${PG_MONTH('created_at')} as m from sok) c
       union all
       select 'due', m, 0 from (
         select distinct ${PG_MONTH('callback_due_at')} as m from sok where callback_due_at is not null
       ) d`,
    )
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upSqlite(db: Kysely<any>): Promise<void> {
  // SQLite has no sequences: a counter row, bumped once per trigger run.
  await sql`insert into counter (name, value) values ('stats_mark', 0)`.execute(db);
  const bump = `update counter set value = value + 1 where name = 'stats_mark';`;
  const mark = (basis: string, ts: string, when = 'true') =>
    `insert into sok_stats_dirty (basis, month, seq)
       select '${basis}', ${SQLITE_MONTH(ts)}, value from counter
       where name = 'stats_mark' and ${ts} is not null and ${SQLITE_MONTH(ts)} is not null and ${when}
       on conflict (basis, month) do update set seq = excluded.seq;`;
  const triggers: [string, string, string][] = [
    [
      'sok_stats_insert',
      'after insert on sok',
      `${bump} ${mark('created', 'new.created_at')} ${mark('due', 'new.callback_due_at')}`,
    ],
    [
      'sok_stats_delete',
      'after delete on sok',
      `${bump} ${mark('created', 'old.created_at')} ${mark('due', 'old.callback_due_at')}`,
    ],
    [
      'sok_stats_update_created',
      `after update of ${CREATED_COLUMNS.join(', ')} on sok when ${changed(CREATED_COLUMNS, 'is not')}`,
      `${bump} ${mark('created', 'old.created_at')}
       ${mark('created', 'new.created_at', 'new.created_at is not old.created_at')}`,
    ],
    [
      'sok_stats_update_due',
      `after update of ${DUE_COLUMNS.join(', ')} on sok when ${changed(DUE_COLUMNS, 'is not')}`,
      `${bump} ${mark('due', 'old.callback_due_at')}
       ${mark('due', 'new.callback_due_at', 'new.callback_due_at is not old.callback_due_at')}`,
    ],
  ];
  for (const [name, event, body] of triggers) {
    await sql.raw(`create trigger ${name} ${event} begin ${body} end`).execute(db);
  }
  await sql
    .raw(
      `insert into sok_stats_dirty (basis, month, seq)
       select distinct 'created', ${SQLITE_MONTH('created_at')}, 0 from sok
       where ${SQLITE_MONTH('created_at')} is not null
       union
       select distinct 'due', ${SQLITE_MONTH('callback_due_at')}, 0 from sok
       where ${SQLITE_MONTH('callback_due_at')} is not null`,
    )
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    for (const name of ['sok_stats_insert', 'sok_stats_update', 'sok_stats_delete']) {
      await sql.raw(`drop trigger ${name} on sok`).execute(db);
    }
    await sql`drop function sok_stats_on_write()`.execute(db);
    await sql`drop function sok_stats_mark(text, text)`.execute(db);
    await sql`drop sequence sok_stats_mark_seq`.execute(db);
  } else {
    for (const name of [
      'sok_stats_insert',
      'sok_stats_delete',
      'sok_stats_update_created',
      'sok_stats_update_due',
    ]) {
      await sql.raw(`drop trigger ${name}`).execute(db);
    }
    await sql`delete from counter where name = 'stats_mark'`.execute(db);
  }
  await db.schema.dropTable('sok_stats_dirty').execute();
  await db.schema.dropTable('sok_stats').execute();
}
