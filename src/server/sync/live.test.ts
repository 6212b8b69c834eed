import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '../../domain/sync';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { HeadReader, PageCache, PokeRouter, type PageRead } from './live';

const page = (head: number, changes = 0): PageRead => ({
  head,
  changes: Array.from({ length: changes }, (_, i) => ({ seq: i + 1, op: 'remove', id: 'x' })),
  cursor: head,
  more: false,
});

describe('head reader', () => {
  it('answers each caller with a read begun after it asked, shared by those who wait', async () => {
    let head = 10;
    const started: number[] = [];
    const pending: (() => void)[] = [];
    const reader = new HeadReader(() => {
      started.push(head);
      const at = head;
      return new Promise<number>((resolve) => pending.push(() => resolve(at)));
    });
    const first = reader.read();
    // A change commits while the first read is on its way: later callers must not get 10.
    head = 11;
    const second = reader.read();
    const third = reader.read();
    expect(started).toEqual([10]);
    pending.shift()?.();
    expect(await first).toBe(10);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([10, 11]);
    pending.shift()?.();
    expect(await second).toBe(11);
    expect(await third).toBe(11);
    // Idle again: the next caller reads at once.
    head = 12;
    const fourth = reader.read();
    expect(started).toEqual([10, 11, 12]);
    pending.shift()?.();
    expect(await fourth).toBe(12);
  });

  it('recovers from a failed read', async () => {
    let fail = true;
    const reader = new HeadReader(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(5),
    );
    const failed = reader.read();
    const next = reader.read();
    fail = false;
    await expect(failed).rejects.toThrow('down');
    expect(await next).toBe(5);
  });
});

describe('pull page cache', () => {
  it('reuses a page only for requests that arrived while its head was current', async () => {
    const cache = new PageCache<PageRead>((p) => p.changes.length);
    let reads = 0;
    const read = (head: number) => () => {
      reads++;
      return Promise.resolve(page(head));
    };
    expect((await cache.get('all:0:100', 5, read(5))).head).toBe(5);
    expect((await cache.get('all:0:100', 5, read(5))).head).toBe(5);
    expect(reads).toBe(1);
    // The head moved on: read again.
    expect((await cache.get('all:0:100', 6, read(6))).head).toBe(6);
    expect(reads).toBe(2);
    // Another key is another page.
    await cache.get('org:x:0:100', 6, read(6));
    expect(reads).toBe(3);
  });

  it('lets concurrent requests share one read, unless it was read before their head', async () => {
    const cache = new PageCache<PageRead>((p) => p.changes.length);
    let release: (p: PageRead) => void = () => undefined;
    let reads = 0;
    const slow = () => {
      reads++;
      return new Promise<PageRead>((r) => (release = r));
    };
    const first = cache.get('k', 7, slow);
    const second = cache.get('k', 7, () => Promise.resolve(page(99)));
    const newer = cache.get('k', 8, () => Promise.resolve(page(8)));
    release(page(7));
    expect((await first).head).toBe(7);
    expect((await second).head).toBe(7);
    expect((await newer).head).toBe(8);
    expect(reads).toBe(1);
  });

  it('keeps neither failed reads nor big pages', async () => {
    const cache = new PageCache<PageRead>((p) => p.changes.length);
    await expect(cache.get('k', 1, () => Promise.reject(new Error('down')))).rejects.toThrow();
    expect((await cache.get('k', 1, () => Promise.resolve(page(1)))).head).toBe(1);
    let reads = 0;
    const big = () => {
      reads++;
      return Promise.resolve(page(2, 1000));
    };
    await cache.get('b', 2, big);
    await cache.get('b', 2, big);
    expect(reads).toBe(2);
  });
});

const draft = (overrides: Record<string, unknown> = {}) =>
  sokDraft({ routeReason: 'Test yönlendirmesi', ...overrides });

forEachBackend('scoped pokes', (kind) => {
  let t: TestApp;
  let agent: string;
  let mutationId = 0;
  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    agent = (await login(t, 'ajan1')).accessToken;
    mutationId = 0;
  });
  afterEach(() => t.close());

  const push = async (kind_: string, payload: unknown) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(agent),
      payload: { mutations: [{ id: ++mutationId, kind: kind_, payload }] },
    });
    expect(res.json<PushResponse>().results[0]?.status, res.body).toBe('applied');
  };
  const head = async () =>
    Number(
      (
        await t.backend.db
          .selectFrom('counter')
          .select('value')
          .where('name', '=', 'change')
          .executeTakeFirstOrThrow()
      ).value,
    );

  it('pokes desks that see everything always, an organisation only when it is concerned', async () => {
    const notifier = new InProcessChangeNotifier();
    const router = new PokeRouter(t.backend.db, notifier, (e) => {
      throw e;
    });
    const got: Record<string, number[]> = { all: [], nilufer: [], buski: [], osmangazi: [] };
    router.add(null, (s) => got.all?.push(s));
    router.add('ilce.nilufer', (s) => got.nilufer?.push(s));
    router.add('buski', (s) => got.buski?.push(s));
    router.add('ilce.osmangazi', (s) => got.osmangazi?.push(s));
    const settle = () => new Promise((r) => setTimeout(r, 80));
    try {
      // The first poke after start pokes everyone (nothing known about earlier changes).
      await notifier.publish(await head());
      await settle();
      for (const list of Object.values(got)) expect(list).toHaveLength(1);

      const sok = draft({ targetOrg: 'ilce.nilufer' });
      await push('sok.create', sok);
      await notifier.publish(await head());
      await settle();
      expect(got.all).toHaveLength(2);
      expect(got.nilufer).toHaveLength(2);
      expect(got.buski).toHaveLength(1);
      expect(got.osmangazi).toHaveLength(1);

      // Re-routed to BUSKİ: BUSKİ gets it, Nilüfer loses sight of it (a revocation).
      await push('sok.route', { sokId: sok.id, targetOrg: 'buski', reason: 'Su arızası.' });
      await notifier.publish(await head());
      await settle();
      expect(got.buski).toHaveLength(2);
      expect(got.nilufer).toHaveLength(3);
      expect(got.osmangazi).toHaveLength(1);
      expect(got.all).toHaveLength(3);
    } finally {
      router.close();
      await notifier.close();
    }
  });
});

forEachBackend('organisation pulls behind many other changes', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(() => t.close());

  it('reaches every change of the organisation, page by page, without gaps', async () => {
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'masa1', role: 'desk', orgCode: 'buski' });
    const agent = (await login(t, 'ajan1')).accessToken;
    const desk = (await login(t, 'masa1')).accessToken;
    const mine: string[] = [];
    let id = 0;
    for (let round = 0; round < 3; round++) {
      const mutations = Array.from({ length: 300 }, (_, i) => {
        const buski = i === 150 || i === 299;
        const payload = draft(buski ? { targetOrg: 'buski' } : { targetOrg: 'ilce.nilufer' });
        if (buski) mine.push(payload.id);
        return { id: ++id, kind: 'sok.create', payload };
      });
      const res = await t.app.inject({
        method: 'POST',
        url: '/sync/push',
        headers: bearer(agent),
        payload: { mutations },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const seen = new Set<string>();
    const events = new Set<string>();
    let cursor = 0;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(50);
      const res = await t.app.inject({
        method: 'GET',
        url: `/sync/pull?cursor=${cursor}&limit=3`,
        headers: bearer(desk),
      });
      const page = res.json<PullResponse>();
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      for (const c of page.changes) {
        expect(c.seq).toBeGreaterThan(cursor);
        expect(c.seq).toBeLessThanOrEqual(page.cursor);
        if (c.op === 'upsert') seen.add(c.sok.id);
        if (c.op === 'event') events.add(c.event.sokId);
      }
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect([...seen].sort()).toEqual([...mine].sort());
    expect([...events].sort()).toEqual([...mine].sort());
  });
});
