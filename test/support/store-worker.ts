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
