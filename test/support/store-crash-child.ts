/**
 * A desk whose store thread is killed with the whole process (SIGKILL, as by `kill -9`) in the
 * middle of storing its first pulled page: once STORED_AT ŞÖKs of it are committed and the
 * page's cursor is not. Run by test/integration/store-thread.test.ts as `node --import tsx`, with
 * DESK_DIR, API_URL, USERNAME, PASSWORD, PULL_PAGE and STORED_AT in its environment.
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

const storedAt = Number(env('STORED_AT'));
const core = createClientCore({
  dataDir: env('DESK_DIR'),
  host: 'browser',
  version: 'test',
  resourcesDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources'),
  apiUrl: env('API_URL'),
  log: () => undefined,
  storeWorker: spawnSourceStoreWorker,
  // One change per store-thread transaction: the kill lands between two of them.
  sync: { auto: false, pullPage: Number(env('PULL_PAGE')), storeSliceMs: 0 },
});
const login = await core.dispatch('auth.login', {
  username: env('USERNAME'),
  password: env('PASSWORD'),
});
if (!login.ok) throw new Error(`sign-in failed: ${login.error.message}`);
// The UI thread is free while the store thread stores: it watches the store and kills the
// process as soon as part of the page is committed.
const count = core.db.prepare('SELECT count(*) FROM sok').pluck();
const cursor = core.db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck();
setInterval(() => {
  if ((count.get() as number) >= storedAt && (cursor.get() ?? '0') === '0') {
    process.kill(process.pid, 'SIGKILL');
  }
}, 1);
await core.sync.syncNow();
// Reaching this line means the page was stored without the kill: the test fails on the exit code.
process.exit(3);
