import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login, logout, registerByKeyboard, syncState } from './ui';

/**
 * The supervisor console end to end: one central API in its own process, a BİKOM agent in one
 * browser host and supervisors in another. A ŞÖK the agent registers reaches the supervisor's
 * queue counts by itself; the drill-down shows who is waiting; the queue table downloads as CSV;
 * a district's supervisor sees only their district's organisation.
 */
const SUPERVISOR = {
  username: 'sup1',
  displayName: 'Sevgi Süpervizör',
  password: 'sup-parola-2026',
};
const DISTRICT_SUPERVISOR = {
  username: 'ysup',
  displayName: 'Yasin Yıldırım',
  password: 'ysup-parola-2026',
};

let api: ApiProcess;
let browser: Browser;
const hosts: RunningHost[] = [];
let agent: Page;
let sup: Page;
const root = tempDataDir();

beforeAll(async () => {
  api = await startApiProcess({ ALO153_SERVER_DB: path.join(root, 'server.sqlite') });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: ADMIN.username,
      password: ADMIN.password,
      clientId: 'e2e-supervisor-admin',
    })
  ).accessToken as string;
  for (const [user, role, orgCode] of [
    [AGENT, 'agent', 'bikom'],
    [SUPERVISOR, 'supervisor', 'bikom'],
    [DISTRICT_SUPERVISOR, 'supervisor', 'ilce.yildirim'],
  ] as const) {
    await apiPost(`${api.url}/admin/users`, { ...user, role, orgCode }, adminToken);
  }
  // A ŞÖK for Nilüfer, registered by the agent through the API before anyone looks.
  const agentToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: AGENT.username,
      password: AGENT.password,
      clientId: 'e2e-supervisor-agent-api',
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
            id: randomUUID(),
            regNo: null,
            typeCode: 'sikayet',
            channelCode: 'telefon',
            topicCode: 'temizlik.cop-toplanmadi',
            districtCode: 'nilufer',
            mahalle: 'Görükle',
            address: '',
            description: 'Çöp konteyneri iki gündür boşaltılmadı.',
            citizenName: 'Kemal Sönmez',
            citizenPhone: '+905327654321',
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
  fs.rmSync(root, { recursive: true, force: true });
});

/** The queue table's cell for an organisation (or 'total') and a queue, as text. */
async function count(page: Page, org: string, queue: string): Promise<number> {
  const cell = page.locator(`#sv-queue-table tr[data-org="${org}"] td[data-queue="${queue}"]`);
  if ((await cell.count()) === 0) return 0;
  return Number(((await cell.textContent()) ?? '').replace(/\./g, ''));
}

describe('the supervisor console', () => {
  it('counts a ŞÖK an agent registers on another desk within 2 seconds, and drills down to the caller', async () => {
    await syncState(agent, 'Çevrimiçi');
    await syncState(sup, 'Çevrimiçi');
    await sup.locator('button:text-is("Süpervizör")').click();
    await sup.locator('#sv-queue-table').waitFor();
    await expect.poll(() => count(sup, 'ilce.nilufer', 'new')).toBe(1);
    const before = await count(sup, 'total', 'new');

    const regNo = await registerByKeyboard(agent, {
      phone: '0532 111 22 33',
      name: 'Zeynep Güler',
      mahalle: 'Değirmenönü',
    });
    // From the moment the agent holds the registration number.
    await expect.poll(() => count(sup, 'total', 'new'), { timeout: 2_000 }).toBe(before + 1);
    expect(await count(sup, 'ilce.yildirim', 'new')).toBe(1);

    await sup
      .locator('#sv-queue-table tr[data-org="ilce.yildirim"] td[data-queue="new"] button')
      .click();
    const row = sup.locator('#sv-drill tbody tr', { hasText: regNo });
    await row.waitFor();
    // BİKOM took the call: its supervisor sees the caller in full.
    expect(await row.textContent()).toContain('Zeynep Güler');
  });

  it('downloads the queue table as CSV holding the rows on screen', async () => {
    const [download] = await Promise.all([
      sup.waitForEvent('download'),
      sup.locator('button:text-is("Kuyruklar CSV")').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^alo153-kuyruklar-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'Kurum;Yeni (kabul bekliyor);Değerlendirmede;Bugün aranacak;Gecikmiş geri arama;Ulaşılamadı (son 30 gün)',
    );
    expect(lines).toContain('Nilüfer Belediyesi;1;0;0;0;0');
    expect(lines).toContain('Yıldırım Belediyesi;1;0;0;0;0');
  });

  it('shows the SLA with the calls section (no calls logged here) and the monthly flows as a table', async () => {
    await sup.locator('#sv-sla').waitFor();
    await expect
      .poll(() => sup.locator('#sv-sla').textContent())
      .toContain('Bu dönemde gelen çağrı kaydı yok.');
    await expect.poll(() => sup.locator('#sv-flow-table tbody').textContent()).toMatch(/2/);
  });

  it('a district supervisor sees only their district’s organisation', async () => {
    await logout(sup);
    await login(sup, DISTRICT_SUPERVISOR);
    await syncState(sup, 'Çevrimiçi');
    await sup.locator('button:text-is("Süpervizör")').click();
    await sup.locator('#sv-queue-table').waitFor();
    await expect.poll(() => count(sup, 'ilce.yildirim', 'new')).toBe(1);
    expect(
      await sup
        .locator('#sv-queue-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-org'))),
    ).toEqual(['ilce.yildirim']);
    expect(await count(sup, 'total', 'new')).toBe(1);
  });
});
