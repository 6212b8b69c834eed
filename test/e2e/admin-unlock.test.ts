import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { AGENT, createUser, deskBridge, login, logout, setupFirstAdmin } from './ui';

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

describe('sign-in locks on the desk', () => {
  it('tells the user the address is locked, and an administrator lifts the lock from the user list', async () => {
    host = await startHost(dataDir);
    const page = await browser.newPage();
    await page.goto(host.url);
    await setupFirstAdmin(page);
    await createUser(page, { ...AGENT, role: 'agent', orgName: 'BİKOM' });
    await logout(page);

    // Five wrong passwords from this desk (four through the bridge, as the login screen sends
    // them, the fifth on the screen): the desk is locked out of this username.
    for (let i = 0; i < 4; i++) {
      await expect(
        deskBridge(page, 'auth.login', { username: AGENT.username, password: 'yanlis-1234' }),
      ).rejects.toThrow('Kullanıcı adı veya parola hatalı.');
    }
    await page.fill('#login-username', AGENT.username);
    await page.fill('#login-password', 'yanlis-1234');
    await page.locator('button:text-is("Giriş yap")').click();
    await expect
      .poll(() => page.locator('body').textContent(), { timeout: 15_000 })
      .toMatch(/Güvenliğiniz için giriş .* saatine kadar engellendi/);

    // The administrator signs in from the same desk (another username: not locked).
    await login(page, { username: 'yonetici', password: 'Yönetici-parola-2026' });
    await page.locator('button:text-is("Kullanıcılar")').first().click();
    const unlock = page.locator(`button[aria-label="Kilidi aç: ${AGENT.username}"]`);
    await unlock.click();
    await expect
      .poll(() => page.locator('body').textContent(), { timeout: 15_000 })
      .toContain(`${AGENT.username} kullanıcısının giriş engeli kaldırıldı.`);
    await expect.poll(() => unlock.count(), { timeout: 15_000 }).toBe(0);
    await logout(page);

    await login(page, AGENT);
    expect(await page.locator('#current-user').textContent()).toContain(AGENT.displayName);
  });
});
