/**
 * The whole app on the SIP rig, for tests that drive the softphone through the screen: the rig,
 * the central API in its own process (SQLite), one browser host and a Chromium page, with the
 * helpers such tests share (waiting, the API's call log, setting up the phone).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { apiPost, startApiProcess, type ApiProcess } from '../e2e/api-process';
import { startHost, tempDataDir, type RunningHost } from '../e2e/support';
import { ADMIN } from '../e2e/ui';
import { launchPhoneBrowser } from './browser';
import { sleep, startSipRig, type SipRig } from './rig';

export interface AppRig {
  rig: SipRig;
  api: ApiProcess;
  host: RunningHost;
  browser: Browser;
  page: Page;
  adminToken: string;
  /** Polls `probe` until it returns something truthy (the page's log on failure). */
  until<T>(
    what: string,
    probe: () => Promise<T | null | undefined | false>,
    ms?: number,
  ): Promise<T>;
  text(selector: string): Promise<string | null>;
  /** Rows of a table of the central API's SQLite database (read-only). */
  serverRows(table: string): Record<string, unknown>[];
  /** Logs a user in over HTTP (an API token for checks). */
  token(user: { username: string; password: string }): Promise<string>;
  getJson<T>(url: string, token: string): Promise<T>;
  /** Saves the signed-in user's phone settings and waits until the phone is registered. */
  setUpPhone(sipUser: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppRig(options: {
  users: Record<string, string>;
  apiEnv?: Record<string, string>;
  appUsers: {
    username: string;
    displayName: string;
    password: string;
    role: string;
    orgCode: string;
  }[];
}): Promise<AppRig> {
  const root = tempDataDir();
  const serverDb = path.join(root, 'server.sqlite');
  const pageLog: string[] = [];
  const rig = await startSipRig({ users: options.users });
  const api = await startApiProcess({ ALO153_SERVER_DB: serverDb, ...options.apiEnv });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const token = async (user: { username: string; password: string }) =>
    (
      await apiPost(`${api.url}/auth/login`, {
        username: user.username,
        password: user.password,
        clientId: `sip-check-${user.username}`,
      })
    ).accessToken as string;
  const adminToken = await token(ADMIN);
  for (const u of options.appUsers) await apiPost(`${api.url}/admin/users`, u, adminToken);
  const host = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  const browser = await launchPhoneBrowser();
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
  await page.goto(host.url);

  async function until<T>(
    what: string,
    probe: () => Promise<T | null | undefined | false>,
    ms = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => null);
      if (v) return v;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}\n--- page ---\n${pageLog.slice(-30).join('\n')}`,
        );
      }
      await sleep(100);
    }
  }
  const text = (selector: string) => page.locator(selector).first().textContent();

  return {
    rig,
    api,
    host,
    browser,
    page,
    adminToken,
    until,
    text,
    serverRows(table) {
      const db = new Database(serverDb, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    token,
    async getJson<T>(url: string, bearer: string): Promise<T> {
      const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async setUpPhone(sipUser, password) {
      await page.locator('#open-phone-settings').click();
      await page.fill('#phone-server', rig.wssUrl!);
      await page.fill('#phone-sipUser', `${sipUser}@${rig.domain}`);
      await page.fill('#phone-password', password);
      // ASCII: test/sip/citizen.ts reads baresip's netstrings by characters, not bytes, so a
      // display name with ş in a call to a citizen's phone breaks its event stream.
      await page.fill('#phone-displayName', `Temsilci ${sipUser}`);
      await page.fill('#phone-wrapUpSeconds', '5');
      await page.locator('#phone-settings-save').click();
      await until(
        'registered',
        async () => (await text('#phone-registration')) === 'Santrale bağlı',
        30_000,
      );
    },
    async stop() {
      await browser.close();
      await host.stop();
      await api.stop();
      await rig.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
