/**
 * `npm run bench` — runs every bench/*.bench.ts in turn and prints the figures each returns.
 *
 *   npm run bench                         all benchmarks, default scale
 *   npm run bench -- --only search        one benchmark by name
 *   BENCH_SOKS=100000 npm run bench       scale the search corpus (default 1,000,000)
 *   npm run bench -- --only sync          sync against the API on PostgreSQL (see sync.bench.ts);
 *                                         quick run: BENCH_SYNC_SOKS=20000 BENCH_SYNC_OFFLINE=1000
 *                                         BENCH_SYNC_CLIENTS=20 BENCH_SYNC_SECONDS=5
 *   npm run bench -- --only supervisor    supervisor figures on PostgreSQL (see supervisor.bench.ts);
 *                                         quick run: BENCH_SUP_SOKS=100000 BENCH_SUP_EVENTS_PER_SOK=2
 *   npm run bench -- --only first-sync    a new desk's first sync until every row can be found
 *   npm run bench -- --only line          the call line's API decisions; line-console: the
 *                                         console's live line and a month's export
 *   npm run bench -- --only kvkk-desk     contacts a desk keeps; kvkk-lists: a queue refresh
 *                                         with the access log
 *   npm run bench:sip -- --line           153 → agent ringing, and 50 waiting callers, through
 *                                         the real Kamailio (loopback namespace)
 *
 * Exits 0 whatever the figures say (benchmarks report; tests assert); non-zero only when a
 * benchmark itself crashes or the arguments are wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EnvError } from '../src/domain/settings/env';
import { fmtMs, progress, renderFigures, type Benchmark } from './lib';

function parseArgs(argv: readonly string[]): { only: string[] } {
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--only') {
      const value = argv[++i];
      if (value === undefined) throw new Error('--only needs a benchmark name');
      only.push(...value.split(','));
    } else if (arg.startsWith('--only=')) {
      only.push(...arg.slice('--only='.length).split(','));
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: npm run bench [-- --only <name>[,<name>…]]   (env: BENCH_SOKS, BENCH_SYNC_*)',
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { only };
}

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.run === 'function';
}

async function loadBenchmarks(dir: string): Promise<Benchmark[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const benches: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
    if (!isBenchmark(mod.default)) {
      throw new Error(`${file}: default export must be a Benchmark { name, description, run }`);
    }
    benches.push(mod.default);
  }
  return benches;
}

async function main(): Promise<void> {
  const { only } = parseArgs(process.argv.slice(2));
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const all = await loadBenchmarks(dir);
  const unknown = only.filter((name) => !all.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `no benchmark named ${unknown.join(', ')}; available: ${all.map((b) => b.name).join(', ')}`,
    );
  }
  const selected = only.length === 0 ? all : all.filter((b) => only.includes(b.name));

  console.log(
    `Alo 153 benchmarks — node ${process.version}, ${process.platform}/${process.arch}, ` +
      `${new Date().toISOString()}`,
  );
  for (const bench of selected) {
    progress(`${bench.name}: ${bench.description}`);
    const started = process.hrtime.bigint();
    const figures = await bench.run();
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`\n### ${bench.name} — ${bench.description}`);
    for (const f of figures) console.log(`\n${renderFigures(f)}`);
    console.log(`\n(${bench.name} took ${fmtMs(totalMs / 1000)} s)`);
  }
}

main().catch((error: unknown) => {
  // Bad settings are the caller's to fix: the list of them, no stack.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
