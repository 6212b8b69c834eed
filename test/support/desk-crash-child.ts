/**
 * A desk that signs in, starts a first sync and is killed (SIGKILL, as by `kill -9`) in the
 * middle of storing its first pulled page. Run by `killDeskMidPage` (./desk-crash.ts) as
 * `node --import tsx`, with DESK_DIR, API_URL, USERNAME, PASSWORD and PULL_PAGE in its
 * environment and one of:
 * - KILL_AT: the page is stored on this thread, one change per slice; killed after the slice
 *   that brings it to KILL_AT changes;
 * - STORED_AT: the page is stored by the store thread, one change per transaction; killed once
 *   STORED_AT ŞÖKs of it are committed and its cursor is not.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientCore } from '../../src/client/core';
import { spawnSourceStoreWorker } from './store-worker';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const kill = () => process.kill(process.pid, 'SIGKILL');
const threaded = process.env.STORED_AT !== undefined;
const killAt = threaded ? Infinity : Number(env('KILL_AT'));
const core = createClientCore({
  dataDir: env('DESK_DIR'),
  host: 'browser',
  version: 'test',
  resourcesDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources'),
  apiUrl: env('API_URL'),
  log: () => undefined,
  ...(threaded ? { storeWorker: spawnSourceStoreWorker } : {}),
  sync: {
    auto: false,
    pullPage: Number(env('PULL_PAGE')),
    // One change per slice or store-thread transaction: the kill lands between two of them.
    pullSliceMs: 0,
    storeSliceMs: 0,
    afterPullSlice: (stored) => {
      if (stored >= killAt) kill();
    },
  },
});
const login = await core.dispatch('auth.login', {
  username: env('USERNAME'),
  password: env('PASSWORD'),
});
if (!login.ok) throw new Error(`sign-in failed: ${login.error.message}`);
if (threaded) {
  // The UI thread is free while the store thread stores: it watches the store and kills the
  // process as soon as part of the page is committed.
  const storedAt = Number(env('STORED_AT'));
  const count = core.db.prepare('SELECT count(*) FROM sok').pluck();
  const cursor = core.db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck();
  setInterval(() => {
    if ((count.get() as number) >= storedAt && (cursor.get() ?? '0') === '0') kill();
  }, 1);
}
await core.sync.syncNow();
// Reaching this line means the page was stored without the kill: the test fails on the exit code.
process.exit(3);
