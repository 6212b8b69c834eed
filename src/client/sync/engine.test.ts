import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { t } from '../../domain/i18n/tr';
import type { Mutation, PullPage, PushResponse } from '../../domain/sync';
import { tempDir } from '../../../test/support/client-fixtures';
import { ApiFailure, NetworkFailure, type ApiClient, type StoredSession } from '../api/http';
import { EventHub } from '../events';
import { openDatabase, type Db } from '../store/database';
import { createEventRepo } from '../store/event-repo';
import { createRoutingRepo } from '../store/routing-repo';
import { createSokRepo } from '../store/sok-repo';
import { SyncEngine } from './engine';
import { createNumberBlocks } from './number-blocks';
import { createOutbox, type Outbox } from './outbox';

/**
 * The engine's run through its seams: a scripted API (each call answered by the next entry of
 * its script, or by the last one) on a real local store, the clock faked for the back-off.
 */

const session = {
  sessionId: 's1',
  accessToken: 'a',
  accessExpiresAt: '2099-01-01T00:00:00.000Z',
  refreshToken: 'r',
  refreshExpiresAt: '2099-01-01T00:00:00.000Z',
  clientId: 'c1',
  user: {
    id: 'u1',
    username: 'yonetici',
    displayName: 'Yönetici',
    role: 'admin',
    orgCode: 'bikom',
    orgKind: 'call-centre',
    districtCode: null,
  },
} satisfies StoredSession;

type Script<T> = (() => Promise<T>)[];
const ok =
  <T>(value: T) =>
  () =>
    Promise.resolve(value);
const fail = (error: Error) => () => Promise.reject(error);

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let outbox: Outbox;
let engine: SyncEngine | null;
let calls: { push: Mutation[][]; pull: number[] };

function fakeApi(scripts: { push: Script<PushResponse>; pull: Script<PullPage> }): ApiClient {
  const next = <T>(script: Script<T>) => (script.length > 1 ? script.shift()! : script[0]!)();
  const api: Pick<
    ApiClient,
    | 'push'
    | 'pull'
    | 'routingRules'
    | 'workflowSettings'
    | 'leaseNumberBlock'
    | 'accessToken'
    | 'baseUrl'
  > & { kvkk: Pick<ApiClient['kvkk'], 'recordAccess' | 'deskRetention' | 'sok'> } = {
    push: (mutations) => {
      calls.push.push(mutations);
      return next(scripts.push);
    },
    pull: (cursor) => {
      calls.pull.push(cursor);
      return next(scripts.pull);
    },
    routingRules: () => Promise.resolve(null),
    workflowSettings: () => Promise.resolve(null),
    leaseNumberBlock: () => Promise.reject(new Error('not leased in these tests')),
    accessToken: () => Promise.resolve(null),
    baseUrl: 'http://127.0.0.1:9',
    kvkk: {
      recordAccess: () => Promise.resolve({ stored: 0 }),
      deskRetention: () => Promise.resolve({ deskClosedDays: 30 }),
      sok: () => Promise.reject(new Error('not fetched in these tests')),
    },
  };
  return api as ApiClient;
}

function startEngine(api: ApiClient, loggedIn = true): SyncEngine {
  const events = new EventHub();
  engine = new SyncEngine({
    db,
    api,
    sessions: { load: () => (loggedIn ? session : null), save: () => undefined },
    outbox,
    blocks: createNumberBlocks(db),
    soks: createSokRepo(db),
    timeline: createEventRepo(db),
    routing: createRoutingRepo(db),
    events,
    config: { backoffMinMs: 1_000, backoffMaxMs: 8_000, pollIntervalMs: 60_000 },
  });
  engine.start();
  return engine;
}

const page = (cursor: number): PullPage => ({ changes: [], cursor, more: false, scope: 'all' });
const applied = (id: number): PushResponse => ({
  results: [{ id, status: 'applied' }],
  lastMutationId: id,
});
/** Lets the run in progress finish without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  // The back-off's jitter in the middle: retries after exactly 1 s, 2 s, 4 s, ...
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  tmp = tempDir();
  db = openDatabase(`${tmp.dir}/store.sqlite`);
  outbox = createOutbox(db);
  calls = { push: [], pull: [] };
  engine = null;
});
afterEach(async () => {
  await engine?.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
  db.close();
  tmp.cleanup();
});

describe('a sync run', () => {
  it('pulls what others changed even when the push fails, and says the push failed', async () => {
    const id = outbox.enqueue('sok.create', 'sok-1', {}, session.user.id, new Date());
    const sync = startEngine(
      fakeApi({ push: [fail(new NetworkFailure('connect ECONNREFUSED'))], pull: [ok(page(7))] }),
    );
    await settle();
    expect(calls.push).toHaveLength(1);
    expect(calls.pull).toEqual([0]);
    const status = sync.getStatus();
    expect(status.state).toBe('offline');
    expect(status.lastError).toBe(t('sync.pushFailed', { reason: t('sync.unreachable') }));
    // Nothing dropped: the mutation waits for the next push; the pull's cursor is kept.
    expect(status.pending).toBe(1);
    expect(outbox.get(id)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.pull).toEqual([0, 7]);
  });

  it('backs off after a failed push and retries until the server takes it', async () => {
    const id = outbox.enqueue('sok.create', 'sok-1', {}, session.user.id, new Date());
    const down = fail(new NetworkFailure('connect ECONNREFUSED'));
    const sync = startEngine(fakeApi({ push: [down, down, ok(applied(id))], pull: [ok(page(1))] }));
    await settle();
    expect(calls.push).toHaveLength(1);
    // Not hammering the server: no retry before the first back-off of 1 s is over.
    await vi.advanceTimersByTimeAsync(999);
    expect(calls.push).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.push).toHaveLength(2);
    // The second back-off is longer (2 s); then the server takes the mutation.
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls.push).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.push).toHaveLength(3);
    expect(calls.push[2]!.map((m) => m.id)).toEqual([id]);
    const status = sync.getStatus();
    expect(status.state).toBe('online');
    expect(status.pending).toBe(0);
    expect(status.lastError).toBeNull();
    expect(outbox.get(id)).toBeNull();
  });

  it('a session the server ended signs the desk out and stops retrying', async () => {
    outbox.enqueue('sok.create', 'sok-1', {}, session.user.id, new Date());
    const ended = new ApiFailure(401, 'token-revoked', 'revoked', 'Oturum sonlandı', undefined);
    const sync = startEngine(fakeApi({ push: [fail(ended)], pull: [ok(page(1))] }));
    await settle();
    expect(sync.getStatus().state).toBe('signed-out');
    // The pull does not run for a user who is no longer signed in.
    expect(calls.pull).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.push).toHaveLength(1);
  });

  it('signed out, nothing is sent', async () => {
    outbox.enqueue('sok.create', 'sok-1', {}, session.user.id, new Date());
    const sync = startEngine(fakeApi({ push: [ok(applied(1))], pull: [ok(page(1))] }), false);
    await settle();
    expect(sync.getStatus().state).toBe('signed-out');
    expect(calls.push).toEqual([]);
    expect(calls.pull).toEqual([]);
  });
});
