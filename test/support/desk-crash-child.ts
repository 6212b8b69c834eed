/**
 * A desk that signs in, starts a first sync and is killed (SIGKILL, as by `kill -9`) in the
 * middle of storing a pulled page: after the slice that brings the page to KILL_AT changes.
 * Run by test/integration/pull-slices.test.ts as `node --import tsx`, with DESK_DIR, API_URL,
 * USERNAME, PASSWORD, PULL_PAGE and KILL_AT in its environment.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientCore } from '../../src/client/core';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const killAt = Number(env('KILL_AT'));
const core = createClientCore({
  dataDir: env('DESK_DIR'),
  host: 'browser',
  version: 'test',
  resourcesDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources'),
  apiUrl: env('API_URL'),
  log: () => undefined,
  sync: {
    auto: false,
    pullPage: Number(env('PULL_PAGE')),
    // One change per slice: the kill lands exactly after KILL_AT changes of the page.
    pullSliceMs: 0,
    afterPullSlice: (stored) => {
      if (stored >= killAt) process.kill(process.pid, 'SIGKILL');
    },
  },
});
const login = await core.dispatch('auth.login', {
  username: env('USERNAME'),
  password: env('PASSWORD'),
});
if (!login.ok) throw new Error(`sign-in failed: ${login.error.message}`);
await core.sync.syncNow();
// Reaching this line means the page was stored without the kill: the test fails on the exit code.
process.exit(3);
