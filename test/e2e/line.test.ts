import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login } from './ui';

/**
 * The call line on the supervisor console and in the agent's header (issue #20 item 6), end to
 * end: one central API in its own process, callers put on the line through the line API with the
 * SIP front's key exactly as Kamailio does, a BİKOM agent and a supervisor each in a browser host.
 * A second agent's desk is played through the API (its state pushed as a desk pushes it) so that
 * one caller can be answered.
 */
const SUPERVISOR = {
  username: 'sup1',
  displayName: 'Sevgi Süpervizör',
  password: 'sup-parola-2026',
};
const SECOND_AGENT = {
  username: 'ajan2',
  displayName: 'Barış Ajan',
  password: 'ajan2-parola-2026',
};
const SANTRAL = {
  username: 'santral',
  displayName: 'SIP santrali',
  password: 'santral-parola-2026',
};

let api: ApiProcess;
let browser: Browser;
const hosts: RunningHost[] = [];
let agent: Page;
let sup: Page;
let sipKey: string;
let supervisorToken: string;
let secondAgent: { id: string; token: string };
const root = tempDataDir();

async function apiRequest(
  method: 'POST' | 'PUT',
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The SIP front's requests about a call, with its API key. */
const sip = (url: string, body: Record<string, unknown>) =>
  apiRequest('POST', url, body, { 'x-api-key': sipKey });

const signIn = async (user: { username: string; password: string }, clientId: string) =>
  (
    await apiPost(`${api.url}/auth/login`, {
      username: user.username,
      password: user.password,
      clientId,
    })
  ).accessToken as string;

beforeAll(async () => {
  api = await startApiProcess({
    ALO153_SERVER_DB: path.join(root, 'server.sqlite'),
    // Every hang-up counts (no short abandons) and the threshold is wide: the figures below do
    // not depend on how fast this machine runs the steps.
    ALO153_LINES: JSON.stringify([{ number: '153', orgCode: 'bikom', shortAbandonSeconds: 0 }]),
    ALO153_LINE_SERVICE_LEVEL_SECONDS: '600',
  });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = await signIn(ADMIN, 'e2e-line-admin');
  const ids: Record<string, string> = {};
  for (const [user, role] of [
    [AGENT, 'agent'],
    [SECOND_AGENT, 'agent'],
    [SUPERVISOR, 'supervisor'],
    [SANTRAL, 'agent'],
  ] as const) {
    const created = (await apiPost(
      `${api.url}/admin/users`,
      { ...user, role, orgCode: 'bikom' },
      adminToken,
    )) as { user: { id: string } };
    ids[user.username] = created.user.id;
  }
  sipKey = (
    (await apiPost(
      `${api.url}/admin/api-keys`,
      { name: 'SIP santrali', actingUserId: ids[SANTRAL.username] },
      adminToken,
    )) as { key: string }
  ).key;
  supervisorToken = await signIn(SUPERVISOR, 'e2e-line-supervisor-api');
  secondAgent = {
    id: ids[SECOND_AGENT.username]!,
    token: await signIn(SECOND_AGENT, 'e2e-line-agent2'),
  };

  browser = await launchBrowser();
  const a = await startHost(path.join(root, 'agent'), { ALO153_API_URL: api.url });
  const s = await startHost(path.join(root, 'sup'), { ALO153_API_URL: api.url });
  hosts.push(a, s);
  agent = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  sup = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await agent.goto(a.url);
  await sup.goto(s.url);
  await login(agent, AGENT);
  await login(sup, SUPERVISOR);
  await sup.locator('button:text-is("Süpervizör")').click();
  await sup.locator('#sv-line').waitFor();
}, 120_000);

afterAll(async () => {
  for (const h of hosts) await h.stop();
  await browser?.close();
  await api?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const line = () => sup.locator('#sv-line [data-line="153"]');
const rows = () =>
  line()
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
    );
const kpi = (name: string) =>
  line()
    .locator(`[data-kpi="${name}"]`)
    .evaluate((el) => ({
      value: (el.querySelector('strong')?.textContent ?? '').trim(),
      note: (el.querySelector('.muted')?.textContent ?? '').trim(),
    }));
const agentCount = async () => {
  const badge = agent.locator('#line-waiting');
  return (await badge.count()) === 0 ? null : await badge.textContent();
};
/** "2:05" → 125 */
const seconds = (clock: string) =>
  clock
    .split(':')
    .map(Number)
    .reduce((s, part) => s * 60 + part, 0);

describe('the call line on the console and in the agent’s header', () => {
  it('shows callers waiting, masked, in order with a ticking wait, and the agent sees the same count', async () => {
    for (const n of [1, 2, 3]) {
      const decision = await sip('/line/calls', {
        line: '153',
        sipCallId: `e2e-call-${n}`,
        number: `0532000000${n}`,
      });
      // Nobody with a phone is ready: every caller waits, in order.
      expect(decision).toMatchObject({ action: 'wait', position: n });
    }
    await expect.poll(rows, { timeout: 5_000 }).toHaveLength(3);
    const shown = await rows();
    expect(shown.map((r) => r.slice(0, 3))).toEqual([
      ['1', '+90 532 *** ** 01', 'Bekliyor'],
      ['2', '+90 532 *** ** 02', 'Bekliyor'],
      ['3', '+90 532 *** ** 03', 'Bekliyor'],
    ]);
    expect(await line().textContent()).not.toContain('5320000001');
    // The waits go on counting on screen.
    const first = seconds(shown[0]![3]!);
    await expect
      .poll(async () => seconds((await rows())[0]![3]!), { timeout: 5_000 })
      .toBeGreaterThan(first);
    expect((await kpi('waiting')).value).toBe('3');
    await expect.poll(agentCount, { timeout: 5_000 }).toBe('Hatta bekleyen: 3');

    await sup.locator('#sv-line').scrollIntoViewIfNeeded();
    await sup.locator('#sv-line').screenshot({ path: 'docs/screenshots/console-line.png' });
  });

  it('takes a caller who hangs up off the line, moves the next up, and counts the answered, abandoned and waiting', async () => {
    // The second caller gives up.
    expect(await sip('/line/calls/ended', { sipCallId: 'e2e-call-2' })).toMatchObject({
      state: 'abandoned',
    });
    await expect
      .poll(async () => (await rows()).map((r) => r.slice(0, 2)), { timeout: 5_000 })
      .toEqual([
        ['1', '+90 532 *** ** 01'],
        ['2', '+90 532 *** ** 03'],
      ]);
    await expect.poll(agentCount, { timeout: 5_000 }).toBe('Hatta bekleyen: 2');

    // Another agent's desk: a phone extension, and the agent ready.
    await apiRequest(
      'PUT',
      `/line/agents/${secondAgent.id}`,
      { extension: '1002' },
      { authorization: `Bearer ${supervisorToken}` },
    );
    const pushed = await apiPost(
      `${api.url}/sync/push`,
      {
        mutations: [
          {
            id: 1,
            kind: 'agent.state',
            payload: {
              id: randomUUID(),
              state: 'available',
              reason: null,
              at: new Date().toISOString(),
            },
          },
        ],
      },
      secondAgent.token,
    );
    expect(JSON.stringify(pushed)).toContain('"applied"');
    // The third caller's poll keeps their place; the first in line gets the agent.
    expect(await sip('/line/calls/next', { sipCallId: 'e2e-call-3' })).toMatchObject({
      action: 'wait',
    });
    const ring = await sip('/line/calls/next', { sipCallId: 'e2e-call-1' });
    expect(ring).toMatchObject({ action: 'ring', extension: '1002' });
    await expect
      .poll(async () => (await rows()).map((r) => r.slice(0, 3)), { timeout: 5_000 })
      .toEqual([
        ['—', '+90 532 *** ** 01', 'Temsilcide çalıyor'],
        ['1', '+90 532 *** ** 03', 'Bekliyor'],
      ]);
    await expect.poll(agentCount, { timeout: 5_000 }).toBe('Hatta bekleyen: 1');

    await sip('/line/calls/answered', { sipCallId: 'e2e-call-1', offerId: ring.offerId });
    await expect.poll(rows, { timeout: 5_000 }).toHaveLength(1);

    // Today: 3 offered = 1 answered + 1 abandoned + 1 still waiting.
    await expect
      .poll(async () => await kpi('offered'), { timeout: 5_000 })
      .toEqual({ value: '3', note: 'Cevaplanan 1 · Vazgeçen 1 · Hatta 1' });
    expect(await kpi('service-level')).toEqual({ value: '%50', note: '1 / 2' });
    expect(await kpi('abandonment')).toMatchObject({ value: '%50' });
    expect((await kpi('asa')).value).toMatch(/^\d+(,\d)? sn$/);
    expect((await kpi('waiting')).value).toBe('1');
    expect(await agentCount()).toBe('Hatta bekleyen: 1');
    expect(await line().locator('h3').textContent()).toContain('Hat 153');
    expect(await line().locator('[data-kpi="service-level"] .label').textContent()).toBe(
      'Hizmet düzeyi (600 sn içinde)',
    );
  });

  it('exports the same figures for the period', async () => {
    const [download] = await Promise.all([
      sup.waitForEvent('download'),
      sup.locator('button:text-is("Çağrı hattı CSV")').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^alo153-hat-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const lines = fs
      .readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    const row = lines.find((l) => l.startsWith('153;'))!.split(';');
    // Hat; Kurum; eşik; gelen; cevaplanan; eşik içinde; vazgeçen; kısa; süre dolan; hatta; HD %
    expect(row.slice(2, 11)).toEqual(['600', '3', '1', '1', '1', '0', '0', '1', '50']);
    expect(row[12]).toBe('50');
  });
});
