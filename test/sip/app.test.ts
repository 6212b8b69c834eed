/**
 * The softphone inside the real app (browser host + central API process + SIP rig): an agent
 * saves their phone settings, sees the phone registered in the header, gets a citizen's call
 * with a screen pop of their earlier ŞÖK, answers, talks, wraps up with a disposition and that
 * ŞÖK, and finds the call in the call log and on the central API; a missed call is recorded as
 * owing a callback, and do-not-disturb turns calls away.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess } from '../e2e/api-process';
import { startHost, tempDataDir, type RunningHost } from '../e2e/support';
import { ADMIN, AGENT, login, logout, registerByKeyboard } from '../e2e/ui';
import { launchPhoneBrowser } from './browser';
import { Citizen } from './citizen';
import { sleep, startSipRig, type SipRig } from './rig';

const SIP_PASSWORD = 'parola-1001';
const CITIZEN = '05321234567';
// How the call log stores it (E.164), whatever the exchange presents.
const CITIZEN_E164 = '+905321234567';
const SUPERVISOR = {
  username: 'super',
  displayName: 'Süha Süpervizör',
  password: 'super-parola-2026',
};

let rig: SipRig;
let api: ApiProcess;
let host: RunningHost;
let browser: Browser;
let page: Page;
let citizen: Citizen;
let supervisorToken: string;
const root = tempDataDir();
const serverDb = path.join(root, 'server.sqlite');
const pageLog: string[] = [];
let ringerId = '';
let regNo = '';

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${supervisorToken}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Rows of the central API's call log (its SQLite file, read-only). */
function serverCalls(): Record<string, unknown>[] {
  const db = new Database(serverDb, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM call_log ORDER BY started_at').all() as Record<
      string,
      unknown
    >[];
  } finally {
    db.close();
  }
}

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
        `timed out waiting for ${what}\n--- page ---\n${pageLog.slice(-30).join('\n')}`,
      );
    }
    await sleep(100);
  }
}

const text = (selector: string) => page.locator(selector).first().textContent();

/** The call the supervisors' live board shows for the agent (null: none). */
async function boardCall() {
  const { agents } = await getJson<{
    agents: { call: { phase: string; direction: string; regNo: string | null } | null }[];
  }>(`${api.url}/agents/states`);
  return agents[0]?.call ?? null;
}

beforeAll(async () => {
  rig = await startSipRig({ users: { '1001': SIP_PASSWORD } });
  expect(rig.wssUrl).not.toBeNull();
  api = await startApiProcess({ ALO153_SERVER_DB: serverDb });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      ...ADMIN,
      displayName: undefined,
      clientId: 'sip-admin',
    })
  ).accessToken as string;
  await apiPost(
    `${api.url}/admin/users`,
    { ...AGENT, role: 'agent', orgCode: 'bikom' },
    adminToken,
  );
  await apiPost(
    `${api.url}/admin/users`,
    { ...SUPERVISOR, role: 'supervisor', orgCode: 'bikom' },
    adminToken,
  );
  supervisorToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: SUPERVISOR.username,
      password: SUPERVISOR.password,
      clientId: 'sip-supervisor',
    })
  ).accessToken as string;
  host = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  browser = await launchPhoneBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
  await page.goto(host.url);
  await login(page, AGENT);
  citizen = await Citizen.start(rig.dir, CITIZEN, rig.udpPort);
}, 120_000);

afterAll(async () => {
  await citizen?.stop();
  await browser?.close();
  await host?.stop();
  await api?.stop();
  await rig?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The citizen dials the agent's extension; waits for the screen pop. */
async function citizenCalls() {
  citizen.events.length = 0;
  await citizen.command('dial', `sip:1001@${rig.domain}`);
}

describe('the softphone in the app', () => {
  it('is set up in the phone settings and shows it is registered in the header', async () => {
    expect(await text('#phone-registration')).toBe('Telefon ayarlanmadı');
    await page.locator('#phone-registration').click();
    await page.fill('#phone-server', 'ws://127.0.0.1:1');
    await page.fill('#phone-sipUser', `1001@${rig.domain}`);
    await page.locator('#phone-settings-save').click();
    // Bad input is refused in Turkish, field by field.
    await until('server error', async () =>
      (await text('#phone-settings'))?.includes('wss:// ile başlamalı'),
    );
    expect(await text('#phone-settings')).toContain('SIP parolası gerekli');

    await page.fill('#phone-server', rig.wssUrl!);
    await page.fill('#phone-password', SIP_PASSWORD);
    await page.fill('#phone-displayName', 'Ayşe Ajan');
    await page.fill('#phone-wrapUpSeconds', '60');
    // Ring on the second output; the microphone test shows the (fake) microphone's level.
    await page.selectOption('#phone-ringer', { label: 'Fake Audio Output 2' });
    ringerId = await page.locator('#phone-ringer').inputValue();
    expect(ringerId).not.toBe('');
    await page.locator('button:text-is("Mikrofonu dene")').click();
    await until(
      'microphone level',
      async () =>
        (await page
          .locator('#mic-level')
          .evaluate((m) => (m as unknown as { value: number }).value)) > 0.01,
    );
    await page.locator('button:text-is("Testi durdur")').click();
    // A new SIP server reloads the page (its CSP must name the server), then the phone connects.
    await page.locator('#phone-settings-save').click();
    await until('registered', async () => (await text('#phone-registration')) === 'Santrale bağlı');
    expect(await page.locator('#agent-state').inputValue()).toBe('available');
    // The password never reaches the page's storage.
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage })',
    );
    expect(stored).not.toContain(SIP_PASSWORD);
  });

  it('pops the caller’s earlier ŞÖK, answers, wraps up, and logs the call centrally', async () => {
    regNo = await registerByKeyboard(page, {
      phone: '0532 123 45 67',
      name: 'Ali Veli',
      mahalle: 'Değirmenönü',
    });
    await citizenCalls();
    await until('screen pop', async () => (await text('#screen-pop'))?.includes('0532 123 45 67'));
    await until('earlier ŞÖK in the pop', async () => (await text('#screen-pop'))?.includes(regNo));
    const ringtone = await until('ringtone playing', () =>
      page.evaluate<{ sinkId: string } | null>(
        `(() => { const a = document.getElementById('ringtone'); return a && !a.paused ? { sinkId: a.sinkId } : null; })()`,
      ),
    );
    expect(ringtone.sinkId).toBe(ringerId);
    // Supervisors see the call ringing at the agent on the live board.
    await until('ringing on the board', async () => (await boardCall())?.phase === 'ringing');
    await page.locator('#screen-pop-answer').click();
    await citizen.waitEvent('CALL_ESTABLISHED');
    const onBoard = await until('talking on the board', async () => {
      const call = await boardCall();
      return call?.phase === 'talking' ? call : null;
    });
    expect(onBoard).toMatchObject({ direction: 'inbound', regNo: null });
    // KVKK: never the caller's number.
    expect(JSON.stringify(onBoard)).not.toContain(CITIZEN.slice(1));
    expect(await page.evaluate(`document.getElementById('ringtone').paused`)).toBe(true);
    await until('call timer', async () => /00:0[1-9]/.test((await text('.phone-call time')) ?? ''));
    await citizen.command('hangup');
    await until('call gone from the board', async () => (await boardCall()) === null);

    await page.locator('#wrap-up').waitFor();
    expect(await page.locator('#agent-state').inputValue()).toBe('wrap-up');
    await page.locator('#wrap-up .wrapup-save').click();
    expect(await text('#wrap-up')).toContain('Çağrı sonucunu seçin.');
    await page.locator('#wrap-up select.wrapup-disposition').selectOption('mevcut-sok');
    const sokOption = page.locator('#wrap-up select.wrapup-sok option', { hasText: regNo });
    await page
      .locator('#wrap-up select.wrapup-sok')
      .selectOption((await sokOption.getAttribute('value')) ?? '');
    await page.locator('#wrap-up .wrapup-save').click();
    await page.locator('#wrap-up').waitFor({ state: 'detached' });
    await until(
      'available again',
      async () => (await page.locator('#agent-state').inputValue()) === 'available',
    );

    await page.locator('#open-call-log').click();
    const row = page.locator('#call-log tbody tr').first();
    await until('call in the log', async () => (await row.textContent())?.includes('Cevaplandı'));
    expect(await row.textContent()).toMatch(/Gelen.*0532 123 45 67.*Mevcut ŞÖK hakkında/);
    await page.keyboard.press('Escape');

    const [logged] = await until('call on the central API', async () => {
      const rows = serverCalls();
      return rows.length > 0 && rows[0]!.disposition ? rows : null;
    });
    expect(logged).toMatchObject({
      direction: 'inbound',
      number: CITIZEN_E164,
      outcome: 'answered',
      disposition: 'mevcut-sok',
      org_code: 'bikom',
    });
    expect(String(logged!.sip_call_id)).toMatch(/\S{6,}/);
    expect(Number(logged!.duration_seconds)).toBeGreaterThanOrEqual(1);
    const states = await getJson<{ agents: { displayName: string; state: string }[] }>(
      `${api.url}/agents/states`,
    );
    expect(states.agents).toEqual([
      expect.objectContaining({ displayName: AGENT.displayName, state: 'available' }),
    ]);
  });

  it('records a call nobody answered as missed, owing a callback', async () => {
    await citizenCalls();
    await page.locator('#screen-pop').waitFor();
    await sleep(500);
    await citizen.command('hangup');
    await page.locator('#screen-pop').waitFor({ state: 'detached' });
    await page.locator('#open-call-log').click();
    await page.locator('#call-log-missed').check();
    // The filtered list replaces the full one (newest, i.e. this missed call, first) a moment
    // later: wait for exactly the one missed call.
    const rows = page.locator('#call-log tbody tr');
    await until(
      'only the missed call listed',
      async () =>
        (await rows.count()) === 1 && (await text('#call-log tbody tr'))?.includes('Cevapsız'),
    );
    await page.keyboard.press('Escape');
    const missed = await until('missed call on the API', async () => {
      const { calls } = await getJson<{ calls: { number: string; callbackState: string }[] }>(
        `${api.url}/calls/missed`,
      );
      return calls.length > 0 ? calls : null;
    });
    expect(missed[0]).toMatchObject({
      number: CITIZEN_E164,
      callbackState: 'owed',
      outcome: 'missed',
    });
  });

  it('turns calls away on do-not-disturb and reports the state', async () => {
    await page.locator('#agent-state').selectOption('dnd');
    await citizenCalls();
    await citizen.waitEvent('CALL_CLOSED');
    expect(await page.locator('#screen-pop').count()).toBe(0);
    const rejected = await until('rejected call on the API', async () =>
      serverCalls().find((c) => c.outcome === 'rejected'),
    );
    expect(rejected).toMatchObject({ callback_state: 'owed', number: CITIZEN_E164 });
    const states = await getJson<{ agents: { state: string }[] }>(`${api.url}/agents/states`);
    expect(states.agents[0]?.state).toBe('dnd');
    await page.locator('#agent-state').selectOption('available');
  });

  it('calls a citizen from their ŞÖK with one click, and says why it did not connect', async () => {
    await page.locator('button.tab:text-is("ŞÖK listesi")').click();
    await page.locator('.list-host [role="option"]', { hasText: regNo }).first().click();
    await page.locator('#sok-detail button[aria-label="0532 123 45 67 numarasını ara"]').click();
    // The citizen's number is not on the test exchange: the phone says so in Turkish.
    await until('failure message', async () =>
      (await text('.phone-error'))?.includes('Aranan numara bulunamadı.'),
    );
    await page.keyboard.press('Escape');
    await page.locator('#open-call-log').click();
    await page.locator('#call-log-missed').uncheck();
    await until('outbound call logged', async () =>
      (await text('#call-log tbody tr'))?.match(/Giden.*0532 123 45 67.*Bağlanamadı/),
    );
    await page.keyboard.press('Escape');
    await page.locator('button.tab:text-is("ŞÖK")').click();
  });

  it('answers by itself when auto-answer is on', async () => {
    await page.locator('#open-phone-settings').click();
    expect(await page.locator('#phone-password').inputValue()).toBe('');
    await page.locator('#phone-autoAnswer').check();
    await page.fill('#phone-wrapUpSeconds', '2');
    await page.locator('#phone-settings-save').click();
    await page.locator('#phone-settings').waitFor({ state: 'detached' });
    await until('registered', async () => (await text('#phone-registration')) === 'Santrale bağlı');
    await citizenCalls();
    await citizen.waitEvent('CALL_ESTABLISHED');
    await citizen.command('hangup');
    await page.locator('#wrap-up').waitFor();
    // The short wrap-up time runs out: calls are offered again, the disposition is still asked.
    await until(
      'available after wrap-up time',
      async () => (await page.locator('#agent-state').inputValue()) === 'available',
    );
    expect(await text('#wrap-up')).toContain('Yeni çağrı alabilirsiniz');
    await page.locator('#wrap-up select.wrapup-disposition').selectOption('bilgi-verildi');
    await page.locator('#wrap-up .wrapup-save').click();
    await page.locator('#wrap-up').waitFor({ state: 'detached' });
  });

  it('shows the exchange going away and registers again by itself', async () => {
    const seen = new Set<string>();
    const watch = setInterval(() => {
      void text('#phone-registration').then((t) => t && seen.add(t));
    }, 50);
    try {
      await rig.restartKamailio(1500);
      await until(
        'registered again',
        async () => {
          const now = await text('#phone-registration');
          return seen.size > 1 && now === 'Santrale bağlı';
        },
        40_000,
      );
    } finally {
      clearInterval(watch);
    }
    expect([...seen].some((t) => /ulaşılamıyor|bağlanıyor|bağlı değil/.test(t))).toBe(true);
  });

  it('goes offline for supervisors when the agent signs out', async () => {
    await logout(page);
    const states = await getJson<{ agents: { state: string }[] }>(`${api.url}/agents/states`);
    expect(states.agents[0]?.state).toBe('offline');
  });

  it('says in Turkish when there is no microphone or it is not allowed', async () => {
    const cases = [
      // No microphone at all (the namespace has no sound devices).
      { args: ['--use-fake-ui-for-media-stream'], message: 'Mikrofon bulunamadı.' },
      // A microphone, but the permission prompt is refused.
      {
        args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'],
        message: 'Mikrofon izni verilmedi.',
      },
    ];
    for (const { args, message } of cases) {
      const other = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', ...args],
      });
      try {
        const p = await other.newPage();
        await p.goto(host.url);
        await login(p, AGENT);
        await p.locator('#open-phone-settings').click();
        await p.locator('button:text-is("Mikrofonu dene")').click();
        await p.locator('#mic-error').waitFor();
        expect(await p.locator('#mic-error').textContent()).toContain(message);
        await p.keyboard.press('Escape');
        await logout(p);
      } finally {
        await other.close();
      }
    }
  });
});
