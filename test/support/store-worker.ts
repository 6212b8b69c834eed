import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerData } from '../../src/client/sync/store-protocol';
import type { SeedBuilderData } from '../../src/domain/seed';

const require = createRequire(import.meta.url);
// tsx's ES module API (its package exports point `import` at index.mjs).
const TSX_API = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/esm/api')), 'index.mjs'),
).href;
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** A worker started from a TypeScript source under src/client/sync: tsx is registered in it first. */
function sourceWorker(name: string, workerData: unknown): Worker {
  const entry = pathToFileURL(path.resolve(HERE, `../../src/client/sync/${name}.ts`)).href;
  const code = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Starts the store thread's worker from its TypeScript source (tests and benches run the
 * sources; the hosts start dist/store-worker.mjs).
 */
export function spawnSourceStoreWorker(data: WorkerData): Worker {
  return sourceWorker('store-worker', data);
}

/** Starts the API's seed builder from its source (the standalone server starts dist/seed-builder.mjs). */
export function spawnSourceSeedBuilder(data: SeedBuilderData): Worker {
  return sourceWorker('seed-builder', data);
}

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The benches' store thread: the bundled worker the hosts start (dist/store-worker.mjs, built by
 * `npm run build`) when it is there and newer than every source it is built from (src/client,
 * src/domain), else the sources through tsx (which cost a loader thread and memory of their own,
 * as in the tests).
 */
export function spawnBenchStoreWorker(data: WorkerData): Worker {
  return benchWorker('store-worker', data);
}

/** The benches' seed builder: dist/seed-builder.mjs when fresh (as above), else the source. */
export function spawnBenchSeedBuilder(data: SeedBuilderData): Worker {
  return benchWorker('seed-builder', data);
}

function benchWorker(name: string, workerData: unknown): Worker {
  const bundle = path.resolve(HERE, `../../dist/${name}.mjs`);
  const src = path.resolve(HERE, '../../src');
  const fresh =
    fs.existsSync(bundle) &&
    fs.statSync(bundle).mtimeMs >=
      Math.max(newest(path.join(src, 'client')), newest(path.join(src, 'domain')));
  return fresh ? new Worker(bundle, { workerData }) : sourceWorker(name, workerData);
}
