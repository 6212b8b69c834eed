/**
 * The supervisor console's queries on PostgreSQL at scale: 1,000,000 ŞÖKs and 5,000,000
 * timeline events (issue #7: every dashboard query p95 ≤ 200 ms).
 *
 *   npm run bench -- --only supervisor
 *   BENCH_SUP_SOKS=100000 BENCH_SUP_EVENTS_PER_SOK=2 npm run bench -- --only supervisor   (quick)
 *
 * Env: BENCH_PG_URL (maintenance database, default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_SUP_SOKS (1,000,000), BENCH_SUP_EVENTS_PER_SOK (5), BENCH_SUP_YEARS the ŞÖKs are spread
 * over (8: ~10,400 a month, four times the press release's ~2,600), BENCH_SUP_REPS (20),
 * BENCH_SUP_KEEP=1 keeps the database for the next run (it is reused when its scale matches, and
 * migrated first; one the migrations cannot bring up to date — migrated by another branch — is
 * rebuilt), BENCH_SUP_DB names it (default alo153_bench_supervisor_<soks>_<events>_<years>).
 *
 * Data are generated inside PostgreSQL (INSERT … SELECT over generate_series, in batches), so
 * setup is bounded by the server's write speed, not by the client. Then the monthly stats are
 * refreshed until no month that is over is dirty (timed), and each figure is timed as the API computes
 * it (src/server/supervisor/figures/), end to end through Kysely and pg — and the 12-month ones
 * also from `sok` alone, as before the stats. Last, the stats triggers' cost on the write path:
 * 10,000 single-row updates of `sok` with and without them.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { MigrationError } from '../src/server/db/migrate';
import { openServerDb, type ServerDb } from '../src/server/db/open';
import { readReferenceFile, seedReferenceData } from '../src/server/reference-seed';
import {
  namesOf,
  queueCounts,
  queueItems,
  slaFigures,
  volumeFigures,
  type FigureContext,
} from '../src/server/supervisor/figures';
import { addDays, istanbulDay, monthPeriod } from '../src/server/supervisor/period';
import { refreshSupervisorStats } from '../src/server/supervisor/stats-refresher';
import type { ScopeUser } from '../src/server/scope';
import {
  envInt,
  fmtInt,
  fmtMs,
  nowMs,
  progress,
  summarize,
  type Benchmark,
  type Figures,
  type Summary,
} from './lib';

const MAINTENANCE_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_P95_MS = 200;
const BATCH = 250_000;

function dbUrl(name: string): string {
  const url = new URL(MAINTENANCE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: MAINTENANCE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const iso = (expr: string) =>
  `to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function load(db: ServerDb, soks: number, eventsPerSok: number, years: number) {
  const data = readReferenceFile('resources/reference/bursa.json');
  await seedReferenceData(db, data);
  const parents = new Set(data.topics.map((t) => t.parentCode).filter((p) => p !== null));
  const topics = data.topics.filter((t) => !parents.has(t.code)).map((t) => t.code);
  const districts = data.districts.map((d) => d.code);
  const receivers = data.organisations.filter((o) => o.kind !== 'call-centre').map((o) => o.code);
  const districtOrgs = data.organisations
    .filter((o) => o.kind === 'district-municipality')
    .map((o) => o.code);
  const channels = data.channels.map((c) => c.code);
  const now = new Date().toISOString();
  await sql`insert into app_user (id, username, display_name, password_hash, role, org_code, created_at, updated_at)
            values ('bench-agent', 'bench-agent', 'Bench Agent', 'x', 'agent', 'bikom', ${now}, ${now})
            on conflict do nothing`.execute(db);
  const spanSeconds = years * 365 * 86_400;
  for (let from = 1; from <= soks; from += BATCH) {
    const to = Math.min(soks, from + BATCH - 1);
    const started = nowMs();
    // i → created: evenly from `years` ago to now; status by age (recent ones still open).
    await sql`
      insert into sok (id, reg_no, type_code, channel_code, topic_code, district_code, mahalle,
        address, description, citizen_name, citizen_phone, status, origin_org, target_org,
        created_by, created_at, updated_at, change_seq, deleted, callback_owner_org,
        callback_state, callback_due_at, callback_closed_at, escalation_level)
      select id, reg_no, type_code, channel_code, topic_code, district_code, 'Merkez', '',
        'Bench ŞÖK', 'Ayşe Işık', '+905321234567', status, origin_org, target_org, 'bench-agent',
        ${sql.raw(iso('created'))}, ${sql.raw(iso('created'))}, i, 0,
        case when status in ('decided', 'informed', 'closed') then target_org end,
        case when status = 'decided' then 'open'
             when status in ('informed', 'closed') then
               case when i % 5 = 0 then 'unreachable' else 'done' end end,
        case when status in ('decided', 'informed', 'closed') then
          ${sql.raw(iso("created + interval '3 days'"))} end,
        case when status in ('informed', 'closed') then
          case when i % 7 = 0 then ${sql.raw(iso("created + interval '4 days'"))}
               else ${sql.raw(iso("created + interval '2 days'"))} end end,
        case when status = 'decided' then 0 end
      from (
        select i,
          md5('sok' || i)::uuid::text as id,
          lpad(((i / 10000) % 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0')
            as reg_no,
          case when i % 10 < 7 then 'sikayet' else 'talep' end as type_code,
          (${channels}::text[])[1 + (i * 7) % ${channels.length}] as channel_code,
          (${topics}::text[])[1 + (i * 31) % ${topics.length}] as topic_code,
          (${districts}::text[])[1 + (i * 13) % ${districts.length}] as district_code,
          case when i % 4 = 0 then (${districtOrgs}::text[])[1 + (i * 3) % ${districtOrgs.length}]
               else 'bikom' end as origin_org,
          (${receivers}::text[])[1 + (i * 11) % ${receivers.length}] as target_org,
          created,
          case
            when created > now() - interval '3 days' then
              (array['routed', 'accepted', 'decided'])[1 + i % 3]
            when created > now() - interval '20 days' then
              (array['routed', 'accepted', 'decided', 'informed', 'closed', 'closed'])[1 + i % 6]
            else case when i % 50 = 0 then 'decided' when i % 20 = 0 then 'informed'
                      else 'closed' end
          end as status
        from (
          select i, now() - make_interval(secs => ${spanSeconds}::double precision * (${soks} - i) / ${soks}) as created
          from generate_series(${from}::int, ${to}::int) as i
        ) g
      ) s`.execute(db);
    progress(`  ŞÖKs ${fmtInt(to)} / ${fmtInt(soks)} (${fmtMs((nowMs() - started) / 1000)} s)`);
  }
  const events = soks * eventsPerSok;
  for (let from = 1; from <= events; from += BATCH * 2) {
    const to = Math.min(events, from + BATCH * 2 - 1);
    const started = nowMs();
    await sql`
      insert into sok_event (id, sok_id, change_seq, kind, actor_id, actor_org, at, note, data)
      select md5('ev' || j)::uuid::text, md5('sok' || (1 + (j - 1) / ${eventsPerSok}))::uuid::text,
        ${soks} + j, (array['registered', 'routed', 'accepted', 'decided', 'attempt'])[1 + j % 5],
        'bench-agent', 'bikom', ${now}, '', null
      from generate_series(${from}::int, ${to}::int) as j`.execute(db);
    progress(`  events ${fmtInt(to)} / ${fmtInt(events)} (${fmtMs((nowMs() - started) / 1000)} s)`);
  }
  await sql`update counter set value = ${soks + events} where name = 'change'`.execute(db);
  progress('  VACUUM ANALYZE …');
  await sql`vacuum analyze sok`.execute(db);
  await sql`vacuum analyze sok_event`.execute(db);
  await sql`create table bench_marker (soks integer, events integer)`.execute(db);
  await sql`insert into bench_marker values (${soks}, ${events})`.execute(db);
}

async function time(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = nowMs();
    await fn();
    samples.push(nowMs() - started);
  }
  return samples;
}

/** Runs the refresher until no month that is over is dirty; how many months, how long. */
async function refreshAll(db: ServerDb): Promise<{ months: number; ms: number; pending: number }> {
  const started = nowMs();
  let months = 0;
  for (;;) {
    const pass = await refreshSupervisorStats(db, new Date());
    months += pass.refreshed;
    if (pass.refreshed + pass.changed === 0 && !pass.busy) {
      return { months, ms: nowMs() - started, pending: pass.pending };
    }
  }
}

/**
 * The stats triggers on the write path: 5,000 ŞÖKs of one old month change topic and back, one
 * autocommitted UPDATE each: two rounds to warm the cache (every index of `sok` gets an entry),
 * then four timed rounds — with the triggers, without, without, with (so drift in cache or load
 * falls on both sides alike): 10,000 updates each way. The wall-clock difference is at the
 * mercy of a shared machine, so 2,000 more updates run under EXPLAIN ANALYZE, which reports the
 * time PostgreSQL spent in the trigger itself. The data end as they were; the months the rounds
 * marked are recomputed at the end, so the stats stay exact.
 */
async function triggerCost(
  name: string,
  db: ServerDb,
): Promise<{ updates: number; withMs: number; withoutMs: number; triggerMs: Summary }> {
  const month = monthPeriod(istanbulDay(new Date(Date.now() - 400 * 86_400_000)).slice(0, 7));
  const client = new pg.Client({ connectionString: dbUrl(name) });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; topic_code: string }>(
      `select id, topic_code from sok where created_at >= $1 order by created_at limit 5000`,
      [`${month.from}T00:00:00.000Z`],
    );
    const other = (topic: string) => (topic === 'yol.cukur' ? 'yol.kaldirim' : 'yol.cukur');
    let changed = false;
    const update = (row: { id: string; topic_code: string }, explain = '') =>
      client.query<{ 'QUERY PLAN': [{ Triggers?: { 'Trigger Name': string; Time: number }[] }] }>(
        `${explain}update sok set topic_code = $1 where id = $2`,
        [changed ? other(row.topic_code) : row.topic_code, row.id],
      );
    const round = async (triggers: boolean) => {
      changed = !changed;
      if (!triggers) await client.query('alter table sok disable trigger sok_stats_update');
      try {
        const started = nowMs();
        for (const row of rows) await update(row);
        return nowMs() - started;
      } finally {
        if (!triggers) await client.query('alter table sok enable trigger sok_stats_update');
      }
    };
    await round(true);
    await round(true);
    const with1 = await round(true);
    const withoutMs = (await round(false)) + (await round(false));
    const withMs = with1 + (await round(true));
    const inTrigger: number[] = [];
    for (let i = 0; i < 2; i++) {
      changed = !changed;
      for (const row of rows.slice(0, 1000)) {
        const plan = await update(row, 'explain (analyze, format json) ');
        const trigger = plan.rows[0]!['QUERY PLAN'][0].Triggers?.find(
          (t) => t['Trigger Name'] === 'sok_stats_update',
        );
        if (trigger !== undefined) inTrigger.push(trigger.Time);
      }
    }
    await refreshAll(db);
    return { updates: rows.length * 2, withMs, withoutMs, triggerMs: summarize(inTrigger) };
  } finally {
    await client.end();
  }
}

const benchmark: Benchmark = {
  name: 'supervisor',
  description: 'supervisor dashboard queries on PostgreSQL (1M ŞÖKs, 5M events)',
  async run(): Promise<Figures[]> {
    const soks = envInt('BENCH_SUP_SOKS', 1_000_000);
    const perSok = envInt('BENCH_SUP_EVENTS_PER_SOK', 5);
    const years = envInt('BENCH_SUP_YEARS', 8);
    const reps = envInt('BENCH_SUP_REPS', 20);
    const keep = process.env.BENCH_SUP_KEEP === '1';
    const name = process.env.BENCH_SUP_DB ?? `alo153_bench_supervisor_${soks}_${perSok}_${years}`;
    const exists = await admin(
      async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount,
    );
    let db: ServerDb | null = null;
    let setupMs = 0;
    let migrateMs = 0;
    try {
      if (exists) {
        const started = nowMs();
        db = await openServerDb({ databaseUrl: dbUrl(name), sqliteFile: '' }).catch(
          (error: unknown) => {
            if (!(error instanceof MigrationError)) throw error;
            progress(`database ${name} cannot be migrated (${error.message}); rebuilding it`);
            return null;
          },
        );
        migrateMs = nowMs() - started;
        const marker =
          db === null
            ? { rows: [] }
            : await sql<{ soks: number }>`select soks from bench_marker`
                .execute(db)
                .catch(() => ({ rows: [] }));
        if (marker.rows.length === 0) {
          await db?.close();
          db = null;
          await admin((c) => c.query(`drop database ${name}`));
        } else {
          progress(
            `reusing database ${name} (opened and migrated in ${fmtMs(migrateMs / 1000)} s)`,
          );
        }
      }
      if (db === null) {
        await admin((c) => c.query(`create database ${name}`));
        db = await openServerDb({ databaseUrl: dbUrl(name), sqliteFile: '', pgPoolMax: 4 });
        const started = nowMs();
        progress(`loading ${fmtInt(soks)} ŞÖKs and ${fmtInt(soks * perSok)} events …`);
        await load(db, soks, perSok, years);
        setupMs = nowMs() - started;
      }
      progress('refreshing the monthly stats …');
      const refresh = await refreshAll(db);
      const names = namesOf(readReferenceFile('resources/reference/bursa.json'));
      const bikom: ScopeUser = { role: 'supervisor', orgKind: 'call-centre', orgCode: 'bikom' };
      const district: ScopeUser = {
        role: 'supervisor',
        orgKind: 'district-municipality',
        orgCode: 'ilce.nilufer',
      };
      const ctx = (user: ScopeUser, useStats = true): FigureContext => ({
        db: db!,
        user,
        now: new Date(),
        names,
        useStats,
      });
      const today = istanbulDay(new Date());
      const last30 = { from: addDays(today, -29), to: today };
      const last12m = { from: addDays(today, -364), to: today };
      const thresholds = { goodPercent: 90, warnPercent: 75 };
      const biggest = (await queueCounts(ctx(bikom))).rows[0]?.org ?? 'ilce.nilufer';
      const cases: [string, () => Promise<unknown>][] = [
        ['queues — BİKOM (all)', () => queueCounts(ctx(bikom))],
        ['queues — Nilüfer supervisor', () => queueCounts(ctx(district))],
        [
          `drill-down overdue, 100 rows — ${biggest}`,
          () =>
            queueItems(
              { ...ctx(bikom), viewerOrg: 'bikom' },
              { queue: 'overdue', org: biggest, limit: 100, offset: 0 },
            ),
        ],
        ['SLA last 30 days — BİKOM', () => slaFigures(ctx(bikom), last30, thresholds)],
        ['SLA last 30 days — Nilüfer', () => slaFigures(ctx(district), last30, thresholds)],
        ['SLA last 12 months — BİKOM', () => slaFigures(ctx(bikom), last12m, thresholds)],
        ['volumes last 30 days — BİKOM', () => volumeFigures(ctx(bikom), last30)],
        ['volumes last 12 months — BİKOM', () => volumeFigures(ctx(bikom), last12m)],
        ['volumes last 12 months — Nilüfer', () => volumeFigures(ctx(district), last12m)],
        [
          'SLA last 12 months — BİKOM, from sok alone',
          () => slaFigures(ctx(bikom, false), last12m, thresholds),
        ],
        [
          'volumes last 12 months — BİKOM, from sok alone',
          () => volumeFigures(ctx(bikom, false), last12m),
        ],
        [
          'volumes last 12 months — Nilüfer, from sok alone',
          () => volumeFigures(ctx(district, false), last12m),
        ],
      ];
      const rows: Record<string, string | number>[] = [];
      for (const [label, fn] of cases) {
        progress(`  ${label}`);
        const s = summarize(await time(reps, fn));
        rows.push({
          query: label,
          p50: fmtMs(s.p50),
          p95: fmtMs(s.p95),
          max: fmtMs(s.max),
          // The "from sok alone" rows are the comparison the console does not use.
          verdict: label.endsWith('from sok alone')
            ? `(comparison: ${s.p95 <= TARGET_P95_MS ? 'would pass' : 'would miss'})`
            : s.p95 <= TARGET_P95_MS
              ? 'ok'
              : 'FAIL',
        });
      }
      progress('  write path: 10,000 single-row updates with the stats triggers, 10,000 without');
      const writes = await triggerCost(name, db);
      const counts = await sql<{ soks: string; events: string; stats: string }>`
        select (select count(*) from sok) as soks, (select count(*) from sok_event) as events,
          (select count(*) from sok_stats) as stats`.execute(db);
      const statsSize = await sql<{ size: string }>`
        select pg_size_pretty(pg_total_relation_size('sok_stats')) as size`.execute(db);
      return [
        {
          title: `Supervisor dashboard on PostgreSQL — ${fmtInt(Number(counts.rows[0]!.soks))} ŞÖKs, ${fmtInt(Number(counts.rows[0]!.events))} events`,
          columns: [
            { key: 'query', label: 'figure (one API call)', align: 'left' },
            { key: 'p50', label: 'p50 ms' },
            { key: 'p95', label: 'p95 ms' },
            { key: 'max', label: 'max ms' },
            { key: 'verdict', label: `p95 ≤ ${TARGET_P95_MS} ms`, align: 'left' },
          ],
          rows,
          notes: [
            `${reps} timed runs after 2 warm-ups each, sequential, one connection at a time.`,
            setupMs > 0
              ? `Setup (generate, index, VACUUM ANALYZE): ${fmtMs(setupMs / 1000)} s.`
              : `Setup: reused the cached database (BENCH_SUP_KEEP=1); opening and migrating it took ${fmtMs(migrateMs / 1000)} s.`,
            `Monthly stats: ${refresh.months} months refreshed in ${fmtMs(refresh.ms / 1000)} s (${fmtInt(Number(counts.rows[0]!.stats))} rows, ${statsSize.rows[0]!.size}); ${refresh.pending} months not over yet (dirty, read live).`,
            `Write path: ${fmtInt(writes.updates)} single-row sok updates (topic, one connection, autocommit, after 2 warm-up rounds, rounds with/without/without/with) took ${fmtMs(writes.withMs / 1000)} s with the stats triggers, ${fmtMs(writes.withoutMs / 1000)} s without (${fmtMs(writes.withMs / writes.updates)} vs ${fmtMs(writes.withoutMs / writes.updates)} ms per update); inside PostgreSQL the trigger took ${fmtMs(writes.triggerMs.p50 * 1000)} µs per update (p50; p95 ${fmtMs(writes.triggerMs.p95 * 1000)} µs, EXPLAIN ANALYZE, ${fmtInt(writes.triggerMs.n)} updates).`,
            `ŞÖKs spread over ${years} years; the 30-day figures read ~${fmtInt(Math.round((soks / (years * 365)) * 30))} ŞÖKs, the 12-month ones ~${fmtInt(Math.round(soks / years))}.`,
          ],
        },
      ];
    } finally {
      await db?.close();
      if (!keep) await admin((c) => c.query(`drop database if exists ${name}`));
    }
  },
};

export default benchmark;
