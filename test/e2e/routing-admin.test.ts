import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, login, logout, syncState } from './ui';

/**
 * Issue #17 item 12, end to end: BİKOM's administrator reads the routing rules on their screen,
 * tests "where would a pothole on Atatürk Caddesi in Nilüfer go?" (the intake's own routing
 * function, over the unsaved draft), adds a rule, saves it, sees the change on the audit trail,
 * and rolls back. A district's administrator gets no such screen.
 */
const DISTRICT_ADMIN = {
  username: 'nadmin',
  displayName: 'Nilüfer Yöneticisi',
  password: 'nadmin-parola-2026',
};

let api: ApiProcess;
let browser: Browser;
let host: RunningHost;
let page: Page;
const root = tempDataDir();

beforeAll(async () => {
  api = await startApiProcess({ ALO153_SERVER_DB: path.join(root, 'server.sqlite') });
  const adminToken = await setUpAdmin(api.url, 'e2e-routing-admin');
  await apiPost(
    `${api.url}/admin/users`,
    { ...DISTRICT_ADMIN, role: 'admin', orgCode: 'ilce.nilufer' },
    adminToken,
  );
  browser = await launchBrowser();
  host = await startHost(path.join(root, 'admin'), { ALO153_API_URL: api.url });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(host.url);
  await login(page, ADMIN);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await api?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Asks the screen where a pothole on Atatürk Caddesi in Nilüfer would go; the answer's text. */
async function tryRoute(p: Page): Promise<string> {
  await p.selectOption('#routing-test-topic', 'yol.cukur');
  await p.selectOption('#routing-test-district', 'nilufer');
  await p.fill('#routing-test-address', 'Atatürk Caddesi No: 12');
  await p.locator('#routing-test button[type="submit"]').click();
  await p.locator('#routing-test-result').waitFor();
  return (await p.locator('#routing-test-result').textContent()) ?? '';
}

describe('the routing rules screen', () => {
  it('tests, edits, saves with an audit trail and rolls back the rules', async () => {
    await syncState(page, 'Çevrimiçi');
    await page.locator('button:text-is("Yönlendirme kuralları")').click();
    await page.locator('#routing-rule-table tr[data-rule="yol-ilce"]').waitFor();
    expect(await tryRoute(page)).toMatch(/^Nilüfer Belediyesi — kural yol-ilce\./);

    // A new rule, unsaved: the test already applies it.
    await page.locator('button:text-is("Kural ekle")').click();
    const row = page.locator('#routing-rule-table tbody tr').last();
    await row.locator('input[aria-label="Kural"]').fill('yol-nilufer-ataturk');
    await row.locator('select[aria-label="Konu"]').selectOption('yol');
    await row.locator('select[aria-label="İlçe"]').selectOption('nilufer');
    await row.locator('input[aria-label="Yer sözcükleri"]').fill('Atatürk');
    await row.locator('select[aria-label="Hedef kurum"]').selectOption('bb.fen-isleri');
    await row.locator('input[aria-label="Öncelik"]').fill('10');
    await expect
      .poll(() => tryRoute(page))
      .toMatch(/^Fen İşleri Dairesi Başkanlığı — kural yol-nilufer-ataturk\./);

    await page.locator('#routing-save').click();
    await page.locator('text=Kurallar kaydedildi (sürüm 2).').waitFor();
    const v2 = page.locator('#routing-history tr[data-version="2"]');
    await v2.waitFor();
    expect(await v2.textContent()).toContain(ADMIN.displayName);
    expect(await v2.textContent()).toContain('yol-nilufer-ataturk eklendi');
    await page.screenshot({ path: 'docs/screenshots/console-routing.png', fullPage: false });

    // Roll back to the shipped rules: a third version, and the pothole goes to Nilüfer again.
    // By keyboard, as the app is used (the phone dock floats over the page's bottom right).
    await page.locator('#routing-history tr[data-version="1"] button').focus();
    await page.keyboard.press('Enter');
    const v3 = page.locator('#routing-history tr[data-version="3"]');
    await v3.waitFor();
    expect(await v3.textContent()).toContain('Sürüm 1’e dönüldü');
    expect(await v3.textContent()).toContain('yol-nilufer-ataturk silindi');
    await expect
      .poll(() => page.locator('#routing-rule-table tr[data-rule="yol-nilufer-ataturk"]').count())
      .toBe(0);
    // The answer box still shows the previous answer until the new one arrives: poll for it.
    await expect.poll(() => tryRoute(page)).toMatch(/^Nilüfer Belediyesi — kural yol-ilce\./);
  });

  it('gives a district’s administrator no routing screen', async () => {
    await logout(page);
    await login(page, DISTRICT_ADMIN);
    await page.locator('button:text-is("Kullanıcılar")').waitFor();
    expect(await page.locator('button:text-is("Yönlendirme kuralları")').count()).toBe(0);
  });
});
