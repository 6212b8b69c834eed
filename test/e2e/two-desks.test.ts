import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, repoRoot, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login, syncState } from './ui';

/**
 * Two desks (two browser hosts, two data directories) and one standalone central API: a ŞÖK
 * registered on desk A shows up on desk B by itself, without a reload.
 */
let api: ChildProcess;
let apiUrl: string;
let browser: Browser;
const hosts: RunningHost[] = [];
const root = tempDataDir();

async function startApi(): Promise<void> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  apiUrl = `http://127.0.0.1:${port}`;
  api = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.mjs')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      ALO153_SERVER_DB: path.join(root, 'server.sqlite'),
      ALO153_SCRYPT_LOG_N: '12',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 20_000;
  while (
    (await fetch(`${apiUrl}/health`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error('the central API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function post(
  pathname: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}${pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  await startApi();
  // The administrator and two agents, through the API itself.
  await post('/setup/admin', {
    username: ADMIN.username,
    displayName: ADMIN.displayName,
    password: ADMIN.password,
  });
  const { accessToken } = await post('/auth/login', {
    ...ADMIN,
    displayName: undefined,
    clientId: 'e2e-admin-client',
  });
  for (const [username, displayName] of [
    [AGENT.username, AGENT.displayName],
    ['ajan2', 'Burak Ajan'],
  ]) {
    await post(
      '/admin/users',
      { username, displayName, password: AGENT.password, role: 'agent', orgCode: 'bikom' },
      accessToken as string,
    );
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const h of hosts) await h.stop();
  await browser?.close();
  api?.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('two desks and one central API', () => {
  it('shows a ŞÖK registered on desk A on desk B without a reload', async () => {
    const a = await startHost(path.join(root, 'a'), { ALO153_API_URL: apiUrl });
    const b = await startHost(path.join(root, 'b'), { ALO153_API_URL: apiUrl });
    hosts.push(a, b);
    const pageA = await browser.newPage();
    const pageB = await browser.newPage();
    await pageA.goto(a.url);
    await pageB.goto(b.url);
    await login(pageA, AGENT);
    await login(pageB, { username: 'ajan2', password: AGENT.password });
    await syncState(pageA, 'Çevrimiçi');
    await syncState(pageB, 'Çevrimiçi');
    const before = await pageB.locator('.result').count();

    await pageA.locator('#sok-typeCode').click();
    await pageA.keyboard.type('Öneri');
    await pageA.keyboard.press('Tab');
    await pageA.keyboard.type('park bakim');
    await pageA.keyboard.press('Tab');
    await pageA.keyboard.type('Nilüfer');
    await pageA.keyboard.press('Tab');
    await pageA.keyboard.type('Görükle');
    await pageA.fill(
      '#sok-description',
      'Görükle parkındaki banklar kırık, yenilenmesini öneriyorum.',
    );
    await pageA.fill('#sok-citizenName', 'Ömer Çınar');
    await pageA.fill('#sok-citizenPhone', '0533 765 43 21');
    await pageA.keyboard.press('Control+Enter');
    await pageA.locator('#receipt-regNo').waitFor();
    const regNo = (await pageA.locator('#receipt-regNo').textContent())?.trim() ?? '';
    expect(regNo).toMatch(/\d{4}-\d{4}/);

    // Desk B shows it by itself: no reload, no search typed.
    await expect
      .poll(async () => (await pageB.locator('.result').allTextContents()).join('\n'), {
        timeout: 10_000,
      })
      .toContain('Ömer Çınar');
    expect(await pageB.locator('.result').count()).toBe(before + 1);
    expect((await pageB.locator('.result').first().textContent()) ?? '').toContain(regNo);
  });
});
