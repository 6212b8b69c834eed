/**
 * The agent's link to the exchange dies silently (packets to and from the WSS port dropped inside
 * the namespace: the connection stays "open", nothing arrives). The header says so within
 * seconds; a citizen's call meanwhile is recorded centrally as missed with a callback owed (the
 * exchange reports it: the desk never saw it); when the path is back the phone registers again
 * at once and calls ring. Also the browser's own offline/online events.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess } from '../e2e/api-process';
import { startHost, tempDataDir, type RunningHost } from '../e2e/support';
import { ADMIN, AGENT, login } from '../e2e/ui';
import { launchPhoneBrowser } from './browser';
import { Citizen } from './citizen';
import { blackholeTcpPort, sleep, startSipRig, type SipRig } from './rig';

const SIP_PASSWORD = 'parola-1001';
const CITIZEN = '05321234567';
const SUPERVISOR = {
  username: 'super',
  displayName: 'Süha Süpervizör',
  password: 'super-parola-2026',
};
const SANTRAL = { username: 'santral', displayName: 'Santral', password: 'santral-parola-2026' };
const REGISTERED = 'Santrale bağlı';

let rig: SipRig;
let api: ApiProcess;
let host: RunningHost;
let browser: Browser;
let page: Page;
let citizen: Citizen;
let supervisorToken: string;
const root = tempDataDir();
const pageLog: string[] = [];

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 15_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}\n--- page ---\n${pageLog.slice(-30).join('\n')}\n` +
          `--- exchange ---\n${rig.logs().slice(-4000)}`,
      );
    }
    await sleep(50);
  }
}

const header = () => page.locator('#phone-registration').textContent();

interface MissedRow {
  number: string;
  callbackState: string;
  outcome: string;
  sipCallId: string;
  endReason: string;
}
async function missedCalls(): Promise<MissedRow[]> {
  const res = await fetch(`${api.url}/calls/missed?state=owed`, {
    headers: { authorization: `Bearer ${supervisorToken}` },
  });
  if (!res.ok) throw new Error(`missed calls: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { calls: MissedRow[] }).calls;
}

beforeAll(async () => {
  api = await startApiProcess({ ALO153_SERVER_DB: path.join(root, 'server.sqlite') });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      ...ADMIN,
      displayName: undefined,
      clientId: 'link-admin',
    })
  ).accessToken as string;
  for (const [user, role] of [
    [AGENT, 'agent'],
    [SUPERVISOR, 'supervisor'],
    // The exchange's service account: the API key Kamailio reports undelivered calls with.
    [SANTRAL, 'agent'],
  ] as const) {
    await apiPost(`${api.url}/admin/users`, { ...user, role, orgCode: 'bikom' }, adminToken);
  }
  const listed = await fetch(`${api.url}/admin/users`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { users } = (await listed.json()) as { users: { id: string; username: string }[] };
  const santralId = users.find((u) => u.username === SANTRAL.username)!.id;
  const { key } = (await apiPost(
    `${api.url}/admin/api-keys`,
    { name: 'SIP santrali', actingUserId: santralId },
    adminToken,
  )) as { key: string };
  supervisorToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: SUPERVISOR.username,
      password: SUPERVISOR.password,
      clientId: 'link-supervisor',
    })
  ).accessToken as string;

  rig = await startSipRig({
    users: { '1001': SIP_PASSWORD },
    undelivered: { url: api.url, apiKey: key },
  });
  host = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  browser = await launchPhoneBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
  await page.goto(host.url);
  await login(page, AGENT);
  citizen = await Citizen.start(rig.dir, CITIZEN, rig.udpPort);

  await page.locator('#phone-registration').click();
  await page.fill('#phone-server', rig.wssUrl!);
  await page.fill('#phone-sipUser', `1001@${rig.domain}`);
  await page.fill('#phone-password', SIP_PASSWORD);
  await page.locator('#phone-settings-save').click();
  await until('registered', async () => (await header()) === REGISTERED, 30_000);
}, 180_000);

afterAll(async () => {
  await citizen?.stop();
  await browser?.close();
  await host?.stop();
  await api?.stop();
  await rig?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The citizen dials the agent and hangs up once the screen pop shows. Returns ms to the pop. */
async function callRings(): Promise<number> {
  citizen.events.length = 0;
  const dialled = Date.now();
  await citizen.command('dial', `sip:1001@${rig.domain}`);
  await page.locator('#screen-pop').waitFor({ timeout: 10_000 });
  const ms = Date.now() - dialled;
  await citizen.command('hangup');
  await page.locator('#screen-pop').waitFor({ state: 'detached' });
  return ms;
}

describe('a dead link to the exchange', () => {
  it('is shown, its call is owed a callback, and calls ring again when the path is back', async () => {
    await callRings();
    // That call rang and was logged (as missed) by the desk.
    const before = await until('the first call on the central API', async () => {
      const rows = await missedCalls();
      return rows.length === 1 ? rows : null;
    });
    const closedConnections = () =>
      (rig.logs().match(/WebSocket connection from .* has closed/g) ?? []).length;
    const closedBefore = closedConnections();
    const wssPort = Number(new URL(rig.wssUrl!).port);
    const restore = blackholeTcpPort(wssPort);
    try {
      const cut = Date.now();
      const shown = await until('the header to show the dead link', async () => {
        const text = await header();
        return text !== REGISTERED ? text : null;
      });
      const detectedMs = Date.now() - cut;
      expect(shown).toMatch(/bağlantısı koptu|ulaşılamıyor/);

      // A citizen calls meanwhile: it never rings at the agent, and the exchange gives up.
      citizen.events.length = 0;
      await citizen.command('dial', `sip:1001@${rig.domain}`);
      const closed = await citizen.waitEvent('CALL_CLOSED', 20_000);
      expect(await page.locator('#screen-pop').count()).toBe(0);
      const missed = await until('the missed call on the central API', async () =>
        (await missedCalls()).find((c) => c.sipCallId !== before[0]!.sipCallId),
      );
      expect(missed).toMatchObject({ number: CITIZEN, outcome: 'missed', callbackState: 'owed' });
      expect(missed.endReason).toMatch(/^Santral çağrıyı iletemedi: dahili 1001/);

      // The exchange notices too: it closes the silent connection and offers the agent no more
      // calls; the next caller is told at once (480) and is owed a callback as well.
      await until('the exchange to drop the dead connection', async () =>
        closedConnections() > closedBefore ? true : null,
      );
      citizen.events.length = 0;
      await citizen.command('dial', `sip:1001@${rig.domain}`);
      const refused = await citizen.waitEvent('CALL_CLOSED', 10_000);
      expect(String(refused.param)).toMatch(/480/);
      const second = await until('the second missed call on the central API', async () =>
        (await missedCalls()).find(
          (c) => c.sipCallId !== before[0]!.sipCallId && c.sipCallId !== missed.sipCallId,
        ),
      );
      expect(second).toMatchObject({ number: CITIZEN, callbackState: 'owed' });
      expect(second.endReason).toBe(
        'Santral çağrıyı iletemedi: dahili 1001 kayıtlı değil (SIP 480)',
      );
      // Still cut: the header never claimed otherwise.
      expect(await header()).not.toBe(REGISTERED);
      console.info(
        `link: dead link shown after ${detectedMs} ms; call during the outage ended with ${String(closed.param ?? '')}`,
      );
    } finally {
      restore();
    }
    const back = Date.now();
    await until('registered again', async () => (await header()) === REGISTERED, 10_000);
    const registeredMs = Date.now() - back;
    const ringMs = await callRings();
    console.info(
      `link: registered ${registeredMs} ms after the path returned; the next call rang ${ringMs} ms after dialling`,
    );
    // Four calls, each owed once: before the cut and after it (logged by the desk), and two
    // during it (reported by the exchange).
    const all = await until('the four calls on the central API', async () => {
      const rows = await missedCalls();
      return rows.length >= 4 ? rows : null;
    });
    expect(all).toHaveLength(4);
    expect(new Set(all.map((c) => c.sipCallId)).size).toBe(4);
    // The desk's missed-call queue (read from the central API) lists the exchange's too.
    await page.locator('button.tab:text-is("Geri aramalar")').click();
    const rows = page.locator('#missed-calls tbody tr');
    await until('four missed calls on the desk', async () => (await rows.count()) === 4);
    expect(await rows.allTextContents()).toEqual(
      Array(4).fill(expect.stringContaining('Cevaplanamadı')),
    );
    await page.locator('button.tab:text-is("ŞÖK")').click();
  });

  it('says so when the browser goes offline, and registers again when it is back', async () => {
    // Chromium in the loopback-only namespace already believes it is offline (navigator.onLine
    // is false there), so going offline fires no event: fire what a real PC's browser fires.
    const fire = (name: 'offline' | 'online') =>
      page.evaluate(
        (n) =>
          void (globalThis as unknown as { dispatchEvent(e: Event): boolean }).dispatchEvent(
            new Event(n),
          ),
        name,
      );
    await page.context().setOffline(true);
    try {
      await fire('offline');
      await until('offline in the header', async () =>
        /Ağ bağlantısı yok/.test((await header()) ?? ''),
      );
    } finally {
      await page.context().setOffline(false);
      await fire('online');
    }
    await until('registered again', async () => (await header()) === REGISTERED, 10_000);
    await callRings();
  });
});
