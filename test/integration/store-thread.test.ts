import Database from 'better-sqlite3';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { SpawnStoreWorker } from '../../src/client/sync/store-thread';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import {
  closeOnServer,
  expectMalformedPageRefused,
  nameOf,
  phoneOf,
  seededApi,
} from '../support/seeded-api';
import { killDeskMidPage } from '../support/desk-crash';
import { AGENT, call, openClient, validDraft } from '../support/stack';
import { spawnSourceStoreWorker } from '../support/store-worker';
import { DEFAULT_RETENTION } from '../../src/domain/kvkk';

/**
 * The store thread (docs/sync.md): big pulled pages are read and stored by a worker thread with
 * its own connection, search rows included, while the UI thread answers the agent; the UI
 * thread's writes go first; a crash loses nothing; a thread that fails leaves the work to the
 * UI thread.
 */
const SOKS = 150;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Counts the workers started, and starts them from the sources. */
function countingSpawn(): { spawn: SpawnStoreWorker; started: () => number } {
  let started = 0;
  return {
    spawn: (data) => {
      started++;
      return spawnSourceStoreWorker(data);
    },
    started: () => started,
  };
}

async function openDesk(
  root: string,
  url: string,
  options: Parameters<typeof openClient>[2] = {},
): Promise<ClientCore> {
  const desk = openClient(path.join(root, 'desk'), url, {
    storeWorker: spawnSourceStoreWorker,
    ...options,
    sync: { auto: false, pullPage: 250, ...options.sync },
  });
  cleanups.push(() => desk.close());
  await call(desk, 'auth.login', { username: AGENT.username, password: AGENT.password });
  return desk;
}

const search = (desk: ClientCore, query: string) =>
  call<SokSearchResult>(desk, 'sok.search', { query, limit: 50 });

describe('the store thread', () => {
  it('stores a first sync: each ŞÖK found by number, phone ending, name, address and description as soon as the sync returns', async () => {
    const { api, root, soks } = await seededApi(SOKS, cleanups);
    const workers = countingSpawn();
    const desk = await openDesk(root, api.url, { storeWorker: workers.spawn });
    await desk.sync.syncNow();
    expect(desk.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    expect(workers.started()).toBe(1);

    // Everything the server has, once: ŞÖKs, timeline events, receipts.
    const serverSoks = await api.server.db.selectFrom('sok').select(['id', 'reg_no']).execute();
    const serverEvents = await api.server.db.selectFrom('sok_event').select('id').execute();
    const local = (sql: string) => (desk.db.prepare(sql).pluck().all() as string[]).sort();
    expect(local('SELECT id FROM sok')).toEqual(serverSoks.map((s) => s.id).sort());
    expect(local('SELECT id FROM sok_event')).toEqual(serverEvents.map((e) => e.id).sort());
    // Searchable at once: no backlog for the background indexer.
    expect(desk.db.prepare('SELECT count(*) FROM sok_search_pending').pluck().get()).toBe(0);
    for (const i of [0, 1, Math.floor(SOKS / 2), SOKS - 1]) {
      const sok = soks[i] as Sok;
      const regNo = serverSoks.find((s) => s.id === sok.id)?.reg_no ?? '';
      const found = {
        number: await search(desk, regNo),
        phone: await search(desk, phoneOf(i).replaceAll(' ', '').slice(-4)),
        name: await search(desk, nameOf(i)),
        address: await search(desk, `${nameOf(i)}lar sokak`),
        description: await search(desk, `${nameOf(i)}tepe`),
      };
      for (const [how, result] of Object.entries(found)) {
        expect(result.items[0]?.id, `${how} of #${i}`).toBe(sok.id);
        expect(result.indexing, how).toBe(0);
      }
      expect(found.address.matchedBy[sok.id]).toBe('place');
      expect(found.description.matchedBy[sok.id]).toBe('text');
    }
  }, 120_000);

  it('stores closed ŞÖKs past the desk’s KVKK period with their personal data already dropped, once', async () => {
    const { api, root, soks } = await seededApi(SOKS, cleanups);
    const old = soks.slice(0, 40);
    await closeOnServer(
      api.server.db,
      old.map((s) => s.id),
      DEFAULT_RETENTION.deskClosedDays + 5,
    );
    await closeOnServer(
      api.server.db,
      [(soks[50] as Sok).id],
      DEFAULT_RETENTION.deskClosedDays - 5,
    );
    const desk = await openDesk(root, api.url);
    await desk.sync.syncNow();
    expect(desk.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    const row = desk.db.prepare(
      'SELECT citizen_name AS name, citizen_phone AS phone, address, personal_dropped_at AS dropped FROM sok WHERE id = ?',
    );
    const marks = () => old.map((s) => (row.get(s.id) as { dropped: string | null }).dropped);
    for (const sok of old) {
      expect(row.get(sok.id)).toMatchObject({ name: '', phone: '', address: '' });
    }
    expect(marks().every((m) => m !== null)).toBe(true);
    // Closed within the period, and open ones, keep theirs.
    expect(row.get((soks[50] as Sok).id)).toMatchObject({
      name: `Vatandaş ${nameOf(50)}`,
      dropped: null,
    });
    expect(row.get((soks[60] as Sok).id)).toMatchObject({
      name: `Vatandaş ${nameOf(60)}`,
      dropped: null,
    });
    // Not found by what was dropped; nothing left for the background indexer.
    // (Its description, not personal data, still names the place "…tepe".)
    expect((await search(desk, nameOf(0))).matchedBy[(old[0] as Sok).id]).toBe('text');
    expect((await search(desk, `${nameOf(1)}lar`)).items).toEqual([]);
    expect((await search(desk, nameOf(60))).items.map((s) => s.id)).toEqual([(soks[60] as Sok).id]);
    expect(desk.db.prepare('SELECT count(*) FROM sok_search_pending').pluck().get()).toBe(0);
    // The desk says the data is on the server, not here.
    expect((await call<Sok>(desk, 'sok.get', { id: (old[0] as Sok).id })).personalDataOffDesk).toBe(
      true,
    );
    // The drop pass after the sync had nothing left to do: the marks are those of the store.
    const before = marks();
    await desk.sync.syncNow();
    expect(marks()).toEqual(before);
  }, 120_000);

  it('answers look-ups while it stores a page', async () => {
    const { api, root } = await seededApi(SOKS, cleanups);
    // One change per transaction, one page for everything.
    const desk = await openDesk(root, api.url, { sync: { pullPage: 5000, storeSliceMs: 0 } });
    const seen: number[] = [];
    let done = false;
    const syncing = desk.sync.syncNow().finally(() => (done = true));
    while (!done) {
      const result = await call<SokSearchResult>(desk, 'sok.search', { query: '', limit: 200 });
      seen.push(result.items.length);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await syncing;
    expect(seen.some((n) => n > 0 && n < SOKS)).toBe(true);
    expect(
      (await call<SokSearchResult>(desk, 'sok.search', { query: '', limit: 200 })).items,
    ).toHaveLength(SOKS);
  }, 120_000);

  it('lets the agent register while it stores: nothing refused, nothing lost, desk and server agree', async () => {
    const { api, root } = await seededApi(SOKS, cleanups);
    const desk = await openDesk(root, api.url, { sync: { pullPage: 5000, storeSliceMs: 5 } });
    let done = false;
    const syncing = desk.sync.syncNow().finally(() => (done = true));
    const mine: Sok[] = [];
    // Registrations on the UI thread while the store thread writes: each one goes first.
    while (!done || mine.length < 3) {
      mine.push(
        await call<Sok>(desk, 'sok.create', {
          ...validDraft,
          citizenName: `Arayan ${nameOf(1000 + mine.length)}`,
          // The routing rules come after the ŞÖKs in a first sync: the agent says why.
          routeReason: 'Vatandaş bu birimi istedi',
        }),
      );
      // The store thread's answers arrive as events: let them in.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await syncing;
    // Pushed and pulled back: the server holds the seeded ŞÖKs and the agent's, the desk the same.
    await desk.sync.syncNow();
    expect(desk.sync.getStatus()).toMatchObject({ state: 'online', pending: 0, lastError: null });
    const serverIds = (await api.server.db.selectFrom('sok').select('id').execute())
      .map((s) => s.id)
      .sort();
    expect(serverIds).toHaveLength(SOKS + mine.length);
    expect((desk.db.prepare('SELECT id FROM sok').pluck().all() as string[]).sort()).toEqual(
      serverIds,
    );
    for (const sok of mine) {
      const found = await search(desk, sok.citizenName.split(' ')[1] as string);
      expect(found.items.map((s) => s.id)).toEqual([sok.id]);
    }
  }, 120_000);

  it('survives kill -9 in the middle of a page: nothing lost, nothing stored twice', async () => {
    const { api, root, soks } = await seededApi(SOKS, cleanups);
    const dir = path.join(root, 'desk');
    await killDeskMidPage(api.url, dir, { pullPage: 5000, storedAt: 20 });

    // Killed mid-page: part of it stored, its cursor not.
    const raw = new Database(path.join(dir, 'alo153.sqlite'), { readonly: true });
    const storedBefore = raw.prepare('SELECT count(*) FROM sok').pluck().get() as number;
    const cursor = raw.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck().get();
    raw.close();
    expect(storedBefore).toBeGreaterThanOrEqual(20);
    expect(storedBefore).toBeLessThan(SOKS);
    expect(cursor ?? '0').toBe('0');

    // Started again (with its store thread), the desk holds exactly the server's rows, once.
    const desk = openClient(dir, api.url, {
      storeWorker: spawnSourceStoreWorker,
      sync: { auto: false },
    });
    cleanups.push(() => desk.close());
    await desk.sync.syncNow();
    expect(desk.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    const serverSoks = await api.server.db.selectFrom('sok').select(['id', 'reg_no']).execute();
    const serverEvents = await api.server.db.selectFrom('sok_event').select('id').execute();
    expect((desk.db.prepare('SELECT id FROM sok').pluck().all() as string[]).sort()).toEqual(
      serverSoks.map((s) => s.id).sort(),
    );
    expect((desk.db.prepare('SELECT id FROM sok_event').pluck().all() as string[]).sort()).toEqual(
      serverEvents.map((e) => e.id).sort(),
    );
    // Found once by number and name, also those stored before the kill (no index entry twice).
    for (const i of [0, 1, 10, SOKS - 1]) {
      const sok = soks[i] as Sok;
      const regNo = serverSoks.find((s) => s.id === sok.id)?.reg_no ?? '';
      for (const query of [regNo, nameOf(i), `${nameOf(i)}tepe`]) {
        expect(
          (await search(desk, query)).items.map((s) => s.id),
          query,
        ).toEqual([sok.id]);
      }
    }
  }, 180_000);

  it('refuses a page with a malformed change: the cursor stays, the next good pull stores all', async () => {
    const { api, root } = await seededApi(SOKS, cleanups);
    await expectMalformedPageRefused(
      (fetch) => openDesk(root, api.url, { fetch, sync: { pullPage: 5000, storeSliceMs: 0 } }),
      SOKS,
    );
  }, 120_000);

  it('leaves the pages to the UI thread when its worker cannot start or dies', async () => {
    const { api, root } = await seededApi(SOKS, cleanups);
    const logged: string[] = [];
    // A worker that cannot even be created.
    const refused = await openDesk(path.join(root, 'refused'), api.url, {
      storeWorker: () => {
        throw new Error('no threads here');
      },
      log: (message) => logged.push(message),
    });
    await refused.sync.syncNow();
    expect(refused.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    expect(refused.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(SOKS);
    expect(logged.some((m) => m.includes('store thread could not start'))).toBe(true);

    // A worker that dies as it starts: that run fails, the next stores on the UI thread.
    const dying = await openDesk(path.join(root, 'dying'), api.url, {
      storeWorker: (data) =>
        new Worker('throw new Error("store worker crashed")', { eval: true, workerData: data }),
      log: (message) => logged.push(message),
    });
    await dying.sync.syncNow();
    if (dying.sync.getStatus().lastError !== null) await dying.sync.syncNow();
    expect(dying.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    expect(dying.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(SOKS);
    expect(logged.some((m) => m.includes('store thread failed'))).toBe(true);
  }, 120_000);
});
