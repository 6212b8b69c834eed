/**
 * A desk's first sync, the desk alone: the real client core (createClientCore: SQLite store,
 * SyncEngine, background indexer) pulls BENCH_FIRST_SYNC_SOKS (200,000) generated ŞÖKs, pages
 * of 5,000 served from memory by its `fetch` (the rest of the API — sign-in, routing rules,
 * numbers — is the test API on SQLite). No PostgreSQL, no network: the figures are what the desk
 * itself spends, so they hold on a machine shared with other work, where `--only sync` (the same
 * first sync against the API on PostgreSQL) mostly measures the neighbours.
 *
 *   npm run bench -- --only first-sync
 *
 * Measured until **fully searchable**: every row stored, the list indexes built again and every
 * search row written (the backlog empty), background work included. Meanwhile an agent looks a
 * caller up every 20 ms (a registration number, a phone's last four digits and a surname, in
 * turn), timed from when the keystroke would have arrived, so a busy event loop counts; each
 * look-up's result is checked. Wall time and CPU time of the process (process.cpuUsage, all
 * threads) are both reported; the machine's load average is printed with them.
 *
 * Env: BENCH_FIRST_SYNC_SOKS (rows, default 200,000), BENCH_FIRST_SYNC_PAGE (default 5,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ReferenceDataSchema, type ReferenceData } from '../src/domain/reference';
import type { SokWire } from '../src/domain/sync';
import { openClient, signInAs, startTestApi, tempDir } from '../test/support/stack';
import { envCount } from '../src/domain/settings/env';
import {
  benchEnv,
  fmtInt,
  fmtMs,
  nowMs,
  percentile,
  progress,
  type Benchmark,
  type Figures,
} from './lib';
import { createGenerator, type SyntheticSok } from './search-data';
import { spawnBenchStoreWorker } from '../test/support/store-worker';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_FILE = path.join(ROOT, 'resources/reference/bursa.json');
const SEED = 153;
const TARGET = { rowsPerSec: 20_000, lookupP95Ms: 5 };
const PROBE_EVERY_MS = 20;
/** BENCH_STORE_THREAD=0: the desk without its store thread (pages stored on the UI's thread). */
const STORE_THREAD = process.env.BENCH_STORE_THREAD !== '0';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The server's wire form of a generated ŞÖK (as bench/sync.bench.ts seeds it, simplified). */
export function wireSok(s: SyntheticSok): SokWire {
  const at = s.now.toISOString();
  return {
    id: s.id,
    regNo: s.regNo,
    typeCode: s.draft.typeCode,
    channelCode: s.draft.channelCode,
    topicCode: s.draft.topicCode,
    districtCode: s.draft.districtCode,
    mahalle: s.draft.mahalle,
    address: s.draft.address,
    description: s.draft.description,
    citizenName: s.draft.citizenName,
    citizenPhone: s.draft.citizenPhone,
    citizenEmail: s.draft.citizenEmail,
    preferredContact: s.draft.preferredContact,
    latitude: s.draft.latitude,
    longitude: s.draft.longitude,
    kvkkNoticeBy: s.draft.kvkkNoticeGiven ? s.createdBy : null,
    kvkkNoticeAt: s.draft.kvkkNoticeGiven ? at : null,
    smsConsent: s.draft.smsConsent,
    routeRuleId: null,
    routeReason: '',
    status: 'routed',
    originOrg: s.originOrg,
    targetOrg: `ilce.${s.draft.districtCode}`,
    createdBy: s.createdBy,
    createdAt: at,
    updatedAt: at,
    acceptedBy: null,
    acceptedAt: null,
    decision: null,
    callback: null,
    contactMasked: false,
  };
}

/** The pull pages as the API sends them (JSON text), built before the clock starts. */
function pages(ref: ReferenceData, n: number, size: number): string[] {
  const gen = createGenerator(ref, n, SEED);
  const out: string[] = [];
  for (let from = 0; from < n; from += size) {
    const to = Math.min(n, from + size);
    const changes = [];
    for (let i = from; i < to; i++)
      changes.push({ seq: i + 1, op: 'upsert', sok: wireSok(gen.next(i)) });
    out.push(JSON.stringify({ changes, cursor: to, more: to < n, scope: 'bench-scope' }));
  }
  return out;
}

type Phase = 'sync' | 'indexing' | 'after';

const bench: Benchmark = {
  name: 'first-sync',
  description: `a desk's first sync alone (pages from memory): until fully searchable, look-ups during it`,
  async run(): Promise<Figures[]> {
    const env = benchEnv({
      soks: envCount('BENCH_FIRST_SYNC_SOKS'),
      page: envCount('BENCH_FIRST_SYNC_PAGE'),
    });
    const n = env.soks ?? 200_000;
    const pageSize = env.page ?? 5_000;
    const ref = ReferenceDataSchema.parse(JSON.parse(fs.readFileSync(REFERENCE_FILE, 'utf8')));
    progress(`generating ${fmtInt(n)} ŞÖKs as pull pages of ${fmtInt(pageSize)}`);
    const body = pages(ref, n, pageSize);
    const gen = createGenerator(ref, n, SEED);
    const samples: SyntheticSok[] = [];
    for (let i = 0; i < n; i++) {
      const s = gen.next(i);
      if (i % Math.max(1, Math.floor(n / 97)) === 0) samples.push(s);
    }
    const api = await startTestApi('sqlite');
    const dir = tempDir('alo153-bench-first-sync-');
    let served = 0;
    // Nothing to pull until the clock starts (signing in syncs once).
    let armed = false;
    const empty = JSON.stringify({ changes: [], cursor: 0, more: false, scope: 'bench-scope' });
    const fetchFromMemory: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/sync/pull') && !armed) {
        return new Response(empty, {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      if (url.pathname.endsWith('/sync/pull')) {
        const cursor = Number(url.searchParams.get('cursor'));
        const text = body[Math.floor(cursor / pageSize)] ?? body.at(-1);
        served++;
        await sleep(0);
        return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    };
    try {
      const core = openClient(dir, api.url, {
        sync: { auto: false },
        fetch: fetchFromMemory,
        ...(STORE_THREAD ? { storeWorker: spawnBenchStoreWorker } : {}),
      });
      await signInAs(core);
      const lookups: Record<Phase, { wait: number[]; cpu: number[] }> = {
        sync: { wait: [], cpu: [] },
        indexing: { wait: [], cpu: [] },
        after: { wait: [], cpu: [] },
      };
      // The same look-ups by kind (registration number, phone's last four digits), all phases.
      const byKind = {
        regNo: { wait: [] as number[], cpu: [] as number[] },
        tail: { wait: [] as number[], cpu: [] as number[] },
      };
      // How long the event loop was held at a time (a look-up waits for whatever holds it).
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      const rssAtStart = process.memoryUsage().rss;
      const names = { wait: [] as number[], cpu: [] as number[] };
      const misses: string[] = [];
      let phase: Phase = 'sync';
      let probing = true;
      const probeLoop = (async () => {
        for (let k = 0; probing; k++) {
          const due = nowMs() + PROBE_EVERY_MS;
          await sleep(PROBE_EVERY_MS);
          const s = samples[Math.floor(k / 3) % samples.length] as SyntheticSok;
          const kind = k % 3;
          const query =
            kind === 0
              ? s.regNo
              : kind === 1
                ? s.draft.citizenPhone.slice(-4)
                : (s.draft.citizenName.split(' ').at(-1) as string);
          // The time in the call, on the UI thread: process.cpuUsage() would count the store
          // thread's work meanwhile too.
          const c0 = nowMs();
          const result = await core.dispatch('sok.search', { query, limit: 50 });
          const cpu = nowMs() - c0;
          const wait = nowMs() - due;
          if (!result.ok) throw new Error(`sok.search: ${result.error.message}`);
          // The target is for numbers (registration number, phone ending); names are reported apart.
          if (kind === 2) {
            names.cpu.push(cpu);
            names.wait.push(wait);
          } else {
            lookups[phase].cpu.push(cpu);
            lookups[phase].wait.push(wait);
            const k = kind === 0 ? byKind.regNo : byKind.tail;
            k.cpu.push(cpu);
            k.wait.push(wait);
          }
          // Rows already stored must be found by number (registration, phone ending) at once.
          const stored = core.db.prepare('SELECT 1 FROM sok WHERE id = ?').get(s.id) !== undefined;
          const items = (result.value as { items: { id: string }[] }).items;
          if (kind === 0 && stored && !items.some((x) => x.id === s.id)) misses.push(query);
        }
      })();

      armed = true;
      loopDelay.enable();
      const load0 = loadAverage();
      const cpu0 = cpuMs();
      const t0 = nowMs();
      await core.sync.syncNow();
      const storedMs = nowMs() - t0;
      const cpuStored = cpuMs() - cpu0;
      phase = 'indexing';
      const suspended = core.db.prepare("SELECT 1 FROM meta WHERE key = 'sok.suspendedIndexes'");
      while (suspended.get() !== undefined) await sleep(5);
      const indexesMs = nowMs() - t0;
      const backlog = core.db.prepare('SELECT count(*) FROM sok_search_pending').pluck();
      while ((backlog.get() as number) > 0) await sleep(5);
      const searchableMs = nowMs() - t0;
      const cpuSearchable = cpuMs() - cpu0;
      const load1 = loadAverage();
      loopDelay.disable();
      const rssSearchable = process.memoryUsage().rss;
      phase = 'after';
      await sleep(1000);
      probing = false;
      await probeLoop;
      const rows = core.db.prepare('SELECT count(*) FROM sok').pluck().get() as number;
      // The process holds the generated pages too (built before the clock started): they are
      // dropped first, so the figure is close to the client core's own.
      body.length = 0;
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      gc();
      gc();
      const rssAfterGc = process.memoryUsage().rss;
      await core.close();

      const all = [...lookups.sync.wait, ...lookups.indexing.wait, ...lookups.after.wait];
      const allCpu = [...lookups.sync.cpu, ...lookups.indexing.cpu, ...lookups.after.cpu];
      const rate = n / (searchableMs / 1000);
      // The look-ups' own time (CPU-bound, on the UI thread) is the agent's, not the sync's.
      const probeCpu = [...allCpu, ...names.cpu].reduce((a, b) => a + b, 0);
      const syncCpu = cpuSearchable - probeCpu;
      const cpuRate = n / (cpuSearchable / 1000);
      const p = (xs: number[], q: number) => (xs.length === 0 ? '–' : fmtMs(percentile(xs, q)));
      const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
      return [
        {
          title: `first sync of ${fmtInt(n)} ŞÖKs, the desk alone (pages of ${fmtInt(pageSize)} from memory, ${served} pulls)`,
          columns: [
            { key: 'figure', label: 'figure' },
            { key: 'wall', label: 'wall', align: 'right' },
            { key: 'cpu', label: 'CPU (process); look-ups: in the call', align: 'right' },
            { key: 'target', label: 'target' },
            { key: 'verdict', label: 'verdict (wall)' },
          ],
          rows: [
            {
              figure: 'rows stored (syncNow returned)',
              wall: `${(storedMs / 1000).toFixed(2)} s`,
              cpu: `${(cpuStored / 1000).toFixed(2)} s = ${fmtInt(Math.round((1000 * cpuStored) / n))} µs/row`,
              target: '',
              verdict: '',
            },
            {
              figure: 'list indexes built again',
              wall: `${(indexesMs / 1000).toFixed(2)} s`,
              cpu: '',
              target: '',
              verdict: '',
            },
            {
              figure: 'until fully searchable',
              wall: `${(searchableMs / 1000).toFixed(2)} s = ${fmtInt(Math.round(rate))} rows/s`,
              cpu: `${(cpuSearchable / 1000).toFixed(2)} s = ${fmtInt(Math.round((1000 * cpuSearchable) / n))} µs/row = ${fmtInt(Math.round(cpuRate))} rows/CPU-s`,
              target: `≥ ${fmtInt(TARGET.rowsPerSec)} rows/s`,
              verdict: verdict(rate >= TARGET.rowsPerSec),
            },
            {
              figure: '  of it the sync and indexing (look-ups taken out)',
              wall: '',
              cpu: `${(syncCpu / 1000).toFixed(2)} s = ${fmtInt(Math.round((1000 * syncCpu) / n))} µs/row = ${fmtInt(Math.round(n / (syncCpu / 1000)))} rows/CPU-s`,
              target: '',
              verdict: '',
            },
            {
              figure: `number look-ups (${all.length}) p95, all phases`,
              wall: `${p(all, 95)} ms`,
              cpu: `${p(allCpu, 95)} ms`,
              target: `≤ ${TARGET.lookupP95Ms} ms`,
              verdict: verdict(percentile(all, 95) <= TARGET.lookupP95Ms),
            },
            ...(['sync', 'indexing', 'after'] as const).map((ph) => ({
              figure: `  ${ph}: ${lookups[ph].wait.length} look-ups, p50 / p95 / max`,
              wall: `${p(lookups[ph].wait, 50)} / ${p(lookups[ph].wait, 95)} / ${p(lookups[ph].wait, 100)} ms`,
              cpu: `${p(lookups[ph].cpu, 50)} / ${p(lookups[ph].cpu, 95)} ms`,
              target: '',
              verdict: '',
            })),
            {
              figure: `registration number (${byKind.regNo.wait.length}), p50 / p95 / max`,
              wall: `${p(byKind.regNo.wait, 50)} / ${p(byKind.regNo.wait, 95)} / ${p(byKind.regNo.wait, 100)} ms`,
              cpu: `${p(byKind.regNo.cpu, 50)} / ${p(byKind.regNo.cpu, 95)} ms`,
              target: '',
              verdict: '',
            },
            {
              figure: `last 4 phone digits (${byKind.tail.wait.length}), p50 / p95 / max`,
              wall: `${p(byKind.tail.wait, 50)} / ${p(byKind.tail.wait, 95)} / ${p(byKind.tail.wait, 100)} ms`,
              cpu: `${p(byKind.tail.cpu, 50)} / ${p(byKind.tail.cpu, 95)} ms`,
              target: '',
              verdict: '',
            },
            {
              figure: 'event loop held, p50 / p99 / max (until fully searchable)',
              wall: `${fmtMs(loopDelay.percentile(50) / 1e6)} / ${fmtMs(loopDelay.percentile(99) / 1e6)} / ${fmtMs(loopDelay.max / 1e6)} ms`,
              cpu: '',
              target: '',
              verdict: '',
            },
            {
              figure: `surname searches (${names.wait.length}), p50 / p95 / max`,
              wall: `${p(names.wait, 50)} / ${p(names.wait, 95)} / ${p(names.wait, 100)} ms`,
              cpu: `${p(names.cpu, 50)} / ${p(names.cpu, 95)} ms`,
              target: '',
              verdict: '',
            },
          ],
          notes: [
            `Server CPU: none in this bench (pages generated and serialised before the clock starts, served from memory); the server's share is measured by --only sync (PostgreSQL).`,
            `RSS of the bench process: ${mib(rssAtStart)} signed in, before the sync; ${mib(rssSearchable)} fully searchable; ${mib(rssAfterGc)} after GC with the generated pages dropped (the process also holds the generator and the test API).`,
            `Rows in the store: ${fmtInt(rows)}. Registration-number look-ups of a stored row that missed it: ${misses.length}${misses.length > 0 ? ` (${misses.slice(0, 3).join(', ')})` : ''}.`,
            `Look-ups every ${PROBE_EVERY_MS} ms: registration number, phone's last 4 digits, surname in turn (the target is for the numbers); wait = from when due to the answer (a busy event loop counts).`,
            `Load average (1/5/15 min) at start ${load0}, when fully searchable ${load1}; ${os.cpus().length} cores. CPU is process.cpuUsage() (all threads).`,
          ],
        },
      ];
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
