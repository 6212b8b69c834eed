import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import { expectMalformedPageRefused, nameOf, seededApi as seeded } from '../support/seeded-api';
import { killDeskMidPage } from '../support/desk-crash';
import { AGENT, call, openClient } from '../support/stack';

const seededApi = () => seeded(SOKS, cleanups);

/**
 * A pulled page is stored in slices, each its own transaction, with the event loop free between
 * them (docs/sync.md): the agent's look-ups are answered while a first sync stores a page, and
 * a desk killed mid-page loses nothing and stores nothing twice.
 */
const SOKS = 150;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('storing a pulled page', () => {
  it('answers look-ups while a page is half stored', async () => {
    const { api, root } = await seededApi();
    const desk = openClient(path.join(root, 'desk'), api.url, {
      // One page holds everything; one change per slice.
      sync: { auto: false, pullPage: 5000, pullSliceMs: 0 },
    });
    cleanups.push(() => desk.close());
    await call(desk, 'auth.login', { username: AGENT.username, password: AGENT.password });
    const seen: number[] = [];
    let done = false;
    const syncing = desk.sync.syncNow().finally(() => (done = true));
    while (!done) {
      const result = await call<SokSearchResult>(desk, 'sok.search', { query: '', limit: 200 });
      seen.push(result.items.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await syncing;
    // Some answers came while part of the page was stored, not only before or after it.
    expect(seen.some((n) => n > 0 && n < SOKS)).toBe(true);
    const after = await call<SokSearchResult>(desk, 'sok.search', { query: '', limit: 200 });
    expect(after.items).toHaveLength(SOKS);
  }, 120_000);

  it('survives kill -9 in the middle of a page: nothing lost, nothing stored twice', async () => {
    const { api, root, soks } = await seededApi();
    const dir = path.join(root, 'desk');
    const pullPage = 250;
    const killAt = 120;
    await killDeskMidPage(api.url, dir, { pullPage, killAt });

    // Killed mid-page: part of the first page is stored, its cursor is not.
    const file = path.join(dir, 'alo153.sqlite');
    const raw = new Database(file, { readonly: true });
    const storedBefore = raw.prepare('SELECT count(*) FROM sok').pluck().get() as number;
    const eventsBefore = raw.prepare('SELECT count(*) FROM sok_event').pluck().get() as number;
    const receiptsBefore = raw.prepare('SELECT count(*) FROM receipt').pluck().get() as number;
    const cursor = raw.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck().get();
    raw.close();
    expect(storedBefore + eventsBefore + receiptsBefore).toBe(killAt);
    expect(storedBefore).toBeGreaterThan(0);
    expect(cursor ?? '0').toBe('0');

    // The desk starts again and syncs: it holds exactly the server's ŞÖKs and events, once.
    const desk: ClientCore = openClient(dir, api.url, { sync: { auto: false } });
    cleanups.push(() => desk.close());
    await desk.sync.syncNow();
    expect(desk.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    const serverSoks = await api.server.db.selectFrom('sok').select(['id', 'reg_no']).execute();
    const serverEvents = await api.server.db.selectFrom('sok_event').select('id').execute();
    const serverReceipts = await api.server.db.selectFrom('notification').select('id').execute();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const localSoks = (desk.db.prepare('SELECT id, reg_no FROM sok').all() as typeof serverSoks)
      .slice()
      .sort(byId);
    const localEvents = desk.db.prepare('SELECT id FROM sok_event').pluck().all();
    const localReceipts = desk.db.prepare('SELECT id FROM receipt').pluck().all();
    expect(localSoks).toHaveLength(SOKS);
    expect(localSoks).toEqual(serverSoks.slice().sort(byId));
    expect([...localEvents].sort()).toEqual(serverEvents.map((e) => e.id).sort());
    expect([...localReceipts].sort()).toEqual(serverReceipts.map((r) => r.id).sort());
    // Every ŞÖK is found once by its number and by its citizen's name (no index entry twice),
    // also those stored before the kill.
    await desk.sync.syncNow();
    for (const i of [0, 1, Math.floor(SOKS / 2), SOKS - 1]) {
      const sok = soks[i] as Sok;
      const stored = serverSoks.find((s) => s.id === sok.id);
      for (const query of [stored?.reg_no ?? '', nameOf(i)]) {
        const found = await call<SokSearchResult>(desk, 'sok.search', { query, limit: 50 });
        expect(
          found.items.map((s) => s.id),
          query,
        ).toEqual([sok.id]);
      }
    }
  }, 180_000);

  it('refuses a page with a malformed change: the cursor stays, the next good pull stores all', async () => {
    const { api, root } = await seededApi();
    await expectMalformedPageRefused(async (fetch) => {
      const desk = openClient(path.join(root, 'desk'), api.url, {
        fetch,
        sync: { auto: false, pullPage: 5000, pullSliceMs: 0 },
      });
      cleanups.push(() => desk.close());
      await call(desk, 'auth.login', { username: AGENT.username, password: AGENT.password });
      return desk;
    }, SOKS);
  }, 120_000);
});
