/**
 * The seed builder (docs/sync.md, "A first sync from a seed"): a worker thread the API starts
 * with the path of a new seed file (and optionally the seed it brings up to date). It stores the
 * pull pages it is sent exactly as a desk stores them (applyPageSlice, search rows included,
 * closed ŞÖKs past the desk period with their personal data dropped), and on `finish` stamps
 * the file with its store format and folds its WAL in. The API serves the file; a new desk
 * copies its tables (./seed.ts). Bundled as dist/seed-builder.mjs; the server only knows the
 * path, never this code.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { createEventRepo } from '../store/event-repo';
import { createSokRepo } from '../store/sok-repo';
import { syncMeta } from './meta';
import { createOutbox } from './outbox';
import { applyPageSlice, readPage } from './page-apply';
import { SEED_FORMAT_KEY, storeFormat } from './seed';
import type { SeedBuilderData, SeedBuilderReply, SeedBuilderRequest } from '../../domain/seed';

const port = parentPort;
if (port === null) throw new Error('seed-builder runs as a worker thread');
const data = workerData as SeedBuilderData;
if (data.base !== null) fs.copyFileSync(data.base, data.file);
const db = openDatabase(data.file);
// A file nobody uses until it is finished: no fsync, a larger page cache; the server's rows
// reference codes the desk has from its own reference data.
db.pragma('synchronous = OFF');
db.pragma('foreign_keys = OFF');
db.pragma('cache_size = -65536');
const deps = {
  soks: createSokRepo(db),
  timeline: createEventRepo(db),
  outbox: createOutbox(db),
  meta: syncMeta(db),
};
const dropPersonal = {
  cutoff: new Date(data.dropPersonal.cutoff),
  at: new Date(data.dropPersonal.at),
};
const cursorNow = () => Number(deps.meta.get.get('sync.cursor') ?? 0);

port.on('message', (request: SeedBuilderRequest) => {
  try {
    if (request.type === 'page') {
      const page = readPage(request.body);
      const changed = new Set<string>();
      const cursor = cursorNow();
      db.transaction(() =>
        applyPageSlice(deps, page, cursor, 0, changed, {
          deferIndex: false,
          local: false,
          done: () => false,
          dropPersonal,
        }),
      )();
      const reply: SeedBuilderReply = {
        id: request.id,
        type: 'stored',
        cursor: cursorNow(),
        more: page.more,
        size: page.changes.length,
      };
      port.postMessage(reply);
      return;
    }
    // A seed brought up to date from an older one: ŞÖKs that passed the desk period since.
    if (data.base !== null) deps.soks.dropPersonalData(dropPersonal.cutoff, dropPersonal.at);
    const format = storeFormat(db);
    deps.meta.set.run(SEED_FORMAT_KEY, format);
    const soks = deps.soks.count();
    const cursor = cursorNow();
    // One self-contained file to serve: the WAL folded in, the page cache given back.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const reply: SeedBuilderReply = { id: request.id, type: 'finished', format, cursor, soks };
    port.postMessage(reply);
    port.close();
  } catch (error) {
    const reply: SeedBuilderReply = {
      id: request.id,
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
    port.postMessage(reply);
  }
});
