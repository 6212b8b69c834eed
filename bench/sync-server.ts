/**
 * The central API for the sync benchmark, in a process of its own (sync-api.ts forks it),
 * so the load generator and the client cores do not share the API's event loop: on the
 * benchmark machine the API, PostgreSQL and the load generator then compete for the cores the way
 * separate programs would.
 *
 * Runs the real `startServer(config)` with the config given in BENCH_SYNC_SERVER_CONFIG (JSON).
 * Talks to the parent over IPC:
 *   → { type: 'ready', url }                    once listening
 *   ← { type: 'stats' }  → { type: 'stats', … }  query counters since the last 'stats' (see below)
 *   ← { type: 'close' }                          closes the server and exits
 * and closes the server when the parent goes away (IPC disconnect); if that happens without a
 * 'close' first (the parent was killed), it also drops the benchmark database and removes the
 * temporary directory named in BENCH_SYNC_ORPHAN_CLEANUP, so nothing outlives a crash or a ^C.
 *
 * For the diagnosis it counts, per PostgreSQL query kind, the queries the API sends and how long
 * they take, and how long each transaction holds the global write lock (pg_advisory_xact_lock
 * until commit/rollback): a thin wrapper around pg.Client#query, no change to the server code.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startServer } from '../src/server/start';
import { spawnBenchSeedBuilder } from '../test/support/store-worker';
import type {
  OrphanCleanup,
  ParentMessage,
  QueryStat,
  ServerMessage,
  ServerStats,
  SlowQuery,
} from './sync-api';

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

let queries: Record<string, QueryStat> = {};
let lockWaitMs: number[] = [];
let lockHoldMs: number[] = [];
let slowest: Record<string, SlowQuery> = {};
let cpuMark = process.cpuUsage();
const lockTakenAt = new WeakMap<object, number>();

function kindOf(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (t.startsWith('select pg_advisory_xact_lock')) return 'select pg_advisory_xact_lock';
  if (t.startsWith('select pg_notify')) return 'select pg_notify';
  const m =
    /^(insert into|update|delete from) ("?[\w.]+"?)/.exec(t) ??
    /^select .*? from ("?[\w.]+"?)/.exec(t);
  if (m) return m.length === 3 ? `${m[1]} ${m[2]}` : `select … from ${m[1]}`;
  return t.split(' ').slice(0, 4).join(' ');
}

function instrumentPg(): void {
  type Query = (this: object, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]): unknown {
    const first = args[0];
    const text =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null && 'text' in first
          ? String((first as { text: unknown }).text)
          : '';
    const started = nowMs();
    const result = original.apply(this, args);
    if (text === '' || !(result instanceof Promise)) return result;
    const kind = kindOf(text);
    const done = () => {
      const end = nowMs();
      const stat = (queries[kind] ??= { count: 0, totalMs: 0 });
      stat.count++;
      stat.totalMs += end - started;
      const ms = end - started;
      if ((slowest[kind]?.ms ?? -1) < ms) {
        const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : [];
        slowest[kind] = { text, values, ms };
      }
      if (kind === 'select pg_advisory_xact_lock') {
        lockWaitMs.push(end - started);
        lockTakenAt.set(this, end);
      } else if (kind === 'commit' || kind === 'rollback') {
        const taken = lockTakenAt.get(this);
        if (taken !== undefined) {
          lockHoldMs.push(end - taken);
          lockTakenAt.delete(this);
        }
      }
    };
    result.then(done, done);
    return result;
  };
}

function takeStats(): ServerStats {
  const cpu = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  const stats = {
    queries,
    lockWaitMs,
    lockHoldMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    slowest,
  };
  queries = {};
  slowest = {};
  lockWaitMs = [];
  lockHoldMs = [];
  return stats;
}

/**
 * When the parent dies without telling us to close (killed: tsx force-kills a process whose event
 * loop is busy when ^C arrives), we are the last one who can tidy up: drop the benchmark database
 * and remove the client data directory the parent named in BENCH_SYNC_ORPHAN_CLEANUP.
 */
async function orphanCleanup(): Promise<void> {
  const raw = process.env.BENCH_SYNC_ORPHAN_CLEANUP;
  if (raw === undefined) return;
  const { database, adminUrl, dir } = JSON.parse(raw) as OrphanCleanup;
  if (/^alo153_t_[0-9a-f]+$/.test(database)) {
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  if (dir !== '' && path.basename(dir).startsWith('alo153-bench-sync-')) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const send = (message: ServerMessage) => process.send?.(message);
  const raw = process.env.BENCH_SYNC_SERVER_CONFIG;
  if (raw === undefined) throw new Error('BENCH_SYNC_SERVER_CONFIG is not set');
  instrumentPg();
  // First-sync seeds (docs/sync.md): built by the bundled builder, as the standalone server does.
  const server = await startServer(JSON.parse(raw) as Parameters<typeof startServer>[0], {
    seedBuilder: spawnBenchSeedBuilder,
  });
  let closing = false;
  const shutdown = async (orphaned: boolean) => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => undefined);
    if (orphaned) await orphanCleanup().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'close') void shutdown(false);
    else if (message.type === 'stats') send({ type: 'stats', ...takeStats() });
  });
  process.on('disconnect', () => void shutdown(!closing));
  process.on('SIGTERM', () => void shutdown(false));
  process.on('SIGINT', () => undefined); // the parent handles ^C and tells us to close
  send({ type: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
