/**
 * The desk's store thread (docs/sync.md, "The store thread"): a worker with its own connection
 * to the desk's SQLite file that reads, checks and stores the big pulled pages of a first sync
 * or a catch-up, search rows included, while the UI's thread keeps answering the agent. Started
 * by ./store-thread.ts; this file is its entry point (bundled as dist/store-worker.mjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { createEventRepo } from '../store/event-repo';
import { createSokRepo } from '../store/sok-repo';
import { syncMeta } from './meta';
import { createOutbox } from './outbox';
import { readPage } from './page-apply';
import { adoptSeed } from './seed';
import {
  restoreIndexes,
  type AdoptRequest,
  storeInSlices,
  type RestoreRequest,
  type StoreRequest,
  type WorkerData,
} from './store-protocol';

const port = parentPort;
if (port === null) throw new Error('store-worker runs as a worker thread');
const data = workerData as WorkerData;
const db = openDatabase(data.file);
// Everything this connection writes is the server's and comes again with the cursor, which
// moves in the same transaction: its commits need not wait for the disk (see pull.ts).
db.pragma('synchronous = NORMAL');
const deps = {
  soks: createSokRepo(db),
  timeline: createEventRepo(db),
  outbox: createOutbox(db),
  meta: syncMeta(db),
};
const signal = new Int32Array(data.signal);

port.on('message', (request: StoreRequest | RestoreRequest | AdoptRequest | { type: 'end' }) => {
  if (request.type === 'end') {
    // Its page cache goes back first, and the thread ends when its port is closed.
    db.pragma('shrink_memory');
    db.close();
    port.close();
    return;
  }
  try {
    if (request.type === 'adopt') {
      // On a connection of its own (see adoptSeed): this one's FTS5 tables then read the copy.
      const outcome = adoptSeed(data.file, request.seedFile, request.scope);
      port.postMessage({ id: request.id, type: 'adopted', outcome });
      return;
    }
    if (request.type === 'restore') {
      restoreIndexes(deps, signal);
      port.postMessage({ id: request.id, type: 'restored' });
      return;
    }
    const page = readPage(request.body);
    port.postMessage({
      id: request.id,
      type: 'parsed',
      cursor: page.cursor,
      more: page.more,
      size: page.changes.length,
    });
    const outcome = storeInSlices(db, deps, signal, page, request);
    port.postMessage({ id: request.id, type: 'done', ...outcome });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id: request.id, type: 'error', name: e.name, message: e.message });
  }
});
