import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import {
  AGENT,
  createUser,
  login,
  logout,
  registerByKeyboard,
  setupFirstAdmin,
  syncState,
} from './ui';

let browser: Browser;
let host: RunningHost | null = null;
const dataDir = tempDataDir();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await host?.stop();
  await browser?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function resultTexts(page: Page, query: string): Promise<string[]> {
  await page.fill('#sok-search', query);
  await expect.poll(() => page.locator('#search-title').textContent()).toBe('Arama sonuçları');
  // Results follow the input; wait until the list settles for this query.
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await page.locator('.result').allTextContents());
      const stable = now === last;
      last = now;
      return stable;
    })
    .toBe(true);
  return JSON.parse(last) as string[];
}

describe('the app in the browser host', () => {
  it('registers a ŞÖK with the keyboard alone and finds it by a folded query, also after a restart', async () => {
    host = await startHost(dataDir);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    // The launch key leaves the address bar at once.
    await expect.poll(() => page.url()).not.toContain('#k=');

    // First start: create the administrator, who creates an agent; the agent signs in.
    await setupFirstAdmin(page);
    await createUser(page, { ...AGENT, role: 'agent', orgName: 'BİKOM' });
    await logout(page);
    await login(page, AGENT);
    await syncState(page, 'Çevrimiçi');

    // Keyboard only: Alt+Y, then typing and Tab through the form, Ctrl+Enter to save.
    const regNo = await registerByKeyboard(page, {
      phone: '0532 123 45 67',
      name: 'Ayşe Korkmaz',
      mahalle: 'Değirmenönü',
      description: 'Konteyner üç gündür boşaltılmadı, ışık direğinin yanında.',
    });
    // The final registration number, at once, to read to the caller.
    expect(regNo).toMatch(/\d{4}-\d{4}/);
    expect(await page.locator('#receipt-script').textContent()).toContain('Çöp toplanmadı');
    expect(await page.locator('#sok-typeCode').inputValue()).toBe('');

    for (const query of ['YILDIRIM', 'yildirim', 'Yıldırım', 'IŞIK', 'cop', 'korkmaz']) {
      const texts = await resultTexts(page, query);
      expect(texts, query).toHaveLength(1);
      expect(texts[0]).toContain('Ayşe Korkmaz');
    }
    expect(await resultTexts(page, 'Nilüfer')).toHaveLength(0);
    // Each result says what it matched: the citizen's name, the place, the phone's last digits.
    for (const [query, match] of [
      ['korkmaz', 'ad'],
      ['yildirim', 'adres'],
      ['45 67', 'telefon'],
    ] as const) {
      expect(await resultTexts(page, query), query).toHaveLength(1);
      expect(await page.locator('.result .tag.match').textContent(), query).toBe(match);
    }

    // Restart the host: the ŞÖK is in SQLite, not in the page, and the agent stays signed in.
    await host.stop();
    host = await startHost(dataDir);
    const fresh = await browser.newPage();
    await fresh.goto(host.url);
    await fresh.locator('#sok-search').waitFor();
    expect(await fresh.locator('#current-user').textContent()).toContain(AGENT.displayName);
    const after = await resultTexts(fresh, 'YILDIRIM');
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('Konteyner üç gündür boşaltılmadı');
    expect(errors).toEqual([]);
  });

  it('shows Turkish messages for bad input and saves nothing', async () => {
    host ??= await startHost(dataDir);
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.locator('#sok-typeCode').waitFor();
    await page.fill('#sok-citizenPhone', '0532 12');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('#sok-citizenPhone-error').textContent())
      .toBe('Telefon numarası geçerli değil. Örnek: 0532 123 45 67');
    expect(await page.locator('#sok-description-error').textContent()).toBe('Bu alan zorunludur.');
    expect(await page.locator('#receipt-regNo').count()).toBe(0);
    expect(await page.locator('.receipt').count()).toBe(0);
  });
});
