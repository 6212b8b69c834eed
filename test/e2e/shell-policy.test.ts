import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok } from '../../src/domain/sok';
import { startBrowserHost, type BrowserHost } from '../../src/host/server';
import {
  call,
  eventually,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';
import { applyChromiumPreferences } from '../../scripts/browser-message.mjs';
import { chromiumPreferences } from '../../src/domain/shell-policy';
import { openAppWindow } from '../../src/host/browser-window';
import { CHROMIUM, launchBrowser, repoRoot } from './support';

/**
 * Issue #21: the browser host applies the Electron shell's policy (src/domain/shell-policy.ts),
 * so what the shell would deny is denied here too — and a due-callback reminder must still reach
 * the agent, through the bridge's `app.notification` event, not the web Notification API.
 *
 * The desk runs in this process (client core + browser host) with a clock the test moves past
 * the callback's due time: the callback is decided and claimed now, and the desk is then looked
 * at after its deadline, while its claim (7 days here) still holds.
 */
let api: TestApi;
let browser: Browser;
let host: BrowserHost;
let page: Page;
const cores: ClientCore[] = [];
let deskCore: ClientCore;
const root = tempDir('alo153-e2e-policy-');
const desk = {
  username: 'masa1',
  displayName: 'Deniz Masa',
  password: 'masa1-parola-2026',
  role: 'desk',
  orgCode: 'ilce.yildirim',
};
let shiftMs = 0;
let sok: Sok;

beforeAll(async () => {
  api = await startTestApi('sqlite', 0, {
    workflow: { callbackWorkingDays: 0, claimMinutes: 10_080, sweepIntervalSeconds: 0 },
  });
  const agent = openClient(path.join(root, 'agent'), api.url);
  deskCore = openClient(path.join(root, 'desk'), api.url, {
    now: () => new Date(Date.now() + shiftMs),
  });
  cores.push(agent, deskCore);
  await signInAs(agent);
  sok = await call<Sok>(agent, 'sok.create', validDraft);
  await agent.sync.syncNow();
  await signInAs(deskCore, desk);
  await call(deskCore, 'sok.accept', { sokId: sok.id });
  await call(deskCore, 'sok.decide', {
    sokId: sok.id,
    kind: 'wont-do',
    reasonCategory: 'private',
    explanation: 'Konteyner sitenin özel alanında; site yönetimi boşaltmalı.',
  });
  await call(deskCore, 'callback.claim', { sokId: sok.id });
  await eventually(async () => {
    await deskCore.sync.syncNow();
    const now = await call<Sok>(deskCore, 'sok.get', { id: sok.id });
    if (now.syncState !== 'synced' || !now.callback?.claimedBy) throw new Error('not synced yet');
    sok = now;
  }, 15_000);
  // The desk is looked at a minute after the callback fell due.
  shiftMs = Date.parse(sok.callback!.dueAt) - Date.now() + 60_000;

  host = await startBrowserHost({
    core: deskCore,
    rendererDir: path.join(repoRoot, 'dist', 'renderer'),
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  for (const core of cores) await core.close();
  await api?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the shell policy on the browser host', () => {
  it('shows the agent a callback that fell due, although web notifications are denied', async () => {
    await page.goto(host.url);
    const reminder = page
      .getByRole('status')
      .filter({ hasText: 'Geri arama zamanı geldi' })
      .filter({ hasText: `${sok.regNo} numaralı ŞÖK için vatandaşı arayın.` });
    await expect.poll(() => reminder.count(), { timeout: 15_000 }).toBe(1);
    // The page holds the policy's permissions only: the web Notification API is denied, as in
    // Electron, so the reminder above came through the bridge.
    expect(await page.evaluate('Notification.permission')).toBe('denied');
  });

  it('holds the permissions the shell grants and no other: the microphone only', async () => {
    // (Evaluated in the page; the test's own TypeScript has no DOM types.)
    const states = await page.evaluate(`(async () => {
      const state = async (name) => (await navigator.permissions.query({ name })).state;
      return {
        microphone: await state('microphone'),
        camera: await state('camera'),
        geolocation: await state('geolocation'),
        notifications: await state('notifications'),
      };
    })()`);
    expect(states).toEqual({
      microphone: 'granted',
      camera: 'denied',
      geolocation: 'denied',
      notifications: 'denied',
    });
  });
});

describe('the desktop shell’s screens on the browser host', () => {
  it('titles the window with the user and their organisation', async () => {
    await expect.poll(() => page.title()).toBe('Alo 153 — Deniz Masa (Yıldırım Belediyesi)');
  });

  it('shows "Tanı bilgisi" and saves a support bundle without the citizen’s data', async () => {
    await page
      .getByRole('group', { name: 'Kullanıcı menüsü' })
      .getByRole('button', { name: 'Tanı bilgisi' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Tanı bilgisi' });
    await expect.poll(() => dialog.getByText(api.url, { exact: true }).count()).toBe(1);
    await expect.poll(() => dialog.getByText('masa1 (ilce.yildirim, desk)').count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Destek paketini kaydet' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^alo153-tani-\d{8}-\d{4}\.json$/);
    const saved = fs.readFileSync(await download.path(), 'utf8');
    expect(saved).toContain('"kind": "alo153-support-bundle"');
    for (const personal of [validDraft.citizenName, '0532 123 45 67', validDraft.address]) {
      expect(saved).not.toContain(personal);
    }
    await dialog.getByRole('button', { name: 'Kapat' }).last().click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('opens what the tray asks for: diagnostics, and the update question', async () => {
    deskCore.events.emit('shell.command', { command: 'diagnostics.open' });
    const diagnostics = page.getByRole('dialog', { name: 'Tanı bilgisi' });
    await expect.poll(() => diagnostics.count()).toBe(1);
    await diagnostics.getByRole('button', { name: 'Kapat' }).last().click();
    deskCore.events.emit('shell.command', { command: 'update.ready', version: '0.2.0' });
    const question = page.getByRole('alertdialog', { name: 'Yeni sürüm hazır' });
    await expect.poll(() => question.getByText('0.2.0', { exact: false }).count()).toBe(1);
    await question.getByRole('button', { name: 'Sonra (kapatınca kurulsun)' }).click();
    await expect.poll(() => question.count()).toBe(0);
  });
});

describe('the browser host as `npm start` opens it', () => {
  it('gives its Chromium profile the shell policy: notifications and camera denied, the microphone granted to the page', async () => {
    const profile = tempDir('alo153-e2e-profile-');
    const origin = new URL(host.url).origin;
    // What scripts/start.mjs does with the ALO153_READY line's chromiumPreferences.
    applyChromiumPreferences(profile, chromiumPreferences(origin));
    const context = await openAppWindow({
      executablePath: CHROMIUM,
      url: host.url,
      profileDir: profile,
      headless: true,
      extraArgs: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const own = context.pages()[0] ?? (await context.waitForEvent('page'));
      await own.waitForLoadState();
      const states = await own.evaluate(`(async () => {
        const state = async (name) => (await navigator.permissions.query({ name })).state;
        return {
          notification: Notification.permission,
          microphone: await state('microphone'),
          camera: await state('camera'),
          geolocation: await state('geolocation'),
        };
      })()`);
      expect(states).toEqual({
        notification: 'denied',
        microphone: 'granted',
        camera: 'denied',
        geolocation: 'denied',
      });
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
