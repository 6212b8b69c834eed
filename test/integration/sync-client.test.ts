import { describe, expect, it } from 'vitest';
import type { AdminUser, RejectedMutation, SyncStatus } from '../../src/domain/session';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import {
  ADMIN,
  AGENT,
  call,
  eventually,
  signInAs,
  useTestStack,
  validDraft,
} from '../support/stack';

const stack = useTestStack({ sync: { auto: false } });
const open = (name: string) => stack.open(name);

describe('a change the server refuses', () => {
  it('is rolled back locally, shown with its reason, and can be resent or discarded', async () => {
    const desk = open('desk');
    await signInAs(desk);
    // This desk's reference data knows a topic the central API does not (stale or edited data).
    desk.db
      .prepare(
        "INSERT INTO topic (code, name, parent_code) VALUES ('yol.yeni-konu', 'Yeni konu', 'yol')",
      )
      .run();
    const events: { event: string; payload: unknown }[] = [];
    desk.events.subscribe((event, payload) => events.push({ event, payload }));

    const sok = await call<Sok>(desk, 'sok.create', { ...validDraft, topicCode: 'yol.yeni-konu' });
    expect((await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items).toHaveLength(1);
    await desk.sync.syncNow();

    // Rolled back: the server has no such ŞÖK, so neither does the desk…
    expect((await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items).toHaveLength(0);
    // …but nothing is dropped silently: the user is told, with the reason, and it is kept.
    expect(events).toContainEqual({
      event: 'sync.rejected',
      payload: expect.objectContaining({
        kind: 'sok.create',
        message: expect.stringContaining('Seçilen konu bulunamadı'),
      }),
    });
    const rejected = await call<RejectedMutation[]>(desk, 'sync.rejected');
    expect(rejected).toEqual([
      expect.objectContaining({
        entityId: sok.id,
        summary: expect.stringContaining('Ayşe Işık'),
        message: expect.stringContaining('Seçilen konu bulunamadı'),
      }),
    ]);
    expect(await call<SyncStatus>(desk, 'sync.status')).toMatchObject({ rejected: 1, pending: 0 });

    // Resending an unchanged refused change is refused again, and still not lost.
    await call(desk, 'sync.resolve', { mutationId: rejected[0]?.mutationId, action: 'retry' });
    expect(await call<SyncStatus>(desk, 'sync.status')).toMatchObject({ rejected: 0, pending: 1 });
    await desk.sync.syncNow();
    const again = await call<RejectedMutation[]>(desk, 'sync.rejected');
    expect(again).toHaveLength(1);

    await call(desk, 'sync.resolve', { mutationId: again[0]?.mutationId, action: 'discard' });
    expect(await call<SyncStatus>(desk, 'sync.status')).toMatchObject({ rejected: 0, pending: 0 });
    expect(await stack.api.server.db.selectFrom('sok').selectAll().execute()).toEqual([]);
  });
});

describe('access that is taken away', () => {
  it('removes the data from the desk on its next pull', async () => {
    const desk = open('desk');
    await signInAs(desk, {
      username: 'nilufer1',
      displayName: 'Nilüfer Masa',
      password: 'nilufer-parola-2026',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    });
    await call<Sok>(desk, 'sok.create', { ...validDraft, districtCode: 'nilufer' });
    await desk.sync.syncNow();
    expect((await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items).toHaveLength(1);

    // An admin elsewhere moves the user to Gemlik; the desk's session stays open.
    const admin = open('admin');
    await call(admin, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    const users = await call<AdminUser[]>(admin, 'admin.users.list');
    const user = users.find((u) => u.username === 'nilufer1') as AdminUser;
    await call(admin, 'admin.users.update', { id: user.id, orgCode: 'ilce.gemlik' });

    // Moving the user ends their sessions: they sign in again, now in Gemlik.
    await desk.sync.syncNow();
    expect((await call<SyncStatus>(desk, 'sync.status')).state).toBe('signed-out');
    await call(desk, 'auth.login', { username: 'nilufer1', password: 'nilufer-parola-2026' });
    await desk.sync.syncNow();
    expect((await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items).toHaveLength(0);
  });

  it('also when the scope changes under a still-valid session', async () => {
    const desk = open('desk');
    await signInAs(desk, {
      username: 'nilufer1',
      displayName: 'Nilüfer Masa',
      password: 'nilufer-parola-2026',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    });
    await call<Sok>(desk, 'sok.create', { ...validDraft, districtCode: 'nilufer' });
    await desk.sync.syncNow();
    // Behind the API's back (as a migration or a second admin path might): same session, new org.
    await stack.api.server.db
      .updateTable('app_user')
      .set({ org_code: 'ilce.gemlik' })
      .where('username', '=', 'nilufer1')
      .execute();
    // Such a path must say that users changed, as the admin API does, or cached sessions keep
    // the old organisation for up to ALO153_SESSION_CACHE_SECONDS.
    await stack.api.server.notifier.publishAuthChange();
    await desk.sync.syncNow();
    await desk.sync.syncNow();
    expect((await call<SokSearchResult>(desk, 'sok.search', { query: '' })).items).toHaveLength(0);
  });
});

describe('a first sync of many pages', () => {
  it('loads without the list indexes and leaves the store with all of them', async () => {
    const a = open('a');
    await signInAs(a);
    for (let i = 0; i < 12; i++) {
      await call<Sok>(a, 'sok.create', {
        ...validDraft,
        description: `Toplu yükleme denemesi ${i}`,
      });
    }
    await a.sync.syncNow();
    const b = stack.open('b', { sync: { auto: false, pullPage: 5 } });
    const dropped: string[] = [];
    const exec = b.db.exec.bind(b.db);
    b.db.exec = (sql: string) => {
      if (sql.startsWith('DROP INDEX')) dropped.push(sql);
      return exec(sql);
    };
    await signInAs(b, { ...AGENT, username: 'ajan.b', role: 'agent', orgCode: 'bikom' });
    const indexes = (core: typeof a) =>
      core.db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sok' ORDER BY name",
        )
        .all();
    expect(dropped.length).toBeGreaterThan(5);
    // Built again in the background, one at a time, right after the sync.
    await eventually(() => expect(indexes(b)).toEqual(indexes(a)));
    expect(b.db.prepare("SELECT value FROM meta WHERE key = 'sok.suspendedIndexes'").get()).toBe(
      undefined,
    );
    // Pulled pages commit without waiting for the disk; the desk's own writes still do.
    expect(b.db.pragma('synchronous', { simple: true })).toBe(2);
    const found = await call<SokSearchResult>(b, 'sok.search', { query: 'toplu yukleme' });
    expect(found.items).toHaveLength(12);
  });
});
