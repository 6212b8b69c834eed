/**
 * The client core of the sync benchmark's first scenario, in a process of its own (forked by
 * sync.bench.ts, bundled as the hosts bundle the client core), so its memory is the client core's own and not the load
 * generator's: signs in, runs the initial sync with an agent's look-ups every 20 ms, waits until
 * the store is fully searchable, then reports over IPC and exits.
 *
 *   ← { type: 'run', dataDir, apiUrl, resourcesDir, username, password, probes, heapDir?, seed }
 *   → { type: 'done', result: ClientRunResult } | { type: 'error', message }
 *
 * Memory is read after two forced garbage collections, with the core still open (its SQLite
 * connection, page cache and statements are part of what a desk holds).
 */
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createClientCore } from '../src/client/core';
import { spawnBenchStoreWorker } from '../test/support/store-worker';

export interface ClientRunRequest {
  type: 'run';
  dataDir: string;
  apiUrl: string;
  resourcesDir: string;
  username: string;
  password: string;
  probes: string[];
  heapDir?: string;
  /** Start from the API's first-sync seed when it has one (SyncConfig.seed). */
  seed: boolean;
}

export interface ClientRunResult {
  initialMs: number;
  indexesMs: number;
  searchableMs: number;
  /** Look-up latency (ms after it was due) and CPU time (ms, this process) by phase. */
  lookups: Record<'sync' | 'indexing' | 'after', { wait: number[]; cpu: number[] }>;
  /** CPU time of this process (ms) until rows stored / until fully searchable. */
  cpuStoredMs: number;
  cpuSearchableMs: number;
  fetch: { requests: number; ms: number; bytes: number; failures: string[] };
  memory: NodeJS.MemoryUsage;
  /** SQLite's own view: page cache size setting and the file's page count. */
  sqlite: { cacheSize: number; pageSize: number; pageCount: number };
  pulledRows: number;
  status: { state: string; lastError: string | null };
  errors: string[];
  heapSnapshot: string | null;
  /** The desk's log line when the first sync started from the API's seed, else null. */
  seeded: string | null;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function run(req: ClientRunRequest): Promise<ClientRunResult> {
  const errors: string[] = [];
  let seeded: string | null = null;
  const fetchStats = { requests: 0, ms: 0, bytes: 0, failures: [] as string[] };
  const measuredFetch: typeof fetch = async (input, init) => {
    const started = nowMs();
    try {
      const response = await fetch(input, init);
      // A seed is a file the desk streams to disk: counted as sent (gzipped), not held here.
      if (String(input).includes('/sync/seed') && response.ok) {
        fetchStats.bytes += Number(response.headers.get('content-length') ?? 0);
        return response;
      }
      const body = await response.arrayBuffer();
      fetchStats.bytes += body.byteLength;
      if (!response.ok) fetchStats.failures.push(`${String(input)}: ${response.status}`);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      fetchStats.requests++;
      fetchStats.ms += nowMs() - started;
    }
  };
  const core = createClientCore({
    dataDir: req.dataDir,
    host: 'browser',
    version: 'bench',
    resourcesDir: req.resourcesDir,
    apiUrl: req.apiUrl,
    log: (message, error) => {
      if (message.startsWith('first sync from a seed')) seeded = message;
      else errors.push(`${message}: ${(error as Error | undefined)?.message}`);
    },
    sync: { auto: false, seed: req.seed },
    fetch: measuredFetch,
    // BENCH_STORE_THREAD=0: without the store thread (pages stored on the UI thread).
    ...(process.env.BENCH_STORE_THREAD !== '0' ? { storeWorker: spawnBenchStoreWorker } : {}),
  });
  const call = async (method: string, input: unknown) => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  await call('auth.login', { username: req.username, password: req.password });
  const rssAtStart = process.memoryUsage().rss;
  fetchStats.requests = 0;
  fetchStats.ms = 0;
  fetchStats.bytes = 0;

  const lookups: ClientRunResult['lookups'] = {
    sync: { wait: [], cpu: [] },
    indexing: { wait: [], cpu: [] },
    after: { wait: [], cpu: [] },
  };
  let phase: keyof typeof lookups = 'sync';
  let probing = true;
  const lookupLoop = (async () => {
    for (let k = 0; probing; k++) {
      const due = nowMs() + 20;
      await sleep(20);
      // The time in the call, on the UI thread (process.cpuUsage would count the store thread).
      const c0 = nowMs();
      await call('sok.search', { query: req.probes[k % req.probes.length], limit: 50 });
      lookups[phase].cpu.push(nowMs() - c0);
      lookups[phase].wait.push(nowMs() - due);
    }
  })();
  const cpu0 = cpuMs();
  const t0 = nowMs();
  await core.sync.syncNow();
  const initialMs = nowMs() - t0;
  const cpuStoredMs = cpuMs() - cpu0;
  phase = 'indexing';
  const rssStored = process.memoryUsage().rss;
  const suspended = core.db.prepare("SELECT 1 FROM meta WHERE key = 'sok.suspendedIndexes'");
  while (suspended.get() !== undefined) await sleep(10);
  const indexesMs = nowMs() - t0;
  const backlog = core.db.prepare('SELECT count(*) FROM sok_search_pending').pluck();
  while ((backlog.get() as number) > 0) await sleep(10);
  const searchableMs = nowMs() - t0;
  const cpuSearchableMs = cpuMs() - cpu0;
  phase = 'after';
  await sleep(1000);
  probing = false;
  await lookupLoop;

  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  const memory = process.memoryUsage();
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  process.stderr.write(
    `[bench]    client core RSS: ${mib(rssAtStart)} signed in, before the sync; ` +
      `${mib(rssStored)} when the rows were stored; ${mib(memory.rss)} fully searchable, after GC ` +
      `(V8 heap ${mib(memory.heapUsed)} used of ${mib(memory.heapTotal)})\n`,
  );
  const heapSnapshot = req.heapDir
    ? v8.writeHeapSnapshot(path.join(req.heapDir, 'client-core.heapsnapshot'))
    : null;
  const status = core.sync.getStatus();
  const result: ClientRunResult = {
    initialMs,
    indexesMs,
    searchableMs,
    lookups,
    cpuStoredMs,
    cpuSearchableMs,
    fetch: fetchStats,
    memory,
    sqlite: {
      cacheSize: core.db.pragma('cache_size', { simple: true }) as number,
      pageSize: core.db.pragma('page_size', { simple: true }) as number,
      pageCount: core.db.pragma('page_count', { simple: true }) as number,
    },
    pulledRows: core.db.prepare('SELECT count(*) FROM sok').pluck().get() as number,
    status: { state: status.state, lastError: status.lastError },
    errors,
    heapSnapshot,
    seeded,
  };
  await core.close();
  return result;
}

process.on('message', (message: ClientRunRequest) => {
  if (message.type !== 'run') return;
  run(message).then(
    (result) => process.send?.({ type: 'done', result }, () => process.exit(0)),
    (error: unknown) =>
      process.send?.({ type: 'error', message: (error as Error).stack ?? String(error) }, () =>
        process.exit(1),
      ),
  );
});
