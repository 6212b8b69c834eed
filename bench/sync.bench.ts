/**
 * Sync at scale, against the real central API on a fresh PostgreSQL database (dropped at the
 * end) and the real client core (SQLite store + SyncEngine):
 *
 *   1. initial sync of BENCH_SYNC_SOKS (200,000) ŞÖKs into an empty client   target ≥ 20,000 rows/s
 *   2. draining BENCH_SYNC_OFFLINE (10,000) mutations registered offline     target ≤ 5 s
 *   3. live propagation A → B with BENCH_SYNC_CLIENTS (200) connected        target p95 ≤ 100 ms
 *   4. sustained pushes from BENCH_SYNC_CLIENTS clients, BENCH_SYNC_SECONDS  target ≥ 1,000/s,
 *      (20 s)                                                                p99 ≤ 250 ms
 *
 * The API runs `startServer(config)` in a child process (bench/sync-server.ts) so that it has an
 * event loop of its own; the client cores and the lightweight clients run in this process. The
 * config is the test one (cheap scrypt, silent log) with the login rate limit raised, since every
 * desk logs in from loopback.
 *
 * Where a target is missed, the tables under the verdicts say where the time went: the API's
 * PostgreSQL queries per push and how long the global write lock is held, the CPU split between
 * the API, PostgreSQL and this process, and the client's pull/parse/apply split.
 *
 * Env: BENCH_SYNC_SOKS, BENCH_SYNC_OFFLINE, BENCH_SYNC_CLIENTS, BENCH_SYNC_SAMPLES (live samples,
 * default 60), BENCH_SYNC_SECONDS, BENCH_SYNC_PG_POOL (API pool size, default 10 as in
 * production), BENCH_SYNC_SERVER_NODE_OPTIONS (node flags for the API process, e.g. --cpu-prof).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createClientCore, type ClientCore } from '../src/client/core';
import { ReferenceDataSchema, type ReferenceData } from '../src/domain/reference';
import { formatRegNo } from '../src/domain/regno';
import type { SokDraft } from '../src/domain/sok';
import { PullResponseSchema, type Mutation } from '../src/domain/sync';
import type { ServerDb } from '../src/server/db/open';
import type { SokTable } from '../src/server/db/schema';
import { createTestBackend, type TestBackend } from '../src/server/test-support/backends';
import {
  envInt,
  fmtBytes,
  fmtInt,
  fmtMs,
  nowMs,
  percentile,
  progress,
  type Benchmark,
  type Cell,
  type Figures,
} from './lib';
import { createGenerator, Rng } from './search-data';
import {
  createPayload,
  createUsers,
  JsonHttp,
  LightClient,
  setupAdmin,
  startApiProcess,
  type ApiProcess,
  type BenchUser,
  type ServerStats,
} from './sync-api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESOURCES = path.join(ROOT, 'resources');
const REFERENCE_FILE = path.join(RESOURCES, 'reference/bursa.json');
const SEED = 153;
const SEED_CHUNK = 2_000;
const PASSWORD = 'Bench-parola-2026';
const WARMUP_SAMPLES = 5;
const PUSH_WARMUP_MS = 2_000;

const TARGET = {
  initialRowsPerSec: 20_000,
  drainSeconds: 5,
  liveP95Ms: 100,
  pushPerSec: 1_000,
  pushP99Ms: 250,
};

const ADMIN: BenchUser = {
  username: 'yonetici',
  displayName: 'Sistem Yöneticisi',
  password: 'Yönetici-parola-2026',
  role: 'admin',
  orgCode: 'bikom',
};

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Cleanup {
  private readonly steps: { what: string; step: () => unknown }[] = [];

  add(what: string, step: () => unknown): void {
    this.steps.push({ what, step });
  }

  /** Runs every step, newest first, even when some fail; returns the failures. */
  async run(): Promise<string[]> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const { what, step } = this.steps.pop() as { what: string; step: () => unknown };
      try {
        await step();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    }
    return failures;
  }
}

async function call<T = unknown>(core: ClientCore, method: string, input: unknown = {}) {
  const result = await core.dispatch(method, input);
  if (!result.ok) {
    throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  }
  return result.value as T;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = nowMs();
  while (!check()) {
    if (nowMs() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs `fn` over items, `parallel` at a time. */
async function eachParallel<T>(
  items: readonly T[],
  parallel: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const fmtRate = (n: number) => (Number.isFinite(n) ? fmtInt(Math.round(n)) : '–');
const fmtS = (ms: number) => (ms / 1000).toFixed(2);
const pct = (part: number, whole: number) =>
  whole > 0 ? `${((100 * part) / whole).toFixed(0)}%` : '–';

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): API process, PostgreSQL backends, this process, idle.

interface CpuSnapshot {
  total: number;
  idle: number;
  procs: Map<number, number>;
}

function procTicks(pid: number | 'self'): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function postgresPids(): number[] {
  const pids: number[] = [];
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') {
          pids.push(Number(entry));
        }
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return pids;
}

function cpuSnapshot(apiPid: number): CpuSnapshot {
  let total = 0;
  let idle = 0;
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    idle = (v[3] ?? 0) + (v[4] ?? 0);
  } catch {
    // no /proc
  }
  const procs = new Map<number, number>();
  procs.set(-1, procTicks('self'));
  procs.set(-2, procTicks(apiPid));
  for (const pid of postgresPids()) procs.set(pid, procTicks(pid));
  return { total, idle, procs };
}

/** CPU shares between two snapshots, in % of one core (2 cores = 200%). */
function cpuSplit(a: CpuSnapshot, b: CpuSnapshot): string {
  const cores = os.cpus().length;
  const total = b.total - a.total;
  if (total <= 0) return 'n/a (no /proc)';
  const share = (ticks: number) => `${((100 * cores * ticks) / total).toFixed(0)}%`;
  const delta = (pid: number) => (b.procs.get(pid) ?? 0) - (a.procs.get(pid) ?? 0);
  let pg = 0;
  for (const pid of b.procs.keys()) if (pid > 0) pg += delta(pid);
  const api = delta(-2);
  const self = delta(-1);
  const idle = b.idle - a.idle;
  const other = total - idle - api - pg - self;
  return (
    `API ${share(api)}, PostgreSQL ${share(pg)}, bench process ${share(self)}, ` +
    `other ${share(Math.max(0, other))}, idle ${share(idle)} (of ${cores * 100}%)`
  );
}

// ---------------------------------------------------------------------------------------------
// Seeding the server database directly

type SokInsert = Omit<SokTable, 'deleted'>;

/** Inserts n generated ŞÖKs with change_seq 1..n and sets both counters; returns ms. */
async function seedSoks(db: ServerDb, ref: ReferenceData, n: number): Promise<number> {
  const started = nowMs();
  const gen = createGenerator(ref, n, SEED);
  const rng = new Rng(SEED ^ 0xbeef);
  const orgs = new Set(ref.organisations.map((o) => o.code));
  const units = ref.organisations.filter((o) => o.kind === 'metropolitan-unit').map((o) => o.code);
  const authors = new Set<string>();
  let lastReport = nowMs();
  for (let from = 0; from < n; from += SEED_CHUNK) {
    const to = Math.min(n, from + SEED_CHUNK);
    const rows: SokInsert[] = [];
    const newAuthors: string[] = [];
    for (let i = from; i < to; i++) {
      const s = gen.next(i);
      if (!authors.has(s.createdBy)) {
        authors.add(s.createdBy);
        newAuthors.push(s.createdBy);
      }
      // Most older ŞÖKs have been routed and worked on; the newest are still being registered.
      const age = (n - i) / n;
      const desk = `ilce.${s.draft.districtCode}`;
      const routed = age > 0.01 || rng.chance(0.5);
      const target = !routed ? null : orgs.has(desk) && rng.chance(0.7) ? desk : rng.pick(units);
      const status: SokInsert['status'] = !routed
        ? 'registered'
        : age > 0.05
          ? rng.pick(['closed', 'closed', 'closed', 'informed', 'decided'])
          : rng.pick(['routed', 'accepted', 'decided']);
      const at = s.now.toISOString();
      const updated = new Date(s.now.getTime() + rng.int(5 * 24 * 3600 * 1000)).toISOString();
      rows.push({
        id: s.id,
        reg_no: s.regNo,
        type_code: s.draft.typeCode,
        channel_code: s.draft.channelCode,
        topic_code: s.draft.topicCode,
        district_code: s.draft.districtCode,
        mahalle: s.draft.mahalle,
        address: s.draft.address,
        description: s.draft.description,
        citizen_name: s.draft.citizenName,
        citizen_phone: s.draft.citizenPhone,
        status,
        origin_org: s.originOrg,
        target_org: target,
        created_by: s.createdBy,
        created_at: at,
        updated_at: status === 'registered' ? at : updated,
        change_seq: i + 1,
      });
    }
    if (newAuthors.length > 0) {
      const at = new Date().toISOString();
      await db
        .insertInto('app_user')
        .values(
          newAuthors.map((id) => ({
            id,
            username: `kayit.${id.slice(0, 8)}`,
            display_name: `Eski Temsilci ${id.slice(0, 4)}`,
            password_hash: 'disabled',
            role: 'agent' as const,
            org_code: 'bikom',
            active: 0,
            created_at: at,
            updated_at: at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await db.insertInto('sok').values(rows).execute();
    if (nowMs() - lastReport > 5000 || to === n) {
      lastReport = nowMs();
      progress(`  seeded ${fmtInt(to)} / ${fmtInt(n)} ŞÖKs`);
    }
  }
  await db
    .updateTable('counter')
    .set({ value: n })
    .where('name', 'in', ['change', 'reg_no'])
    .execute();
  await sql`analyze`.execute(db);
  return nowMs() - started;
}

// ---------------------------------------------------------------------------------------------
// Client cores

interface FetchStats {
  requests: number;
  ms: number;
  bytes: number;
}

/** fetch that reads the whole body before returning, so the time in it is request + transfer. */
function measuredFetch(stats: FetchStats): typeof fetch {
  return async (input, init) => {
    const started = nowMs();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    stats.requests++;
    stats.ms += nowMs() - started;
    stats.bytes += body.byteLength;
    const empty = response.status === 204 || response.status === 304;
    return new Response(empty ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function openCore(
  dataDir: string,
  apiUrl: string,
  errors: string[],
  sync: { auto: boolean },
  fetchStats?: FetchStats,
): ClientCore {
  return createClientCore({
    dataDir,
    host: 'browser',
    version: 'bench',
    resourcesDir: RESOURCES,
    apiUrl,
    log: (message, error) => errors.push(`${message}: ${(error as Error | undefined)?.message}`),
    sync,
    ...(fetchStats ? { fetch: measuredFetch(fetchStats) } : {}),
  });
}

const localCount = (core: ClientCore, table: string) =>
  core.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

// ---------------------------------------------------------------------------------------------
// Server-side diagnosis

function queryTable(title: string, stats: ServerStats, per: number, perLabel: string): Figures {
  const rows = Object.entries(stats.queries)
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .map(([kind, s]) => ({
      kind,
      count: fmtInt(s.count),
      perOp: (s.count / per).toFixed(2),
      mean: fmtMs(s.totalMs / s.count),
      total: fmtMs(s.totalMs),
    }));
  const all = Object.values(stats.queries).reduce(
    (a, s) => ({ count: a.count + s.count, ms: a.ms + s.totalMs }),
    { count: 0, ms: 0 },
  );
  return {
    title,
    columns: [
      { key: 'kind', label: 'query (API → PostgreSQL)' },
      { key: 'count', label: 'count' },
      { key: 'perOp', label: `per ${perLabel}` },
      { key: 'mean', label: 'mean ms' },
      { key: 'total', label: 'total ms' },
    ],
    rows,
    notes: [
      `${fmtInt(all.count)} queries, ${(all.count / per).toFixed(1)} per ${perLabel}; ` +
        `times are round trips as the API sees them (incl. waiting for the write lock).`,
    ],
  };
}

function lockLine(stats: ServerStats, windowMs: number): string {
  const holds = stats.lockHoldMs;
  const waits = stats.lockWaitMs;
  if (holds.length === 0) return 'write lock: not taken';
  const held = holds.reduce((a, b) => a + b, 0);
  return (
    `write lock (pg_advisory_xact_lock → commit): ${fmtInt(holds.length)} acquisitions, ` +
    `held p50 ${fmtMs(percentile(holds, 50))} / p99 ${fmtMs(percentile(holds, 99))} ms, ` +
    `busy ${pct(held, windowMs)} of the time; wait p50 ${fmtMs(percentile(waits, 50))} / ` +
    `p99 ${fmtMs(percentile(waits, 99))} ms; ceiling at this hold time ≈ ` +
    `${fmtRate((1000 * holds.length) / held)} locked transactions/s`
  );
}

// ---------------------------------------------------------------------------------------------

interface Env {
  soks: number;
  offline: number;
  clients: number;
  samples: number;
  seconds: number;
  pgPool: number;
}

function readEnv(): Env {
  return {
    soks: envInt('BENCH_SYNC_SOKS', 200_000),
    offline: envInt('BENCH_SYNC_OFFLINE', 10_000),
    clients: Math.max(3, envInt('BENCH_SYNC_CLIENTS', 200)),
    samples: envInt('BENCH_SYNC_SAMPLES', 60),
    seconds: envInt('BENCH_SYNC_SECONDS', 20),
    pgPool: envInt('BENCH_SYNC_PG_POOL', 10),
  };
}

/** The desks: 3 in 5 BİKOM agents (see everything), the rest desks of the other organisations. */
function deskUsers(ref: ReferenceData, count: number): BenchUser[] {
  const others = ref.organisations.filter((o) => o.kind !== 'call-centre').map((o) => o.code);
  return Array.from({ length: count }, (_, i) => {
    const no = String(i + 1).padStart(3, '0');
    if (i % 5 < 3) {
      return {
        username: `ajan.${no}`,
        displayName: `Temsilci ${no}`,
        password: PASSWORD,
        role: 'agent',
        orgCode: 'bikom',
      };
    }
    return {
      username: `masa.${no}`,
      displayName: `Masa ${no}`,
      password: PASSWORD,
      role: 'desk',
      orgCode: others[i % others.length] as string,
    };
  });
}

interface Verdict {
  no: number;
  scenario: string;
  figure: string;
  value: string;
  target: string;
  verdict: string;
}

async function runSync(env: Env, cleanup: Cleanup): Promise<Figures[]> {
  const ref = ReferenceDataSchema.parse(JSON.parse(fs.readFileSync(REFERENCE_FILE, 'utf8')));
  const verdicts: Verdict[] = [];
  const details: Figures[] = [];
  const coreErrors: string[] = [];

  // --- the API on a fresh PostgreSQL database -------------------------------------------------
  progress('creating a fresh PostgreSQL database and starting the API process');
  const backend: TestBackend = await createTestBackend('postgres');
  cleanup.add('drop the benchmark database', () => backend.drop());
  const config = {
    ...backend.config,
    port: 0,
    host: '127.0.0.1',
    referenceFile: REFERENCE_FILE,
    pgPoolMax: env.pgPool,
    logLevel: 'silent' as const,
    scrypt: { logN: 10, r: 8, p: 1 },
    loginRateLimitMax: 100_000,
  };
  const api: ApiProcess = await startApiProcess(config);
  cleanup.add('stop the API process', () => api.close());
  const http = new JsonHttp(api.url);
  cleanup.add('close HTTP connections', () => http.close());
  const dbName = new URL(config.databaseUrl ?? 'postgres://x/?').pathname.slice(1);

  const adminToken = await setupAdmin(http, ADMIN);
  const first: BenchUser = {
    username: 'ajan.ilk',
    displayName: 'Ayşe Yıldırım',
    password: PASSWORD,
    role: 'agent',
    orgCode: 'bikom',
  };
  const second: BenchUser = { ...first, username: 'ajan.iki', displayName: 'Mehmet Kaya' };
  const desks = deskUsers(ref, env.clients);
  progress(`creating ${desks.length + 2} users through the admin API`);
  await createUsers(http, adminToken, [first, second, ...desks]);

  // --- 1. initial sync --------------------------------------------------------------------------
  progress(`seeding ${fmtInt(env.soks)} ŞÖKs directly into the server database`);
  const seedMs = await seedSoks(backend.db, ref, env.soks);
  const serverBytes = Number(
    (
      await sql<{
        size: number;
      }>`select pg_total_relation_size('sok') as size`.execute(backend.db)
    ).rows[0]?.size ?? 0,
  );

  const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-bench-sync-a-'));
  cleanup.add('remove client A data', () => fs.rmSync(dirA, { recursive: true, force: true }));
  const fetchStats: FetchStats = { requests: 0, ms: 0, bytes: 0 };
  const core = openCore(dirA, api.url, coreErrors, { auto: false }, fetchStats);
  let coreClosed = false;
  cleanup.add('close client A', () => (coreClosed ? undefined : core.close()));
  await call(core, 'auth.login', { username: first.username, password: first.password });

  progress(`1. initial sync of ${fmtInt(env.soks)} ŞÖKs into an empty client`);
  await api.stats();
  fetchStats.requests = 0;
  fetchStats.ms = 0;
  fetchStats.bytes = 0;
  let cpu0 = cpuSnapshot(api.pid);
  let t0 = nowMs();
  await core.sync.syncNow();
  const initialMs = nowMs() - t0;
  const initialCpu = cpuSplit(cpu0, cpuSnapshot(api.pid));
  const initialServer = await api.stats();
  const initialStatus = core.sync.getStatus();
  const pulledRows = localCount(core, 'sok');
  if (initialStatus.lastError !== null || pulledRows !== env.soks) {
    throw new Error(
      `initial sync incomplete: ${pulledRows} of ${env.soks} rows, ${initialStatus.lastError}`,
    );
  }
  const clientFile = path.join(dirA, 'alo153.sqlite');
  const clientBytes = fs.statSync(clientFile).size;

  // Client-side cost of one page, measured apart: JSON.parse and the zod schema.
  const probe = new LightClient(http, first, 'bench-probe-install');
  await probe.login();
  const pageText = JSON.stringify(await probe.pull(0, 1000));
  const parseReps = 5;
  let jsonMs = 0;
  let zodMs = 0;
  for (let i = 0; i < parseReps; i++) {
    const a = nowMs();
    const parsed: unknown = JSON.parse(pageText);
    const b = nowMs();
    PullResponseSchema.parse(parsed);
    jsonMs += b - a;
    zodMs += nowMs() - b;
  }
  const pages = Math.ceil(env.soks / 1000);
  const jsonTotal = (jsonMs / parseReps) * pages;
  const zodTotal = (zodMs / parseReps) * pages;
  const applyMs = Math.max(0, initialMs - fetchStats.ms - jsonTotal - zodTotal);
  const initialRate = env.soks / (initialMs / 1000);
  verdicts.push({
    no: 1,
    scenario: `initial sync, ${fmtInt(env.soks)} ŞÖKs → empty client`,
    figure: 'rows/s',
    value: `${fmtRate(initialRate)} (${fmtS(initialMs)} s)`,
    target: `≥ ${fmtInt(TARGET.initialRowsPerSec)}`,
    verdict: verdict(initialRate >= TARGET.initialRowsPerSec),
  });
  const pullQuery = initialServer.queries['select … from "sok"'];
  details.push({
    title: `1. initial sync: where the ${fmtS(initialMs)} s went (client core, syncNow)`,
    columns: [
      { key: 'part', label: 'part' },
      { key: 'ms', label: 'ms' },
      { key: 'share', label: 'share' },
      { key: 'note', label: 'note' },
    ],
    rows: [
      {
        part: 'HTTP (API + transfer)',
        ms: fmtMs(fetchStats.ms),
        share: pct(fetchStats.ms, initialMs),
        note: `${fetchStats.requests} requests, ${fmtBytes(fetchStats.bytes)}; of which the pull SELECT ${fmtMs(pullQuery?.totalMs ?? 0)} ms (${pullQuery?.count ?? 0}×)`,
      },
      {
        part: 'JSON.parse (est.)',
        ms: fmtMs(jsonTotal),
        share: pct(jsonTotal, initialMs),
        note: `${fmtMs(jsonMs / parseReps)} ms per 1,000-row page`,
      },
      {
        part: 'PullResponseSchema (est.)',
        ms: fmtMs(zodTotal),
        share: pct(zodTotal, initialMs),
        note: `${fmtMs(zodMs / parseReps)} ms per page (zod)`,
      },
      {
        part: 'store apply (rest)',
        ms: fmtMs(applyMs),
        share: pct(applyMs, initialMs),
        note: 'upsertFromServer + FTS index + cursor, one transaction per page',
      },
      { part: 'total', ms: fmtMs(initialMs), share: '100%', note: '' },
    ],
    notes: [
      `CPU during the sync: ${initialCpu}.`,
      `Seeding took ${fmtS(seedMs)} s (Kysely inserts of ${fmtInt(SEED_CHUNK)} rows, then ANALYZE); ` +
        `server table ${fmtBytes(serverBytes)}, client file ${fmtBytes(clientBytes)}.`,
    ],
  });

  // --- 2. draining offline mutations ------------------------------------------------------------
  progress(`2. registering ${fmtInt(env.offline)} ŞÖKs offline (engine auto-sync off)`);
  const offlineGen = createGenerator(ref, env.offline, SEED + 1);
  t0 = nowMs();
  for (let i = 0; i < env.offline; i++) {
    await call(core, 'sok.create', offlineGen.next(i).draft);
  }
  const createMs = nowMs() - t0;
  const pendingBefore = core.sync.getStatus().pending;
  const numbered = core.db
    .prepare("SELECT count(*) FROM outbox WHERE json_extract(payload, '$.regNo') IS NOT NULL")
    .pluck()
    .get() as number;

  progress(`   draining ${fmtInt(pendingBefore)} mutations`);
  let emptyAt = Number.NaN;
  const unsubscribe = core.events.subscribe((event, payload) => {
    if (event === 'sync.status' && (payload as { pending: number }).pending === 0) {
      if (Number.isNaN(emptyAt)) emptyAt = nowMs();
    }
  });
  await api.stats();
  fetchStats.requests = 0;
  fetchStats.ms = 0;
  cpu0 = cpuSnapshot(api.pid);
  t0 = nowMs();
  await core.sync.syncNow();
  const drainTotalMs = nowMs() - t0;
  const drainCpu = cpuSplit(cpu0, cpuSnapshot(api.pid));
  unsubscribe();
  const drainServer = await api.stats();
  const drainMs = emptyAt - t0;
  const after = core.sync.getStatus();
  const outboxLeft = localCount(core, 'outbox');
  const pushRequests = Math.ceil(pendingBefore / 200);
  verdicts.push({
    no: 2,
    scenario: `drain ${fmtInt(pendingBefore)} offline mutations`,
    figure: 's until outbox empty',
    value: `${fmtS(drainMs)} (${fmtRate(pendingBefore / (drainMs / 1000))}/s)`,
    target: `≤ ${TARGET.drainSeconds}`,
    verdict: verdict(outboxLeft === 0 && drainMs <= TARGET.drainSeconds * 1000),
  });
  details.push(
    {
      title: `2. drain: ${fmtInt(pendingBefore)} mutations in ${pushRequests} pushes of ≤ 200`,
      columns: [
        { key: 'what', label: 'what' },
        { key: 'value', label: 'value' },
      ],
      rows: [
        {
          what: 'registering offline (sok.create × N)',
          value: `${fmtS(createMs)} s, ${fmtRate(env.offline / (createMs / 1000))}/s (${fmtInt(numbered)} with a leased number, the rest numbered by the server)`,
        },
        { what: 'outbox empty after', value: `${fmtS(drainMs)} s` },
        {
          what: 'syncNow total (push, then pull back)',
          value: `${fmtS(drainTotalMs)} s; outbox left ${outboxLeft}, rejected ${after.rejected}`,
        },
        {
          what: 'per push request (200 mutations)',
          value: `${fmtMs(drainMs / pushRequests)} ms`,
        },
        { what: 'CPU', value: drainCpu },
        { what: 'write lock', value: lockLine(drainServer, drainTotalMs) },
      ],
    },
    queryTable(
      '2. drain: API queries during the drain (push + pull)',
      drainServer,
      pendingBefore,
      'mutation',
    ),
  );

  // --- 3. live propagation ----------------------------------------------------------------------
  progress('3. live propagation: reopening A with auto-sync, signing in B, connecting desks');
  await core.close();
  coreClosed = true;
  const coreA = openCore(dirA, api.url, coreErrors, { auto: true });
  cleanup.add('close client A (live)', () => coreA.close());
  await coreA.sync.syncNow();
  const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-bench-sync-b-'));
  cleanup.add('remove client B data', () => fs.rmSync(dirB, { recursive: true, force: true }));
  const coreB = openCore(dirB, api.url, coreErrors, { auto: true });
  cleanup.add('close client B', () => coreB.close());
  await call(coreB, 'auth.login', { username: second.username, password: second.password });
  t0 = nowMs();
  await coreB.sync.syncNow();
  const bInitialMs = nowMs() - t0;
  const bRows = localCount(coreB, 'sok');
  progress(`   B pulled ${fmtInt(bRows)} ŞÖKs in ${fmtS(bInitialMs)} s`);

  const bystanders = desks
    .slice(0, env.clients - 2)
    .map((u, i) => new LightClient(http, u, `bench-live-${String(i).padStart(3, '0')}`));
  cleanup.add('close bystander sockets', () => bystanders.forEach((b) => b.closeLive()));
  await eachParallel(bystanders, 16, (b) => b.login());
  const head = Number(
    (
      await backend.db
        .selectFrom('counter')
        .select('value')
        .where('name', '=', 'change')
        .executeTakeFirstOrThrow()
    ).value,
  );
  for (const b of bystanders) b.cursor = head;
  await eachParallel(bystanders, 16, (b) => b.openLive());
  await until(() => bystanders.every((b) => b.syncRuns > 0 && !b.busy), 30_000, 'first pokes');
  const liveConnections = Number(
    (
      await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = ${dbName}`.execute(backend.db)
    ).rows[0]?.n ?? 0,
  );

  const bChanged = new Map<string, number>();
  let bSyncStart: number[] = [];
  let aPushDone: number[] = [];
  coreB.events.subscribe((event, payload) => {
    const at = nowMs();
    if (event === 'sok.changed') bChanged.set((payload as { id: string }).id, at);
    if (event === 'sync.status' && (payload as { state: string }).state === 'syncing') {
      bSyncStart.push(at);
    }
  });
  coreA.events.subscribe((event, payload) => {
    if (event === 'sync.status' && (payload as { pending: number }).pending === 0) {
      aPushDone.push(nowMs());
    }
  });
  const pokeTimes: number[] = [];
  for (const b of bystanders) b.onPoke = (at) => pokeTimes.push(at);

  const liveGen = createGenerator(ref, WARMUP_SAMPLES + env.samples, SEED + 2);
  const latencies: number[] = [];
  const parts = {
    local: [] as number[],
    push: [] as number[],
    poke: [] as number[],
    bStart: [] as number[],
    pullsPerSample: [] as number[],
  };
  let timeouts = 0;
  const syncing = (c: ClientCore) => c.sync.getStatus().state === 'syncing';
  const pullsNow = () => bystanders.reduce((a, b) => a + b.pulls, 0);
  await api.stats();
  cpu0 = cpuSnapshot(api.pid);
  const liveStarted = nowMs();
  progress(`   ${WARMUP_SAMPLES} warm-up + ${env.samples} samples, ${env.clients} connected`);
  for (let s = 0; s < WARMUP_SAMPLES + env.samples; s++) {
    await until(
      () => !syncing(coreA) && !syncing(coreB) && bystanders.every((b) => !b.busy),
      30_000,
      'everyone idle',
    );
    await sleep(150 + Math.random() * 100);
    bSyncStart = [];
    aPushDone = [];
    pokeTimes.length = 0;
    const pullsBefore = pullsNow();
    const start = nowMs();
    const sok = await call<{ id: string }>(coreA, 'sok.create', liveGen.next(s).draft);
    const created = nowMs();
    const deadline = start + 10_000;
    while (!bChanged.has(sok.id) && nowMs() < deadline) await sleep(1);
    const seen = bChanged.get(sok.id);
    if (s < WARMUP_SAMPLES) continue;
    if (seen === undefined) {
      timeouts++;
      continue;
    }
    latencies.push(seen - start);
    parts.local.push(created - start);
    if (aPushDone[0] !== undefined) parts.push.push(aPushDone[0] - start);
    const pokes = pokeTimes.filter((t) => t >= start).map((t) => t - start);
    if (pokes.length > 0) parts.poke.push(percentile(pokes, 50));
    const bs = bSyncStart.find((t) => t >= start);
    if (bs !== undefined) parts.bStart.push(bs - start);
    await until(() => bystanders.every((b) => !b.busy), 30_000, 'bystander pulls');
    parts.pullsPerSample.push(pullsNow() - pullsBefore);
  }
  const liveMs = nowMs() - liveStarted;
  const liveCpu = cpuSplit(cpu0, cpuSnapshot(api.pid));
  const liveServer = await api.stats();
  const p95 = percentile(latencies, 95);
  verdicts.push({
    no: 3,
    scenario: `live A → B, ${env.clients} connected`,
    figure: `p50 / p95 ms (n=${latencies.length})`,
    value: `${fmtMs(percentile(latencies, 50))} / ${fmtMs(p95)}`,
    target: `p95 ≤ ${TARGET.liveP95Ms}`,
    verdict: verdict(timeouts === 0 && latencies.length >= 50 && p95 <= TARGET.liveP95Ms),
  });
  const med = (xs: number[]) => fmtMs(percentile(xs, 50));
  const p95s = (xs: number[]) => fmtMs(percentile(xs, 95));
  const pullErrors = bystanders.reduce((a, b) => a + b.pullErrors, 0);
  details.push(
    {
      title: `3. live propagation: timeline of one sample, ms after A's sok.create (n=${latencies.length})`,
      columns: [
        { key: 'step', label: 'step' },
        { key: 'p50', label: 'p50' },
        { key: 'p95', label: 'p95' },
      ],
      rows: [
        {
          step: 'A: ŞÖK stored locally (dispatch returns)',
          p50: med(parts.local),
          p95: p95s(parts.local),
        },
        { step: 'A: push answered (outbox empty)', p50: med(parts.push), p95: p95s(parts.push) },
        {
          step: 'bystanders: poke received (median of the desks)',
          p50: med(parts.poke),
          p95: p95s(parts.poke),
        },
        { step: 'B: sync run starts (poke)', p50: med(parts.bStart), p95: p95s(parts.bStart) },
        { step: "B: ŞÖK in B's store (sok.changed)", p50: med(latencies), p95: p95s(latencies) },
      ],
      notes: [
        `A and B are real client cores (BİKOM agents, auto-sync, live socket); B had pulled ` +
          `${fmtInt(bRows)} ŞÖKs in ${fmtS(bInitialMs)} s first. The other ${bystanders.length} ` +
          `connections are lightweight desks (${bystanders.filter((b) => b.user.role === 'agent').length} ` +
          `BİKOM agents, ${bystanders.filter((b) => b.user.role === 'desk').length} desks of ` +
          `other organisations), each with its own login and socket, pulling on every poke like ` +
          `SyncEngine (one pull at a time, a poke during a pull queues one more).`,
        `Bystander pulls per sample: p50 ${med(parts.pullsPerSample)}, max ` +
          `${Math.max(0, ...parts.pullsPerSample)}; pull errors ${pullErrors}; timeouts ${timeouts}; ` +
          `${WARMUP_SAMPLES} warm-up samples not counted; 150–250 ms pause between samples.`,
        `PostgreSQL connections to the database during the test: ${liveConnections}.`,
        `CPU over the samples: ${liveCpu}.`,
        lockLine(liveServer, liveMs),
      ],
    },
    queryTable(
      `3. live: API queries per sample (1 push + ${env.clients} pulls + the poke)`,
      liveServer,
      WARMUP_SAMPLES + env.samples,
      'sample',
    ),
  );

  // --- 4. sustained pushes ----------------------------------------------------------------------
  progress('4. sustained pushes: closing the live clients, logging in the pushing desks');
  for (const b of bystanders) b.closeLive();
  await coreA.close();
  await coreB.close();
  const pushers = desks.map((u, i) => new LightClient(http, u, `bench-push-${i}`));
  await eachParallel(pushers, 16, (p) => p.login());
  await eachParallel(pushers, 16, async (p) => {
    await p.leaseBlock();
  });
  const pushGen = createGenerator(ref, 5_000, SEED + 3);
  const drafts: SokDraft[] = Array.from({ length: 5_000 }, (_, i) => pushGen.next(i).draft);
  const latency: number[] = [];
  const leaseMs: number[] = [];
  let rejected = 0;
  let errors = 0;
  let firstError = '';
  let draftNo = 0;
  const startAt = nowMs();
  const measureFrom = startAt + PUSH_WARMUP_MS;
  const endAt = measureFrom + env.seconds * 1000;
  let statsTaken: Promise<ServerStats> | null = null;
  let cpuA: CpuSnapshot | null = null;
  const loop = async (p: LightClient) => {
    while (nowMs() < endAt) {
      if (p.numbersLeft === 0) {
        const a = nowMs();
        await p.leaseBlock();
        if (a >= measureFrom) leaseMs.push(nowMs() - a);
      }
      const n = p.drawNumber();
      const mutation: Mutation = {
        id: p.nextMutationId(),
        kind: 'sok.create',
        payload: createPayload(
          drafts[draftNo++ % drafts.length] as SokDraft,
          randomUUID(),
          n === null ? null : formatRegNo(n),
          new Date(),
        ),
      };
      for (let attempt = 0; ; attempt++) {
        const a = nowMs();
        try {
          const answer = await p.push([mutation]);
          const end = nowMs();
          if (a >= measureFrom && end <= endAt) latency.push(end - a);
          if (answer.results[0]?.status !== 'applied') rejected++;
          break;
        } catch (error) {
          errors++;
          firstError ||= (error as Error).message;
          if (attempt >= 2 || nowMs() >= endAt) break;
          await sleep(100);
        }
      }
    }
  };
  const warmupDone = (async () => {
    await sleep(PUSH_WARMUP_MS);
    statsTaken = api.stats();
    cpuA = cpuSnapshot(api.pid);
  })();
  progress(`   ${pushers.length} desks pushing for ${PUSH_WARMUP_MS / 1000} + ${env.seconds} s`);
  await Promise.all([...pushers.map(loop), warmupDone]);
  const cpuB = cpuSnapshot(api.pid);
  const pushServer = await api.stats();
  await statsTaken;
  const windowMs = env.seconds * 1000;
  const rate = latency.length / env.seconds;
  const p99 = percentile(latency, 99);
  verdicts.push({
    no: 4,
    scenario: `sustained pushes, ${pushers.length} clients, ${env.seconds} s`,
    figure: 'mutations/s',
    value: fmtRate(rate),
    target: `≥ ${fmtInt(TARGET.pushPerSec)}`,
    verdict: verdict(rate >= TARGET.pushPerSec),
  });
  verdicts.push({
    no: 4,
    scenario: '',
    figure: 'push p50 / p95 / p99 ms',
    value: `${fmtMs(percentile(latency, 50))} / ${fmtMs(percentile(latency, 95))} / ${fmtMs(p99)}`,
    target: `p99 ≤ ${TARGET.pushP99Ms}`,
    verdict: verdict(p99 <= TARGET.pushP99Ms && errors === 0),
  });
  const pushCount = Math.max(1, latency.length);
  details.push(
    {
      title: `4. sustained pushes: ${pushers.length} desks, one sok.create per push, closed loop`,
      columns: [
        { key: 'what', label: 'what' },
        { key: 'value', label: 'value' },
      ],
      rows: [
        {
          what: 'pushes in the window',
          value: `${fmtInt(latency.length)} in ${env.seconds} s (after ${PUSH_WARMUP_MS / 1000} s warm-up)`,
        },
        {
          what: 'push latency ms p50 / p95 / p99 / max',
          value: `${fmtMs(percentile(latency, 50))} / ${fmtMs(percentile(latency, 95))} / ${fmtMs(p99)} / ${fmtMs(Math.max(0, ...latency))}`,
        },
        {
          what: 'rejected / failed requests',
          value: `${rejected} / ${errors}${firstError ? ` (${firstError})` : ''}`,
        },
        {
          what: 'number-block leases in the window',
          value: `${leaseMs.length}, p50 ${fmtMs(percentile(leaseMs, 50))} ms`,
        },
        {
          what: 'CPU',
          value: cpuA ? cpuSplit(cpuA, cpuB) : 'n/a',
        },
        { what: 'write lock', value: lockLine(pushServer, windowMs) },
        {
          what: 'API CPU per push',
          value: `${fmtMs((pushServer.cpuUserMs + pushServer.cpuSystemMs) / pushCount)} ms (user ${fmtMs(pushServer.cpuUserMs / pushCount)}, system ${fmtMs(pushServer.cpuSystemMs / pushCount)})`,
        },
      ],
      notes: [
        'Each desk: its own login and stream (clientId), a leased block of 50 numbers (leases ' +
          'more when it runs out), one mutation per POST /sync/push, next push as soon as the ' +
          'answer arrives. No live sockets are open in this phase.',
      ],
    },
    queryTable(
      '4. sustained pushes: API queries per push (window only)',
      pushServer,
      pushCount,
      'push',
    ),
  );

  const serverRows = Number(
    (
      await backend.db
        .selectFrom('sok')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

  const setup: Figures = {
    title: 'sync benchmark setup',
    columns: [
      { key: 'what', label: 'what' },
      { key: 'value', label: 'value' },
    ],
    rows: [
      {
        what: 'machine',
        value: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${fmtBytes(os.totalmem())} RAM — shared by PostgreSQL, the API process and this load generator`,
      },
      {
        what: 'PostgreSQL',
        value: `${(await sql<{ v: string }>`select version() as v`.execute(backend.db)).rows[0]?.v.split(' on ')[0] ?? '?'}, fresh database ${dbName} (dropped at the end)`,
      },
      {
        what: 'API',
        value: `startServer() in a child process (own event loop), pgPoolMax ${env.pgPool}, logLevel silent, scrypt logN 10, loginRateLimitMax 100_000 (every desk logs in from 127.0.0.1)`,
      },
      {
        what: 'clients',
        value:
          'real client cores (createClientCore: SQLite store, SyncEngine) for the desk that syncs, drains, and A/B; lightweight HTTP/WebSocket desks for the rest',
      },
      {
        what: 'scale',
        value: `BENCH_SYNC_SOKS=${env.soks} BENCH_SYNC_OFFLINE=${env.offline} BENCH_SYNC_CLIENTS=${env.clients} BENCH_SYNC_SAMPLES=${env.samples} BENCH_SYNC_SECONDS=${env.seconds}`,
      },
      { what: 'ŞÖKs on the server at the end', value: fmtInt(serverRows) },
    ],
    notes:
      coreErrors.length > 0
        ? [`client core errors logged: ${coreErrors.length}, first: ${coreErrors[0]}`]
        : [],
  };
  const results: Figures = {
    title: 'sync — figures vs targets',
    columns: [
      { key: 'no', label: '#' },
      { key: 'scenario', label: 'scenario' },
      { key: 'figure', label: 'figure' },
      { key: 'value', label: 'value', align: 'right' },
      { key: 'target', label: 'target' },
      { key: 'verdict', label: 'verdict' },
    ],
    rows: verdicts as unknown as Record<string, Cell>[],
    notes: [
      '',
      `Overall: ${verdicts.every((v) => v.verdict === 'PASS') ? 'PASS' : 'FAIL'} ` +
        `(${verdicts.filter((v) => v.verdict === 'PASS').length}/${verdicts.length}). ` +
        `All on ${os.cpus().length} cores shared by PostgreSQL, the API and the load generator.`,
    ],
  };
  return [setup, results, ...details];
}

const syncBench: Benchmark = {
  name: 'sync',
  description:
    'sync against the real API on PostgreSQL: initial sync, offline drain, live propagation, sustained pushes',
  async run(): Promise<Figures[]> {
    const env = readEnv();
    const cleanup = new Cleanup();
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = true;
      progress(`${signal}: tearing down (database, API process, sockets)`);
      void cleanup.run().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await runSync(env, cleanup);
    } finally {
      progress('tearing down: clients, API process, database');
      const failures = await cleanup.run();
      for (const f of failures) progress(`  teardown problem: ${f}`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

export default syncBench;
