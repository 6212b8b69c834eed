import { beforeEach, describe, expect, it } from 'vitest';
import { forEachBackend } from '../support/backends';
import type { CallerContext } from '../../src/domain/bridge/contract';
import type { Sok, SokListPage, SokSearchResult } from '../../src/domain/sok';
import { DEFAULT_RETENTION } from '../../src/domain/kvkk';
import { writeRetention } from '../../src/server/kvkk/retention';
import { FaultyNetwork } from '../support/faulty-fetch';
import { closeOnServer } from '../support/seeded-api';
import { call, eventually, signInAs, useTestStack, validDraft } from '../support/stack';

/** The central API on each backend (PostgreSQL and SQLite), one fresh stack per test. */
let stack: ReturnType<typeof useTestStack>;

async function accessRows() {
  return stack.api.server.db
    .selectFrom('personal_data_access')
    .innerJoin('app_user', 'app_user.id', 'personal_data_access.user_id')
    .select(['personal_data_access.kind', 'personal_data_access.sok_id', 'app_user.username'])
    .execute();
}

/** A desk (browser host, as the tests' client core) on a network the test can take down. */
async function deskWithSok() {
  const net = new FaultyNetwork();
  const core = stack.open('desk', { fetch: net.fetch });
  await signInAs(core);
  const sok = await call<Sok>(core, 'sok.create', validDraft);
  await core.sync.syncNow();
  const pendingViews = () =>
    core.accessDb.prepare('SELECT count(*) FROM access_outbox').pluck().get() as number;
  return { net, core, sok, pendingViews };
}

forEachBackend('KVKK desks', (kind) => {
  const own = useTestStack({}, kind);
  beforeEach(() => {
    stack = own;
  });

  describe('KVKK on the desk: the access log', () => {
    it('opening a ŞÖK in full is one entry on the server, sent by the next sync', async () => {
      const { core, sok, pendingViews } = await deskWithSok();
      expect(await accessRows()).toEqual([]);

      const opened = await call<Sok>(core, 'sok.get', { id: sok.id });
      expect(opened.citizenName).toBe('Ayşe Işık');
      expect(pendingViews()).toBe(1);
      await core.sync.syncNow();
      expect(await accessRows()).toEqual([{ kind: 'view', sok_id: sok.id, username: 'ajan1' }]);
      expect(pendingViews()).toBe(0);
      // Nothing more on the next sync.
      await core.sync.syncNow();
      expect(await accessRows()).toHaveLength(1);
    });

    it('a view made offline is kept and stored once when the desk syncs later, answer lost or not', async () => {
      const { net, core, sok, pendingViews } = await deskWithSok();
      net.down = true;
      await call<Sok>(core, 'sok.get', { id: sok.id });
      await core.sync.syncNow();
      expect(core.sync.getStatus().state).toBe('offline');
      expect(pendingViews()).toBe(1);
      expect(await accessRows()).toEqual([]);

      // Back online, but the answer to the first try is lost: the entry is sent again.
      net.down = false;
      net.plan('drop-response');
      await eventually(async () => {
        await core.sync.syncNow();
        expect(pendingViews()).toBe(0);
      });
      expect(net.stats.lostResponses).toBe(1);
      expect(await accessRows()).toEqual([{ kind: 'view', sok_id: sok.id, username: 'ajan1' }]);
    });

    it('logs the caller history of a screen pop and a search that shows contacts, one entry per ŞÖK', async () => {
      const { core, sok } = await deskWithSok();
      const context = await call<CallerContext>(core, 'sok.callerContext', {
        phone: '0532 123 45 67',
      });
      expect(context.soks.map((s) => s.id)).toEqual([sok.id]);
      const found = await call<SokSearchResult>(core, 'sok.search', { query: 'Işık' });
      expect(found.items.map((s) => s.id)).toEqual([sok.id]);
      await call<SokSearchResult>(core, 'sok.search', { query: 'bulunmayan' });
      await core.sync.syncNow();
      const rows = await accessRows();
      expect(rows.map((r) => r.kind).sort()).toEqual(['caller-history', 'search']);
      expect(rows.every((r) => r.sok_id === sok.id)).toBe(true);
    });
  });

  describe('KVKK on the desk: the callback queue (list views)', () => {
    /** Yıldırım's desk, with two ŞÖKs decided there: both in its callback queue. */
    async function queueWithTwo() {
      const agent = stack.open('agent');
      await signInAs(agent);
      const first = await call<Sok>(agent, 'sok.create', validDraft);
      const second = await call<Sok>(agent, 'sok.create', {
        ...validDraft,
        citizenName: 'Mehmet Öz',
        citizenPhone: '0533 111 22 33',
      });
      await agent.sync.syncNow();
      const desk = stack.open('desk');
      await signInAs(desk, {
        username: 'masa1',
        displayName: 'Deniz Masa',
        password: 'masa1-parola-2026',
        role: 'desk',
        orgCode: 'ilce.yildirim',
      });
      for (const sok of [first, second]) {
        await call(desk, 'sok.accept', { sokId: sok.id });
        await call(desk, 'sok.decide', {
          sokId: sok.id,
          kind: 'wont-do',
          reasonCategory: 'private',
          explanation: 'Konteyner sitenin özel alanında; site yönetimi boşaltmalı.',
        });
      }
      await desk.sync.syncNow();
      const pending = () =>
        desk.accessDb
          .prepare('SELECT kind, sok_id AS sokId, detail FROM access_outbox ORDER BY sok_id')
          .all() as { kind: string; sokId: string; detail: string }[];
      return { desk, first, second, pending };
    }

    it('logs each ŞÖK the queue shows once, however often it refreshes', async () => {
      const { desk, first, second, pending } = await queueWithTwo();
      expect(pending()).toEqual([]);

      const page = await call<SokListPage>(desk, 'callback.list', { state: 'open' });
      expect(page.items.map((s) => s.citizenName).sort()).toEqual(['Ayşe Işık', 'Mehmet Öz']);
      const once = [first.id, second.id]
        .sort()
        .map((sokId) => ({ kind: 'list', sokId, detail: 'geri arama kuyruğu' }));
      expect(pending()).toEqual(once);
      // The live queue refreshes (after each sync and change) within the 10 minutes: nothing new.
      await call<SokListPage>(desk, 'callback.list', { state: 'open' });
      await desk.sync.syncNow();
      await call<SokListPage>(desk, 'callback.list', { state: 'open', owner: 'unclaimed' });
      await desk.sync.syncNow();

      const rows = await accessRows();
      expect(rows.map((r) => [r.kind, r.sok_id, r.username]).sort()).toEqual(
        [first.id, second.id].sort().map((id) => ['list', id, 'masa1']),
      );
      expect(pending()).toEqual([]);
    });

    it('logs nothing for a masked row, nor for the due-callback check that shows no contacts', async () => {
      const { desk, first, second, pending } = await queueWithTwo();
      // The first one's contacts are masked on this desk (as the server sends them to an
      // organisation that may not see them in full).
      desk.db
        .prepare(
          "UPDATE sok SET contact_masked = 1, citizen_name = 'A. I.', citizen_phone = '+90 532 *** ** 67' WHERE id = ?",
        )
        .run(first.id);

      await call<SokListPage>(desk, 'callback.list', { state: 'open', shown: false });
      expect(pending()).toEqual([]);
      const page = await call<SokListPage>(desk, 'callback.list', { state: 'open' });
      expect(page.items.find((s) => s.id === first.id)?.citizenName).toBe('A. I.');
      expect(pending()).toEqual([{ kind: 'list', sokId: second.id, detail: 'geri arama kuyruğu' }]);
      await desk.sync.syncNow();
      expect(await accessRows()).toEqual([{ kind: 'list', sok_id: second.id, username: 'masa1' }]);
    });
  });

  describe('KVKK on the desk: contact details on demand', () => {
    it('shows a supervisor the contacts masked everywhere, and logs each "Göster" once', async () => {
      const { sok } = await deskWithSok();
      const sup = stack.open('supervisor');
      await signInAs(sup, {
        username: 'sef1',
        displayName: 'Selin Şef',
        password: 'sef-parola-2026',
        role: 'supervisor',
        orgCode: 'bikom',
      });
      await sup.sync.syncNow();

      const opened = await call<Sok>(sup, 'sok.get', { id: sok.id });
      expect(opened).toMatchObject({
        contactMasked: true,
        contactOnDemand: true,
        citizenName: 'A. I.',
        citizenPhone: '+90 532 *** ** 67',
      });
      const context = await call<CallerContext>(sup, 'sok.callerContext', {
        phone: '0532 123 45 67',
      });
      expect(context.soks[0]).toMatchObject({ id: sok.id, contactOnDemand: true });
      expect(context.soks[0]!.citizenName).toBe('A. I.');
      const found = await call<SokSearchResult>(sup, 'sok.search', { query: 'Işık' });
      expect(found.items.map((s) => [s.id, s.citizenPhone])).toEqual([
        [sok.id, '+90 532 *** ** 67'],
      ]);

      const revealed = await call<{ citizenName: string; citizenPhone: string }>(
        sup,
        'sok.reveal',
        {
          id: sok.id,
        },
      );
      expect(revealed).toMatchObject({ citizenName: 'Ayşe Işık', citizenPhone: '+905321234567' });
      await call(sup, 'sok.reveal', { id: sok.id });
      await sup.sync.syncNow();
      // Masked screens are no view; each reveal is one entry.
      expect(await accessRows()).toEqual([
        { kind: 'reveal', sok_id: sok.id, username: 'sef1' },
        { kind: 'reveal', sok_id: sok.id, username: 'sef1' },
      ]);
    });
  });

  describe('KVKK on the desk: closed ŞÖKs keep no contact data on the PC', () => {
    it('drops them after the desk period, shows them from the server online, stores them never again', async () => {
      const { net, core, sok } = await deskWithSok();
      await closeOnServer(stack.api.server.db, [sok.id], DEFAULT_RETENTION.deskClosedDays + 1);
      await core.sync.syncNow();

      const row = core.db
        .prepare(
          'SELECT citizen_name, citizen_phone, citizen_email, address, latitude, personal_dropped_at FROM sok WHERE id = ?',
        )
        .get(sok.id) as Record<string, unknown>;
      expect(row).toMatchObject({
        citizen_name: '',
        citizen_phone: '',
        citizen_email: '',
        address: '',
      });
      expect(row.latitude).toBeNull();
      expect(row.personal_dropped_at).not.toBeNull();
      // Not found by the name or the phone any more.
      expect((await call<SokSearchResult>(core, 'sok.search', { query: 'Işık' })).items).toEqual(
        [],
      );
      expect(
        (await call<CallerContext>(core, 'sok.callerContext', { phone: '0532 123 45 67' })).soks,
      ).toEqual([]);

      // Opened online: shown from the server, marked, and not written back.
      const online = await call<Sok>(core, 'sok.get', { id: sok.id });
      expect(online).toMatchObject({
        personalDataOffDesk: true,
        citizenName: 'Ayşe Işık',
        citizenPhone: '+905321234567',
        address: 'Ihlamur Sokak No: 4',
        status: 'closed',
      });
      expect(core.db.prepare('SELECT citizen_name FROM sok WHERE id = ?').pluck().get(sok.id)).toBe(
        '',
      );

      // Offline: the ŞÖK without them, still marked.
      net.down = true;
      const offline = await call<Sok>(core, 'sok.get', { id: sok.id });
      expect(offline).toMatchObject({
        personalDataOffDesk: true,
        citizenName: '',
        citizenPhone: '',
      });

      net.down = false;
      await eventually(async () => {
        await core.sync.syncNow();
        expect(core.sync.getStatus().state).toBe('online');
      });
      // Only the online opening showed contact data.
      expect(await accessRows()).toEqual([{ kind: 'view', sok_id: sok.id, username: 'ajan1' }]);
    });

    it('keeps closed ŞÖKs within the period and follows the schedule the administrator set', async () => {
      const { core, sok } = await deskWithSok();
      await closeOnServer(stack.api.server.db, [sok.id], 15);
      await core.sync.syncNow();
      expect(
        (await call<Sok>(core, 'sok.get', { id: sok.id })).personalDataOffDesk,
      ).toBeUndefined();

      const admin = await stack.api.server.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'yonetici')
        .executeTakeFirstOrThrow();
      await writeRetention(
        stack.api.server.db,
        { ...DEFAULT_RETENTION, deskClosedDays: 10 },
        admin.id,
        new Date(),
      );
      await core.sync.syncNow();
      const local = core.db
        .prepare('SELECT citizen_name, personal_dropped_at FROM sok WHERE id = ?')
        .get(sok.id) as { citizen_name: string; personal_dropped_at: string | null };
      expect(local.citizen_name).toBe('');
      expect(local.personal_dropped_at).not.toBeNull();
    });
  });
});
