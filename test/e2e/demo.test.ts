import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts';
import { launchBrowser, repoRoot, startHost, tempDataDir, type RunningHost } from './support';
import { login, syncState } from './ui';

/**
 * `npm start -- --demo` on an empty data directory: the browser host fills its embedded API with
 * the demo month, and each demo role signs in to a main screen full of live data. The README's
 * pictures (docs/screenshots/*.png, 1366×768) are taken here, from that data, so they stay true.
 */
const SCREENSHOTS = path.join(repoRoot, 'docs', 'screenshots');
const VIEWPORT = { width: 1366, height: 768 };

let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  host = await startHost(tempDataDir(), {}, { args: ['--demo'], readyTimeoutMs: 300_000 });
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (host) fs.rmSync(host.dataDir, { recursive: true, force: true });
});

/** Signs in as one demo role on the desk, runs `body`, and always signs out again. */
async function as(username: string, body: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'tr-TR' });
  const page = await context.newPage();
  try {
    await page.goto(host.url);
    await login(page, { username, password: DEMO_PASSWORD });
    await syncState(page, 'Çevrimiçi');
    await body(page);
  } finally {
    await done(page).catch(() => undefined);
    await context.close();
  }
}

/** Logs out (so the next role signs in on the same desk) and closes the window. */
async function done(page: Page): Promise<void> {
  await page.locator('button:text-is("Çıkış")').click();
  const force = page.locator('button:text-is("Yine de çık")');
  await page.locator('#login-username').or(force).first().waitFor();
  if (await force.isVisible()) await force.click();
  await page.locator('#login-username').waitFor();
}

const rows = (page: Page, selector: string) => page.locator(selector).count();

describe('the demo month (npm start -- --demo)', () => {
  it('agent (temsilci1): the intake screen lists the latest ŞÖKs; missed calls wait', async () => {
    await as('temsilci1', async (page) => {
      await expect
        .poll(() => rows(page, '.results li.result'), { timeout: 30_000 })
        .toBeGreaterThan(5);
      // The form's first field has the focus and opens its list: close it for the picture.
      await page.keyboard.press('Escape');
      await page.locator('#search-title').click();
      await syncState(page, 'Çevrimiçi');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'agent-intake.png') });
      await page.locator('button:text-is("Geri aramalar")').click();
      await expect
        .poll(() => rows(page, '#missed-calls tbody tr'), { timeout: 30_000 })
        .toBeGreaterThan(0);
    });
  });

  it('district desk (nilufer.masa): the callback queue has due and overdue callbacks', async () => {
    await as('nilufer.masa', async (page) => {
      await page.locator('button:text-is("Gelen ŞÖK’ler")').click();
      await expect
        .poll(() => rows(page, '#inbox tbody tr'), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await page.locator('button:text-is("Geri aramalar")').click();
      await expect
        .poll(() => rows(page, '#callback-queue tbody tr'), { timeout: 30_000 })
        .toBeGreaterThan(2);
      expect(await rows(page, '#callback-queue tbody tr.overdue')).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'callback-queue.png') });
    });
  });

  it('supervisor (bikom.sup): the console shows queues, volumes and the agent board', async () => {
    await as('bikom.sup', async (page) => {
      await page.locator('button:text-is("Süpervizör")').click();
      await page.locator('#sv-queue-table').waitFor();
      await expect
        .poll(() => page.locator('#sv-queue-table tr[data-org="ilce.nilufer"]').textContent(), {
          timeout: 30_000,
        })
        .toMatch(/[1-9]/);
      await expect
        .poll(() => page.locator('#sv-agents').textContent(), { timeout: 30_000 })
        .toContain('Ahmet Yılmaz');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-console.png') });
    });
  });

  it('administrator (yonetici): the users screen lists the demo staff', async () => {
    await as('yonetici', async (page) => {
      await page.locator('button:text-is("Kullanıcılar")').click();
      for (const name of ['nilufer.masa', 'osmangazi.masa', 'fen.masa', 'park.masa', 'bikom.sup']) {
        await expect.poll(() => page.locator('body').textContent()).toContain(name);
      }
    });
  });
});

describe('the first-run screen of an empty embedded API', () => {
  it('offers the demo month; afterwards the demo people sign in', async () => {
    const empty = await startHost(tempDataDir());
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'tr-TR' });
    try {
      const page = await context.newPage();
      await page.goto(empty.url);
      await page.locator('#setup-username').waitFor();
      await page.locator('#setup-demo button:text-is("Tanıtım verisiyle başla")').click();
      await page.locator('#login-username').waitFor({ timeout: 300_000 });
      expect(await page.locator('body').textContent()).toContain('Tanıtım verisi hazır');
      await login(page, { username: 'park.masa', password: DEMO_PASSWORD });
      await page.locator('button:text-is("Geri aramalar")').click();
      await expect
        .poll(() => rows(page, '#callback-queue tbody tr'), { timeout: 30_000 })
        .toBeGreaterThan(0);
    } finally {
      await context.close();
      await empty.stop();
      fs.rmSync(empty.dataDir, { recursive: true, force: true });
    }
  }, 400_000);
});
