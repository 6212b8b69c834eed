/**
 * The call line with real agents (#20, docs/telephony.md): three agents signed in on their desks
 * (browser host, the central API as its own process), each desk's softphone (sip.js in Chromium)
 * registered to the rig's Kamailio with WITH_CALL_LINE, set Hazır through the screen; citizens
 * are ordinary SIP phones (baresip and SIPp) dialling 153. One stack for the whole file; the line
 * rings an agent for 5 s and the desks have no wrap-up time, to keep it short.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ANSWER_REASON, NO_ANSWER_REASON_NAME } from '../../src/domain/call-queue';
import { apiPost, startApiProcess, type ApiProcess } from '../e2e/api-process';
import { startHost, tempDataDir, type RunningHost } from '../e2e/support';
import { ADMIN, login } from '../e2e/ui';
import { launchPhoneBrowser } from './browser';
import { Citizen } from './citizen';
import { sleep, startSipRig, type SipRig } from './rig';
import { SippCaller } from './sipp-caller';

const LINE = '153';
const RING_SECONDS = 5;
const SUPERVISOR = {
  username: 'super',
  displayName: 'Süha Süpervizör',
  password: 'super-parola-2026',
};
const SANTRAL = { username: 'santral', displayName: 'Santral', password: 'santral-parola-2026' };
const AGENTS = {
  a: {
    ext: '1001',
    username: 'temsilci1',
    displayName: 'Ayşe Temsilci',
    password: 'temsilci-1-2026',
  },
  b: {
    ext: '1002',
    username: 'temsilci2',
    displayName: 'Bora Temsilci',
    password: 'temsilci-2-2026',
  },
  c: {
    ext: '1003',
    username: 'temsilci3',
    displayName: 'Cem Temsilci',
    password: 'temsilci-3-2026',
  },
} as const;
type Who = keyof typeof AGENTS;
const sipPassword = (ext: string) => `sip-parola-${ext}`;

/** A citizen's number as the desks show it: 05321110007 → "0532 111 00 07". */
const shown = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7, 9)} ${n.slice(9)}`;

let rig: SipRig;
let api: ApiProcess;
let browser: Browser;
let supervisorToken: string;
const root = tempDataDir();
const desks = {} as Record<Who, Desk>;
/** The supervisor's desk, on the console (Süpervizör → Çağrı hattı). */
let console153: Page;
let supervisorHost: RunningHost;
const citizens: Citizen[] = [];
const sipps: SippCaller[] = [];
/** Calls that reached the line while the API was up (the line's "offered" figure). */
let offeredToLine = 0;

/** One agent's desk: its browser host, its page, its softphone. */
class Desk {
  readonly log: string[] = [];
  constructor(
    readonly who: Who,
    readonly host: RunningHost,
    readonly page: Page,
  ) {
    page.on('console', (m) => this.log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.log.push(`pageerror: ${e.message}`));
  }

  get agent() {
    return AGENTS[this.who];
  }

  async until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => null);
      if (v) return v;
      if (Date.now() > deadline) {
        throw new Error(`${this.who}: timed out waiting for ${what}\n${await diagnostics()}`);
      }
      await sleep(100);
    }
  }

  /** The number on the screen pop while a call rings here; null when nothing rings. */
  async ringing(): Promise<string | null> {
    const pop = this.page.locator('#screen-pop.ringing');
    if ((await pop.count()) === 0) return null;
    return (
      (await pop
        .locator('.screen-pop-number')
        .textContent()
        .catch(() => null)) ?? null
    );
  }

  async waitRinging(number: string, ms = 15_000): Promise<void> {
    await this.until(`${number} ringing`, async () => (await this.ringing()) === shown(number), ms);
  }

  async answer(): Promise<void> {
    await this.page.locator('#screen-pop-answer').click();
    await this.until(
      'call established',
      async () => (await this.page.locator('.phone-call.status-established').count()) > 0,
    );
  }

  async hangUp(): Promise<void> {
    await this.page.locator('.phone-call.status-established button:text-is("Kapat")').click();
    await this.until(
      'call ended',
      async () => (await this.page.locator('.phone-call.status-established').count()) === 0,
    );
  }

  state(): Promise<string> {
    return this.page.locator('#agent-state').inputValue();
  }

  /** Sets the agent's state through the header, and waits until supervisors see it. */
  async setState(state: 'available' | 'break'): Promise<void> {
    if ((await this.state()) === state) {
      // The select changes only to another value: go through the other one.
      await this.page
        .locator('#agent-state')
        .selectOption(state === 'available' ? 'break' : 'available');
      await this.waitServerState(state === 'available' ? 'break' : 'available');
    }
    await this.page.locator('#agent-state').selectOption(state);
    await this.waitServerState(state);
  }

  async waitServerState(state: string, reason?: string): Promise<void> {
    await this.until(`${state} on the API`, async () => {
      const row = (await agentStates()).find((r) => r.displayName === this.agent.displayName);
      return row?.state === state && (reason === undefined || row.reason === reason);
    });
  }
}

/** Each desk's phone and log tail, and the exchange's log, for a failure message. */
async function diagnostics(): Promise<string> {
  const parts: string[] = [];
  for (const d of Object.values(desks)) {
    const badge = await d.page
      .locator('#phone-registration')
      .textContent({ timeout: 1000 })
      .catch(() => '?');
    parts.push(`--- desk ${d.who} (${badge}) ---\n${d.log.slice(-15).join('\n')}`);
  }
  for (const c of sipps) {
    parts.push(`--- sipp ${c.number} (exit ${c.exitCode}) ---\n${c.log().slice(-1200)}`);
  }
  const exchange = rig
    .logs()
    .split('\n')
    .filter((l) => !/ INFO: /.test(l));
  return `${parts.join('\n')}\n--- exchange ---\n${exchange.slice(-40).join('\n')}`;
}

async function getJson<T>(url: string, token = supervisorToken): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function tokenOf(user: { username: string; password: string }): Promise<string> {
  const { accessToken } = await apiPost(`${api.url}/auth/login`, {
    username: user.username,
    password: user.password,
    clientId: `line-check-${user.username}`,
  });
  return accessToken as string;
}

async function agentStates() {
  return (
    await getJson<{
      agents: { displayName: string; state: string; reason: string | null; call: unknown }[];
    }>(`${api.url}/agents/states`)
  ).agents;
}

interface LiveLine {
  waiting: number;
  callers: { position: number; number: string; state: string; waitSeconds: number }[];
  today: {
    offered: number;
    answered: number;
    abandoned: number;
    inProgress: number;
    longestWaitSeconds: number;
  };
}

async function live(): Promise<LiveLine> {
  return (await getJson<{ lines: LiveLine[] }>(`${api.url}/line/live?line=${LINE}`)).lines[0]!;
}

/** How supervisors see a waiting caller's number (KVKK): "+90 532 *** ** 07". */
const e164 = (n: string) => `+9${n}`;
const masked = (n: string) => `+90 ${n.slice(1, 4)} *** ** ${n.slice(9)}`;

/** The rows of line 153's callers on the supervisor's console: [position, number, state]. */
async function consoleRows(): Promise<string[][]> {
  return console153
    .locator('#sv-line [data-line="153"] tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].slice(0, 3).map((td) => (td.textContent ?? '').trim()),
      ),
    );
}

/** How many times the exchange has offered a line's call to this extension so far. */
function offersTo(ext: string): number {
  return rig.logs().match(new RegExp(`line: \\S+ rings ${ext} `, 'g'))?.length ?? 0;
}

/** Which desks ring now, with the number each shows. */
async function ringingDesks(): Promise<Partial<Record<Who, string>>> {
  const out: Partial<Record<Who, string>> = {};
  for (const who of Object.keys(desks) as Who[]) {
    const n = await desks[who].ringing();
    if (n !== null) out[who] = n;
  }
  return out;
}

async function citizen(number: string): Promise<Citizen> {
  const c = await Citizen.start(rig.dir, number, rig.udpPort);
  citizens.push(c);
  return c;
}

async function dialFromBaresip(c: Citizen): Promise<void> {
  c.events.length = 0;
  offeredToLine++;
  await c.command('dial', `sip:${LINE}@${rig.domain}`);
}

async function dialFromSipp(number: string): Promise<SippCaller> {
  const s = await SippCaller.dial(rig.dir, number, LINE, rig.domain, rig.udpPort);
  sipps.push(s);
  offeredToLine++;
  return s;
}

async function openDesk(who: Who): Promise<Desk> {
  const agent = AGENTS[who];
  const host = await startHost(path.join(root, `desk-${who}`), { ALO153_API_URL: api.url });
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  const desk = new Desk(who, host, await context.newPage());
  const { page } = desk;
  await page.goto(host.url);
  await login(page, agent);
  await page.locator('#open-phone-settings').click();
  await page.fill('#phone-server', rig.wssUrl!);
  await page.fill('#phone-sipUser', `${agent.ext}@${rig.domain}`);
  await page.fill('#phone-password', sipPassword(agent.ext));
  await page.fill('#phone-displayName', `Temsilci ${agent.ext}`);
  // No wrap-up time: an agent who hangs up is free for the line at once.
  await page.fill('#phone-wrapUpSeconds', '0');
  await page.locator('#phone-settings-save').click();
  await desk.until(
    'registered',
    async () => (await page.locator('#phone-registration').textContent()) === 'Santrale bağlı',
    30_000,
  );
  return desk;
}

beforeAll(async () => {
  fs.mkdirSync(root, { recursive: true });
  api = await startApiProcess({
    ALO153_SERVER_DB: path.join(root, 'server.sqlite'),
    ALO153_LINES: JSON.stringify([
      { number: LINE, orgCode: 'bikom', ringTimeoutSeconds: RING_SECONDS, maxWaitSeconds: 300 },
    ]),
  });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      ...ADMIN,
      displayName: undefined,
      clientId: 'line-admin',
    })
  ).accessToken as string;
  for (const u of [SANTRAL, ...Object.values(AGENTS)]) {
    const { username, displayName, password } = u;
    await apiPost(
      `${api.url}/admin/users`,
      { username, displayName, password, role: 'agent', orgCode: 'bikom' },
      adminToken,
    );
  }
  await apiPost(
    `${api.url}/admin/users`,
    { ...SUPERVISOR, role: 'supervisor', orgCode: 'bikom' },
    adminToken,
  );
  supervisorToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: SUPERVISOR.username,
      password: SUPERVISOR.password,
      clientId: 'line-supervisor',
    })
  ).accessToken as string;
  const { users } = await getJson<{ users: { id: string; username: string }[] }>(
    `${api.url}/admin/users`,
    adminToken,
  );
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  const { key } = (await apiPost(
    `${api.url}/admin/api-keys`,
    { name: 'SIP santrali', actingUserId: idOf(SANTRAL.username) },
    adminToken,
  )) as { key: string };
  for (const agent of Object.values(AGENTS)) {
    const res = await fetch(`${api.url}/line/agents/${idOf(agent.username)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: agent.ext }),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  rig = await startSipRig({
    users: Object.fromEntries(Object.values(AGENTS).map((a) => [a.ext, sipPassword(a.ext)])),
    // As shipped: callers who wait hear the announcement (early media from rtpengine).
    line: { url: api.url, apiKey: key, number: LINE, announcement: true },
  });
  expect(rig.wssUrl).not.toBeNull();
  browser = await launchPhoneBrowser();
  for (const who of ['a', 'b', 'c'] as const) desks[who] = await openDesk(who);
  supervisorHost = await startHost(path.join(root, 'desk-supervisor'), {
    ALO153_API_URL: api.url,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  console153 = await context.newPage();
  await console153.goto(supervisorHost.url);
  await login(console153, SUPERVISOR);
  await console153.locator('button:text-is("Süpervizör")').click();
  await console153.locator('#sv-line').waitFor();
}, 150_000);

afterAll(async () => {
  for (const s of sipps) await s.stop();
  for (const c of citizens) await c.stop();
  await browser?.close();
  for (const d of Object.values(desks)) await d.host.stop();
  await supervisorHost?.stop();
  await api?.stop();
  await rig?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('citizens dialling 153, three agents on their desks', () => {
  it('rings the longest-idle agent, whose screen pops the caller', async () => {
    // The agents become Hazır in the order b, c, a: b has been idle longest.
    for (const who of ['b', 'c', 'a'] as const) await desks[who].setState('available');
    const first = await citizen('05321110001');
    await dialFromBaresip(first);
    await desks.b.waitRinging('05321110001');
    // The supervisors see whom the line rings, masked.
    expect((await live()).callers).toEqual([
      expect.objectContaining({ state: 'offered', number: masked('05321110001') }),
    ]);
    // Nobody else's phone rings.
    await sleep(500);
    expect(await ringingDesks()).toEqual({ b: shown('05321110001') });
    await desks.b.answer();
    await first.waitEvent('CALL_ESTABLISHED');
  });

  it('skips an agent on a call and one on a break (Molada)', async () => {
    // b talks to the first caller; c, idle longer than a, goes on a break.
    await desks.c.setState('break');
    const second = await dialFromSipp('05321110002');
    await desks.a.waitRinging('05321110002');
    await sleep(500);
    expect(await ringingDesks()).toEqual({ a: shown('05321110002') });
    await desks.a.answer();
    // Neither b's phone (on the call) nor c's (on a break) was offered it first.
    expect([offersTo('1001'), offersTo('1002'), offersTo('1003')]).toEqual([1, 1, 0]);
    // The agents hang up, b first: b has been idle longer than a afterwards.
    await desks.b.hangUp();
    await desks.b.waitServerState('available');
    await sleep(300);
    await desks.a.hangUp();
    await desks.a.waitServerState('available');
    expect(await second.ended()).toBe(0);
  });

  it('moves on after the ring time and sets the agent who did not answer not ready', async () => {
    const third = await citizen('05321110003');
    await dialFromBaresip(third);
    await desks.b.waitRinging('05321110003');
    // b lets it ring out: the line offers the call to a, the next longest-idle.
    await desks.a.waitRinging('05321110003', (RING_SECONDS + 10) * 1000);
    expect(await desks.b.ringing()).toBeNull();
    await desks.b.waitServerState('break', NO_ANSWER_REASON);
    // What b's desk reads from the line: not ready, and why.
    expect(await getJson(`${api.url}/line/me`, await tokenOf(AGENTS.b))).toMatchObject({
      state: 'break',
      reasonText: NO_ANSWER_REASON_NAME,
    });
    await desks.a.answer();
    await third.waitEvent('CALL_ESTABLISHED');
    await third.command('hangup');
    await third.waitEvent('CALL_CLOSED');
    // Every call so far reached the line and was answered (one after a ring-out).
    const today = await desks.a.until('figures settled', async () => {
      const t = (await live()).today;
      return t.inProgress === 0 ? t : null;
    });
    expect(today).toMatchObject({ offered: offeredToLine, answered: 3, abandoned: 0 });
  });

  it('shows the agent who did not answer why they are no longer offered calls', async () => {
    await desks.b.until('not ready in the header', async () => (await desks.b.state()) === 'break');
    const header = desks.b.page.locator('header.app-header');
    await desks.b.until('the reason in the header', async () => {
      const text = (await header.textContent()) ?? '';
      return (
        text.includes('Çağrıyı cevaplamadığınız için Molada’ya alındınız') &&
        text.includes(NO_ANSWER_REASON_NAME)
      );
    });
    // Choosing Hazır again clears it, and the line offers b calls again.
    await desks.b.setState('available');
    expect(await header.textContent()).not.toContain(NO_ANSWER_REASON_NAME);
  });

  it('still rings the agents when the central API is down', async () => {
    for (const who of ['b', 'c'] as const) await desks[who].setState('available');
    await api.stop();
    try {
      const fourth = await citizen('05321110004');
      fourth.events.length = 0;
      await fourth.command('dial', `sip:${LINE}@${rig.domain}`);
      for (const who of ['a', 'b', 'c'] as const) await desks[who].waitRinging('05321110004');
      await desks.c.answer();
      await fourth.waitEvent('CALL_ESTABLISHED');
      // The others stop ringing once c took the call.
      await desks.a.until('a stops ringing', async () => (await desks.a.ringing()) === null);
      await desks.b.until('b stops ringing', async () => (await desks.b.ringing()) === null);
      await desks.c.hangUp();
      await fourth.waitEvent('CALL_CLOSED');
    } finally {
      await api.restart();
    }
    for (const who of ['a', 'b', 'c'] as const) await desks[who].waitServerState('available');
  });

  it('holds callers in line while every agent is busy and answers them in arrival order', async () => {
    for (const who of ['a', 'b', 'c'] as const) await desks[who].setState('available');
    // Three callers take the three agents.
    const busyWith = {} as Record<Who, string>;
    for (const n of ['05321110011', '05321110012', '05321110013']) {
      await dialFromSipp(n);
      const who = await desks.a.until(`a desk ringing with ${n}`, async () => {
        const r = await ringingDesks();
        return (Object.keys(r) as Who[]).find((w) => r[w] === shown(n));
      });
      await desks[who].answer();
      busyWith[who] = n;
    }
    expect(Object.keys(busyWith).sort()).toEqual(['a', 'b', 'c']);

    // Six more wait, one after another; the third of them is a caller who will hang up.
    const waiting = ['05321110021', '05321110022', '05321110023', '05321110024', '05321110025'];
    const leaver = await citizen('05321110099');
    const arrivals = [...waiting.slice(0, 2), leaver.number, ...waiting.slice(2)];
    let leaverDialled = 0;
    for (const [i, n] of arrivals.entries()) {
      if (n === leaver.number) {
        await dialFromBaresip(leaver);
        leaverDialled = Date.now();
      } else {
        await dialFromSipp(n);
      }
      await desks.a.until(`${i + 1} waiting`, async () => (await live()).waiting === i + 1);
    }

    // The supervisor's live queue: every waiting caller, masked, in arrival order.
    const board = await live();
    expect(board.callers.filter((c) => c.state === 'waiting')).toEqual(
      arrivals.map((n, i) => expect.objectContaining({ position: i + 1, number: masked(n) })),
    );
    expect(JSON.stringify(board)).not.toContain('1110021');
    expect(board.today.offered).toBe(
      board.today.answered + board.today.abandoned + board.today.inProgress,
    );
    expect(await ringingDesks()).toEqual({});
    // ... and so does the console, and every agent's header counts them.
    await desks.a.until('the waiting callers on the console', async () => {
      const rows = await consoleRows();
      return rows.filter((r) => r[2] === 'Bekliyor').length === arrivals.length;
    });
    expect(await consoleRows()).toEqual(
      arrivals.map((n, i) => [String(i + 1), masked(n), 'Bekliyor']),
    );
    for (const who of ['a', 'b', 'c'] as const) {
      await desks[who].until('the count in the header', async () =>
        (await desks[who].page.locator('#line-waiting').textContent())?.includes(
          `Hatta bekleyen: ${arrivals.length}`,
        ),
      );
    }

    // The caller third in line gives up: a missed call owed a callback, with the wait.
    await sleep(1500);
    await leaver.command('hangup');
    const waitedSeconds = Math.floor((Date.now() - leaverDialled) / 1000);
    await leaver.waitEvent('CALL_CLOSED');
    await desks.a.until('the leaver off the line', async () => (await live()).waiting === 5);
    const missed = await desks.a.until('the missed call', async () => {
      const { calls } = await getJson<{
        calls: { number: string; callbackState: string; endReason: string }[];
      }>(`${api.url}/calls/missed?state=owed`);
      return calls.find((c) => c.number === e164(leaver.number));
    });
    expect(missed.callbackState).toBe('owed');
    const wait = Number(/bekleme (\d+) sn/.exec(missed.endReason)?.[1]);
    expect(wait).toBeGreaterThanOrEqual(waitedSeconds - 1);
    // ... and on the agents' callback queue (Geri aramalar → Cevapsız çağrılar).
    const { page } = desks.a;
    await page.locator('button.tab:text-is("Geri aramalar")').click();
    await desks.a.until('the missed call on the desk', async () =>
      (await page.locator('#missed-calls').textContent())?.includes(shown(leaver.number)),
    );
    // ... with how long the caller waited in the line.
    const row = page.locator('#missed-calls tr', { hasText: shown(leaver.number) });
    expect(await row.locator('.missed-wait').textContent()).toContain(`hatta ${wait} sn bekledi`);
    await page.locator('button.tab:text-is("ŞÖK")').click();

    // The agents free up one at a time: each takes the next caller still waiting, in order.
    const order: Who[] = ['a', 'b', 'c', 'a', 'b'];
    for (const [i, who] of order.entries()) {
      await desks[who].hangUp();
      await desks[who].waitRinging(waiting[i]!, 20_000);
      expect(await ringingDesks()).toEqual({ [who]: shown(waiting[i]!) });
      await desks[who].answer();
      busyWith[who] = waiting[i]!;
    }
    expect((await live()).waiting).toBe(0);
    for (const who of ['a', 'b', 'c'] as const) await desks[who].hangUp();
    for (const s of sipps) expect(await s.ended(), s.log().slice(-3000)).toBe(0);

    // Today's figures add up: every call the line saw, answered or abandoned.
    const today = await desks.a.until('figures settled', async () => {
      const t = (await live()).today;
      return t.inProgress === 0 && t.answered + t.abandoned === offeredToLine ? t : null;
    });
    expect(today).toMatchObject({ offered: offeredToLine, abandoned: 1 });
    expect(today.longestWaitSeconds).toBeGreaterThanOrEqual(wait);
    // The console gives the supervisor the same day.
    const offered = console153.locator('#sv-line [data-line="153"] [data-kpi="offered"]');
    await desks.a.until('the day on the console', async () =>
      (await offered.textContent())?.includes(
        `Cevaplanan ${today.answered} · Vazgeçen 1 · Hatta 0`,
      ),
    );
    expect((await offered.locator('strong').textContent())?.trim()).toBe(String(offeredToLine));
  });

  it('owes no callback for a call another agent answered, and one nobody answered once', async () => {
    // 0003 rang out at b and a answered it (the line); 0004 rang at a, b and c and c answered it
    // (the API down). The desks that rang logged them missed: wait until those records arrived.
    await desks.a.until('the desks’ missed rings on the API', async () => {
      const { agents } = await getJson<{
        agents: { displayName: string; today: { missed: number } }[];
      }>(`${api.url}/agents/states`);
      const missedBy = (who: Who) =>
        agents.find((r) => r.displayName === AGENTS[who].displayName)?.today.missed ?? 0;
      return missedBy('b') >= 2 && missedBy('a') >= 1;
    });
    const { calls } = await getJson<{ calls: { number: string }[] }>(
      `${api.url}/calls/missed?state=owed`,
    );
    const numbers = calls.map((c) => c.number);
    expect(numbers).not.toContain(e164('05321110003'));
    expect(numbers).not.toContain(e164('05321110004'));
    // The caller who hung up while waiting: owed exactly once.
    expect(numbers.filter((n) => n === e164('05321110099'))).toHaveLength(1);
  });
});
