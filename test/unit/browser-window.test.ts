import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppWindow } from '../../src/host/browser-window';

/**
 * Issue #21: the window `npm start` opens for the browser host (scripts/start.mjs →
 * openAppWindow) enforces the shell policy as Electron does: the page cannot be navigated away
 * from its origin, cannot open windows and cannot download anything but its own exports.
 * A real headless Chromium (Debian's, as `npm start` uses) on two loopback servers: the page's
 * own, and a foreign origin.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Site {
  url: string;
  server: http.Server;
}

function serve(title: string): Promise<Site> {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/file.csv') {
        res.writeHead(200, {
          'content-type': 'text/csv',
          'content-disposition': 'attachment; filename="dis.csv"',
        });
        res.end('a;b\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>${title}</title><h1>${title}</h1>`);
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/`, server });
    });
  });
}

let own: Site;
let foreign: Site;
let context: BrowserContext;
let page: Page;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-window-'));
const downloads = path.join(profile, 'İndirilenler');

beforeAll(async () => {
  own = await serve('Alo 153');
  foreign = await serve('Yabancı site');
  context = await openAppWindow({
    executablePath: CHROMIUM,
    url: own.url,
    profileDir: path.join(profile, 'chromium-profile'),
    downloadsDir: downloads,
    headless: true,
    extraArgs: ['--no-sandbox', '--disable-gpu'],
  });
  page = context.pages()[0] ?? (await context.waitForEvent('page'));
  await page.waitForLoadState();
});

afterAll(async () => {
  await context?.close();
  own?.server.close();
  foreign?.server.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

/** Whether the next navigation to the foreign site was refused or went through. */
function outcomeOfNavigation(): Promise<'refused' | 'navigated'> {
  return Promise.race([
    page
      .waitForEvent('requestfailed', (request) => request.url() === foreign.url)
      .then(() => 'refused' as const),
    page
      .waitForEvent('framenavigated', (f) => f === page.mainFrame() && f.url() === foreign.url)
      .then(() => 'navigated' as const),
  ]);
}

describe('npm start: the browser host window under the shell policy', () => {
  it('opens the page itself', async () => {
    expect(page.url()).toBe(own.url);
    await expect.poll(() => page.title()).toBe('Alo 153');
  });

  it('refuses navigation to another origin: the page stays where it was', async () => {
    const refused = outcomeOfNavigation();
    await page.evaluate(`window.location.href = ${JSON.stringify(foreign.url)}`);
    expect(await refused).toBe('refused');
    expect(page.url()).toBe(own.url);
    expect(await page.locator('h1').textContent()).toBe('Alo 153');

    // A link the agent clicks is refused the same way.
    await page.evaluate(`{
      const a = document.createElement('a');
      a.href = ${JSON.stringify(foreign.url)};
      a.textContent = 'dışarı';
      document.body.append(a);
    }`);
    const clicked = outcomeOfNavigation();
    await page.getByText('dışarı').click();
    expect(await clicked).toBe('refused');
    expect(page.url()).toBe(own.url);
  });

  it('opens no new windows', async () => {
    const opened = await page.evaluate(
      `window.open(${JSON.stringify(own.url)}, '_blank') === null || 'opened'`,
    );
    // Chromium's pop-up blocker (the profile) or the policy closing it: either way, no window.
    await expect.poll(() => context.pages().length).toBe(1);
    expect([true, 'opened']).toContain(opened);
  });

  it("saves the page's own exports to the downloads folder, nothing else", async () => {
    // A file the server sends as an attachment (not one of our exports) first, then an export.
    const refused = page.waitForEvent('download');
    await page.evaluate(`{
      const a = document.createElement('a');
      a.href = '/file.csv';
      document.body.append(a);
      a.click();
    }`);
    await refused;
    const saved = page.waitForEvent('download');
    await page.evaluate(`{
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob(['no;ad'], { type: 'text/csv' }));
      a.download = 'rapor.csv';
      document.body.append(a);
      a.click();
    }`);
    await (await saved).path();
    await expect.poll(() => fs.existsSync(path.join(downloads, 'rapor.csv'))).toBe(true);
    expect(fs.readdirSync(downloads)).toEqual(['rapor.csv']);
  });
});
