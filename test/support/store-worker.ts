import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerData } from '../../src/client/sync/store-protocol';

const require = createRequire(import.meta.url);
// tsx's ES module API (its package exports point `import` at index.mjs).
const TSX_API = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/esm/api')), 'index.mjs'),
).href;
const ENTRY = pathToFileURL(
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../src/client/sync/store-worker.ts',
  ),
).href;

/**
 * Starts the store thread's worker from its TypeScript source (tests and benches run the
 * sources; the hosts start dist/store-worker.mjs): tsx is registered in the worker first.
 */
export function spawnSourceStoreWorker(data: WorkerData): Worker {
  const code = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

const BUNDLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/store-worker.mjs',
);

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
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
  const fresh =
    fs.existsSync(BUNDLE) &&
    fs.statSync(BUNDLE).mtimeMs >=
      Math.max(newest(path.join(src, 'client')), newest(path.join(src, 'domain')));
  return fresh ? new Worker(BUNDLE, { workerData: data }) : spawnSourceStoreWorker(data);
}
