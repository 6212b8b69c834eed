import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientCore, ClientCoreOptions } from '../../src/client/core';
import type { RejectedMutation, SyncStatus } from '../../src/domain/session';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import type { ServerConfigInput } from '../../src/server/config';
import { BACKENDS } from '../support/backends';
import {
  ADMIN,
  AGENT,
  call,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';
import type * as Enqueue from '../../src/server/notifications/enqueue';

/** A citizen name that makes the server's receipt step throw (a bug in one applier). */
const THROWS = 'Hata Atan';

vi.mock('../../src/server/notifications/enqueue', async (importOriginal) => {
  const original = await importOriginal<typeof Enqueue>();
  return {
    ...original,
    enqueueReceipts: (...args: Parameters<typeof original.enqueueReceipts>) => {
      if (args[1].sok.citizenName === THROWS) throw new TypeError('applier bug for the test');
      return original.enqueueReceipts(...args);
    },
  };
});

describe.each(BACKENDS.map((kind) => ({ kind })))('a desk never stalls [$kind]', ({ kind }) => {
  let api: TestApi | null = null;
  let root = '';
  const cores: ClientCore[] = [];
  beforeEach(() => {
    root = tempDir('alo153-harden-');
  });
  afterEach(async () => {
    while (cores.length) await cores.pop()?.close();
    await api?.close();
    api = null;
    fs.rmSync(root, { recursive: true, force: true });
  });
  const startApi = async (overrides: Partial<ServerConfigInput> = {}) => {
    api = await startTestApi(kind, 0, overrides);
    return api;
  };
  const open = (name: string, options: Partial<ClientCoreOptions> = {}) => {
    const core = openClient(path.join(root, name), (api as TestApi).url, {
      sync: { auto: false, backoffMinMs: 1, backoffMaxMs: 1 },
      ...options,
    });
    cores.push(core);
    return core;
  };
  const serverSoks = () =>
    (api as TestApi).server.db.selectFrom('sok').select(['id', 'reg_no']).execute();

  it('on one bad mutation: that one is refused into the rejected list, the rest go on', async () => {
    await startApi();
    const desk = open('desk');
    await signInAs(desk);
    const before = await call<Sok>(desk, 'sok.create', validDraft);
    const bad = await call<Sok>(desk, 'sok.create', { ...validDraft, citizenName: THROWS });
    // As a desk of an earlier version could hold: a text PostgreSQL cannot store.
    const nul = await call<Sok>(desk, 'sok.create', validDraft);
    const row = desk.db
      .prepare(
        "SELECT mutation_id, payload FROM outbox WHERE entity_id = ? AND kind = 'sok.create'",
      )
      .get(nul.id) as { mutation_id: number; payload: string };
    const payload = JSON.parse(row.payload) as { description: string };
    payload.description = 'Çöp\u0000 alınmadı.';
    desk.db
      .prepare('UPDATE outbox SET payload = ? WHERE mutation_id = ?')
      .run(JSON.stringify(payload), row.mutation_id);
    const after = await call<Sok>(desk, 'sok.create', validDraft);

    await desk.sync.syncNow();

    const status = await call<SyncStatus>(desk, 'sync.status');
    expect(status).toMatchObject({ state: 'online', pending: 0 });
    const onServer = new Set((await serverSoks()).map((s) => s.id));
    expect(onServer.has(before.id) && onServer.has(after.id)).toBe(true);
    expect(onServer.has(bad.id)).toBe(false);
    const rejected = await call<RejectedMutation[]>(desk, 'sync.rejected');
    expect(rejected).toContainEqual(
      expect.objectContaining({
        entityId: bad.id,
        message: expect.stringContaining('saklayamadı'),
      }),
    );
    if (kind === 'postgres') {
      expect(onServer.has(nul.id)).toBe(false);
      expect(rejected.map((r) => r.entityId)).toContain(nul.id);
    }
    expect(status.rejected).toBe(rejected.length);
  });

  it('pulls even when its push fails, and says why instead of only "offline"', async () => {
    await startApi();
    let failPushes = false;
    const desk = open('desk', {
      fetch: (input, init) =>
        failPushes && String(input).endsWith('/sync/push')
          ? Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'internal', message: 'boom' } }), {
                status: 500,
                headers: { 'content-type': 'application/json' },
              }),
            )
          : fetch(input, init),
    });
    await signInAs(desk);
    const other = open('other');
    await signInAs(other, { ...AGENT, username: 'ajan.b', role: 'agent', orgCode: 'bikom' });

    failPushes = true;
    const mine = await call<Sok>(desk, 'sok.create', validDraft);
    const theirs = await call<Sok>(other, 'sok.create', validDraft);
    await other.sync.syncNow();
    await desk.sync.syncNow();

    // What the other desk registered arrived although this desk's push failed.
    const ids = (await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items.map(
      (s) => s.id,
    );
    expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const status = await call<SyncStatus>(desk, 'sync.status');
    expect(status).toMatchObject({ state: 'offline', pending: 1 });
    expect(status.lastError).toContain('Değişiklikler sunucuya gönderilemedi');
    expect(status.lastError).toContain('HTTP 500');

    failPushes = false;
    await desk.sync.syncNow();
    expect(await call<SyncStatus>(desk, 'sync.status')).toMatchObject({
      state: 'online',
      pending: 0,
      lastError: null,
    });
  });

  it('when no numbers are leased any more, ŞÖKs still register with a server number', async () => {
    // Leasing stops 9 numbers into the space: the first lease is already refused.
    await startApi({ numberReserve: 9_999_990 });
    const desk = open('desk');
    await call(desk, 'auth.setup', ADMIN);
    await call(desk, 'admin.users.create', { ...AGENT, role: 'agent', orgCode: 'bikom' });
    await call(desk, 'auth.logout', { force: true });
    await call(desk, 'auth.login', { username: AGENT.username, password: AGENT.password });
    await desk.sync.syncNow();

    const status = await call<SyncStatus>(desk, 'sync.status');
    expect(status).toMatchObject({ state: 'online', numbersLeft: 0 });
    expect(status.lastError).toContain('Yeni kayıt numarası alınamadı');
    expect(status.lastError).toContain('numara verilmiyor');

    const sok = await call<Sok>(desk, 'sok.create', validDraft);
    expect(sok.regNo).toBeNull();
    await desk.sync.syncNow();
    expect(await serverSoks()).toEqual([{ id: sok.id, reg_no: '0000-0018' }]);
    const item = (await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items[0];
    expect(item?.regNo).toBe('0000-0018');
  });
});
