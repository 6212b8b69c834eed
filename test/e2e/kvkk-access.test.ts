import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpCounter, withWriteLock } from '../../src/server/db/write-lock';
import { BACKENDS, createTestBackend, type TestBackend } from '../support/backends';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, deskBridge, login, logout, syncState } from './ui';

/**
 * Issue #19, "each kind of access appears in the log exactly once, from the browser-host desk
 * too": a BİKOM agent on one browser-host desk searches for a citizen, opens the ŞÖK in full
 * (twice) and types the caller's number into the form (their earlier ŞÖKs); a BİKOM supervisor on
 * another sees the same ŞÖK masked, reveals it with "Göster" and exports the queue list. The
 * administrator then reads the log on the KVKK screen, and through the API: each kind once.
 * The central API runs on each backend, PostgreSQL and SQLite.
 */
const SUPERVISOR = {
  username: 'sup1',
  displayName: 'Sevgi Süpervizör',
  password: 'sup-parola-2026',
};
const PHONE = '+905327654321';

describe.each(BACKENDS.map((kind) => ({ kind })))('KVKK desk access [$kind]', ({ kind }) => {
  let api: ApiProcess;
  let browser: Browser;
  const hosts: RunningHost[] = [];
  let agent: Page;
  let sup: Page;
  let adminToken: string;
  let backend: TestBackend;
  const root = tempDataDir();
  const sokId = randomUUID();

  beforeAll(async () => {
    backend = await createTestBackend(kind);
    api = await startApiProcess(
      kind === 'sqlite'
        ? { ALO153_SERVER_DB: backend.config.sqliteFile ?? '' }
        : { DATABASE_URL: backend.config.databaseUrl ?? '' },
    );
    adminToken = await setUpAdmin(api.url, 'e2e-kvkk-admin');
    for (const [user, role] of [
      [AGENT, 'agent'],
      [SUPERVISOR, 'supervisor'],
    ] as const) {
      await apiPost(`${api.url}/admin/users`, { ...user, role, orgCode: 'bikom' }, adminToken);
    }
    const agentToken = (
      await apiPost(`${api.url}/auth/login`, {
        username: AGENT.username,
        password: AGENT.password,
        clientId: 'e2e-kvkk-agent-api',
      })
    ).accessToken as string;
    const pushed = await apiPost(
      `${api.url}/sync/push`,
      {
        mutations: [
          {
            id: 1,
            kind: 'sok.create',
            payload: {
              id: sokId,
              regNo: null,
              typeCode: 'sikayet',
              channelCode: 'telefon',
              topicCode: 'temizlik.cop-toplanmadi',
              districtCode: 'nilufer',
              mahalle: 'Görükle',
              address: '',
              description: 'Çöp konteyneri iki gündür boşaltılmadı.',
              citizenName: 'Kemal Sönmez',
              citizenPhone: PHONE,
              registeredAt: new Date().toISOString(),
            },
          },
        ],
      },
      agentToken,
    );
    expect(JSON.stringify(pushed)).toContain('"applied"');

    browser = await launchBrowser();
    const a = await startHost(path.join(root, 'agent'), { ALO153_API_URL: api.url });
    const s = await startHost(path.join(root, 'sup'), { ALO153_API_URL: api.url });
    hosts.push(a, s);
    agent = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    sup = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    await agent.goto(a.url);
    await sup.goto(s.url);
    await login(agent, AGENT);
    await login(sup, SUPERVISOR);
  }, 120_000);

  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await browser?.close();
    await api?.stop();
    await backend?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The access log's entries about the citizen, read by the administrator through the API. */
  async function logKinds(): Promise<string[]> {
    const res = await fetch(
      `${api.url}/kvkk/access-log?phone=${encodeURIComponent(PHONE)}&limit=1000`,
      { headers: { authorization: `Bearer ${adminToken}` } },
    );
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { kind: string; sokId: string }[] };
    expect(entries.every((e) => e.sokId === sokId)).toBe(true);
    // The supervisor's drill-down list is logged by the API as it is listed ('list').
    return entries
      .map((e) => e.kind)
      .filter((k) => k !== 'list')
      .sort();
  }

  async function openBySearch(page: Page, query: string) {
    await page.fill('#sok-search', query);
    await page.locator('.result').first().click();
    await page.locator('#sok-detail').waitFor();
  }

  describe('the access log from browser-host desks', () => {
    it('holds each kind of access to a citizen’s contact details exactly once', async () => {
      await syncState(agent, 'Çevrimiçi');
      await syncState(sup, 'Çevrimiçi');

      // The agent: a search that shows the contact, the ŞÖK in full (opened twice, reloaded by
      // syncs meanwhile), the caller's earlier ŞÖKs as the number is typed.
      await openBySearch(agent, 'Sönmez');
      await expect.poll(() => agent.locator('#sok-detail-phone').textContent()).toContain('765');
      await deskBridge(agent, 'sync.now', {});
      await agent.keyboard.press('Escape');
      await openBySearch(agent, 'Kemal');
      await agent.keyboard.press('Escape');
      await agent.locator('#sok-detail').waitFor({ state: 'detached' });
      await agent.locator('#sok-citizenPhone').fill('0532 765 43 21');
      await agent.locator('#caller-context .earlier li').first().waitFor();
      await agent.locator('#sok-citizenPhone').fill('0532 765 43 2');
      await agent.locator('#sok-citizenPhone').fill('0532 765 43 21');
      await agent.locator('#caller-context .earlier li').first().waitFor();

      // The supervisor: the same ŞÖK masked (no view), revealed on demand, then the queue list
      // exported.
      await openBySearch(sup, 'Sönmez');
      const phone = sup.locator('#sok-detail-phone');
      expect(await phone.textContent()).toContain('+90 532 *** ** 21');
      await phone.locator('button:text-is("Göster")').click();
      await expect.poll(() => phone.textContent()).toMatch(/532 765 43 21/);
      await sup.keyboard.press('Escape');
      await sup.locator('button:text-is("Süpervizör")').click();
      await sup
        .locator('#sv-queue-table tr[data-org="ilce.nilufer"] td[data-queue="new"] button')
        .click();
      await sup.locator('#sv-drill tbody tr').first().waitFor();
      const [download] = await Promise.all([
        sup.waitForEvent('download'),
        sup.locator('button:text-is("Bu liste CSV")').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);

      // Each desk sends its entries with its next sync.
      await deskBridge(agent, 'sync.now', {});
      await deskBridge(sup, 'sync.now', {});
      const expected = ['caller-history', 'export', 'reveal', 'search', 'view'];
      await expect.poll(logKinds, { timeout: 15_000 }).toEqual(expected);
      // More syncs send nothing again.
      await deskBridge(agent, 'sync.now', {});
      await deskBridge(sup, 'sync.now', {});
      expect(await logKinds()).toEqual(expected);

      // The supervisor types the caller's number on the form: the earlier ŞÖK is listed masked,
      // with its own "Göster", which is one more reveal.
      await sup.locator('button:text-is("ŞÖK")').click();
      await sup.locator('#sok-citizenPhone').fill('0532 765 43 21');
      const earlier = sup.locator('#caller-context .earlier li .reveal-line');
      await expect.poll(() => earlier.textContent()).toContain('K. S.');
      await earlier.locator('button:text-is("Göster")').click();
      await expect.poll(() => earlier.textContent()).toContain('Kemal Sönmez');
      await deskBridge(sup, 'sync.now', {});
      const withBoth = ['caller-history', 'export', 'reveal', 'reveal', 'search', 'view'];
      await expect.poll(logKinds, { timeout: 15_000 }).toEqual(withBoth);

      // The administrator reads the same on the KVKK screen.
      await logout(sup);
      await login(sup, ADMIN);
      await sup.locator('button:text-is("KVKK")').click();
      const filter = sup.locator('form[aria-label="Erişim kaydını süz"]');
      await filter.getByLabel('Telefon').fill('0532 765 43 21');
      await filter.locator('button[type="submit"]').click();
      const cells = sup.locator('table[aria-label="Kişisel veri erişim kaydı"] td[data-kind]');
      await expect
        .poll(async () =>
          (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-kind') ?? '')))
            .filter((k) => k !== 'list')
            .sort(),
        )
        .toEqual(withBoth);
    });

    it('shows the off-desk note offline for a closed ŞÖK whose contacts the desk dropped, and fetches them online (one view)', async () => {
      // A second citizen's ŞÖK, on the agent's desk with its contact data.
      const agentToken = (
        await apiPost(`${api.url}/auth/login`, {
          username: AGENT.username,
          password: AGENT.password,
          clientId: 'e2e-kvkk-agent-api-2',
        })
      ).accessToken as string;
      const closedId = randomUUID();
      await apiPost(
        `${api.url}/sync/push`,
        {
          mutations: [
            {
              id: 1,
              kind: 'sok.create',
              payload: {
                id: closedId,
                regNo: null,
                typeCode: 'sikayet',
                channelCode: 'telefon',
                topicCode: 'temizlik.cop-toplanmadi',
                districtCode: 'nilufer',
                mahalle: 'Görükle',
                address: 'Kapalı Sokak No 9',
                description: 'Konteyner taşmış.',
                citizenName: 'Nuri Kapalıçarşı',
                citizenPhone: '+905339998877',
                registeredAt: new Date().toISOString(),
              },
            },
          ],
        },
        agentToken,
      );
      const name = async () =>
        (await deskBridge<{ items: unknown[] }>(agent, 'sok.search', { query: 'Kapalıçarşı' }))
          .items.length;
      await deskBridge(agent, 'sync.now', {});
      await expect.poll(name).toBe(1);

      // The ŞÖK was closed 40 days ago (the desk keeps a closed ŞÖK's contacts 30 days).
      await api.stop();
      await withWriteLock(backend.db, async (trx) => {
        const { last } = await bumpCounter(trx, 'change');
        await trx
          .updateTable('sok')
          .set({
            status: 'closed',
            updated_at: new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString(),
            change_seq: last,
          })
          .where('id', '=', closedId)
          .execute();
      });
      const { reg_no: regNo } = await backend.db
        .selectFrom('sok')
        .select('reg_no')
        .where('id', '=', closedId)
        .executeTakeFirstOrThrow();
      await api.restart();
      await syncState(agent, 'Çevrimiçi');
      // The desk drops the contacts at its next sync: the name is no longer found on it.
      await expect
        .poll(async () => {
          await deskBridge(agent, 'sync.now', {});
          return name();
        })
        .toBe(0);

      // Offline: the ŞÖK opens without them, and says why.
      await api.stop();
      await syncState(agent, 'Çevrimdışı');
      await openBySearch(agent, regNo);
      const facts = agent.locator('#sok-detail-facts');
      await expect
        .poll(() => facts.textContent())
        .toContain('Kişisel veriler bu bilgisayarda tutulmuyor');
      expect(await facts.textContent()).not.toContain('Kapalıçarşı');
      await agent.keyboard.press('Escape');
      await agent.locator('#sok-detail').waitFor({ state: 'detached' });

      // Online, the agent (whose organisation took the call) sees them, read from the API.
      await api.restart();
      await syncState(agent, 'Çevrimiçi');
      await openBySearch(agent, regNo);
      await expect.poll(() => facts.textContent()).toContain('Nuri Kapalıçarşı');
      expect(await agent.locator('#sok-detail-phone').textContent()).toMatch(/533 999 88 77/);
      expect(await facts.textContent()).not.toContain('Kişisel veriler bu bilgisayarda tutulmuyor');
      await agent.keyboard.press('Escape');

      // One view logged: the online opening; the offline one showed nothing personal.
      await deskBridge(agent, 'sync.now', {});
      const views = async () => {
        const res = await fetch(
          `${api.url}/kvkk/access-log?phone=${encodeURIComponent('+905339998877')}`,
          { headers: { authorization: `Bearer ${adminToken}` } },
        );
        const { entries } = (await res.json()) as { entries: { kind: string; sokId: string }[] };
        return entries.filter((e) => e.kind === 'view').map((e) => e.sokId);
      };
      await expect.poll(views, { timeout: 15_000 }).toEqual([closedId]);
      // Still the desk holds none of it.
      expect(await name()).toBe(0);
    });

    it('logs the callback queue once per ŞÖK shown, however often the live queue refreshes', async () => {
      // Nilüfer's desk decides the citizen's ŞÖK (through the API): a callback in its queue.
      const NILUFER = { username: 'masa9', displayName: 'Nil Masa', password: 'masa9-parola-2026' };
      await apiPost(
        `${api.url}/admin/users`,
        { ...NILUFER, role: 'desk', orgCode: 'ilce.nilufer' },
        adminToken,
      );
      const deskToken = (
        await apiPost(`${api.url}/auth/login`, {
          username: NILUFER.username,
          password: NILUFER.password,
          clientId: 'e2e-kvkk-nilufer-api',
        })
      ).accessToken as string;
      const decided = await apiPost(
        `${api.url}/sync/push`,
        {
          mutations: [
            { id: 1, kind: 'sok.accept', payload: { sokId } },
            {
              id: 2,
              kind: 'sok.decide',
              payload: {
                sokId,
                kind: 'wont-do',
                reasonCategory: 'private',
                explanation: 'Konteyner sitenin özel alanında; site yönetimi boşaltmalı.',
              },
            },
          ],
        },
        deskToken,
      );
      expect(JSON.stringify(decided)).not.toContain('rejected');

      // A BİKOM supervisor looks at Nilüfer's callback queue: the citizen's name and number.
      await logout(sup);
      await login(sup, SUPERVISOR);
      await syncState(sup, 'Çevrimiçi');
      await deskBridge(sup, 'sync.now', {});
      await sup.locator('button:text-is("Geri aramalar")').click();
      const queue = sup.locator('#callback-queue');
      await queue.waitFor();
      await sup.selectOption('#cb-org', 'ilce.nilufer');
      await expect.poll(() => queue.textContent()).toContain('Kemal Sönmez');
      expect(await queue.textContent()).toMatch(/532 765 43 21/);
      // The live queue reloads after each sync and with each filter: the same view.
      await deskBridge(sup, 'sync.now', {});
      await sup.selectOption('#cb-state', 'overdue');
      await expect.poll(() => queue.textContent()).not.toContain('Kemal Sönmez');
      await sup.selectOption('#cb-state', 'open');
      await expect.poll(() => queue.textContent()).toContain('Kemal Sönmez');
      await deskBridge(sup, 'sync.now', {});

      const queueViews = async () => {
        const res = await fetch(
          `${api.url}/kvkk/access-log?phone=${encodeURIComponent(PHONE)}&limit=1000`,
          { headers: { authorization: `Bearer ${adminToken}` } },
        );
        const { entries } = (await res.json()) as {
          entries: { kind: string; sokId: string; username: string; detail: string }[];
        };
        return entries
          .filter((e) => e.kind === 'list' && e.detail === 'geri arama kuyruğu')
          .map((e) => [e.username, e.sokId]);
      };
      await expect.poll(queueViews, { timeout: 15_000 }).toEqual([[SUPERVISOR.username, sokId]]);
      await deskBridge(sup, 'sync.now', {});
      expect(await queueViews()).toEqual([[SUPERVISOR.username, sokId]]);
    });
  });
});
