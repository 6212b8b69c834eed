import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, repoRoot, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login } from './ui';

/**
 * A new desk's first sync brings many ŞÖKs. Its store thread (docs/sync.md) stores them with
 * every search row, so an address word finds them as soon as they are stored. Without it
 * (ALO153_STORE_THREAD=0) their address and description rows are indexed in the background after
 * the sync run (docs/search.md): meanwhile the search panel says so, and the notice goes away by
 * itself once indexing is done.
 *
 * The desk talks to the API through a loopback proxy that can hold the routing-rules request,
 * which a sync run makes after its pull: while it is held the run is not over, so the backlog
 * stays (the indexer waits for the run) and the notice can be seen without any race.
 */
const SOKS = 300;
let api: ChildProcess;
let apiUrl: string;
let proxy: http.Server;
let proxyUrl: string;
let holding = true;
const held: (() => void)[] = [];
let browser: Browser;
let host: RunningHost | null = null;
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

/** Forwards HTTP to the API; holds GET /routing/rules while `holding`. No WebSocket: desks poll. */
async function startProxy(): Promise<void> {
  proxy = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(
        `${apiUrl}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (holding && req.url?.startsWith('/routing/rules')) held.push(forward);
    else forward();
  });
  proxy.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
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
  await startProxy();
  await post('/setup/admin', {
    username: ADMIN.username,
    displayName: ADMIN.displayName,
    password: ADMIN.password,
  });
  const admin = await post('/auth/login', {
    username: ADMIN.username,
    password: ADMIN.password,
    clientId: 'e2e-admin-client',
  });
  await post(
    '/admin/users',
    {
      username: AGENT.username,
      displayName: AGENT.displayName,
      password: AGENT.password,
      role: 'agent',
      orgCode: 'bikom',
    },
    admin.accessToken as string,
  );
  // SOKS ŞÖKs registered elsewhere (another desk's pushes), numbered by the server.
  const seeder = await post('/auth/login', {
    username: AGENT.username,
    password: AGENT.password,
    clientId: 'e2e-seeder-client',
  });
  for (let from = 0; from < SOKS; from += 100) {
    const mutations = Array.from({ length: Math.min(100, SOKS - from) }, (_, k) => {
      const i = from + k;
      return {
        id: i + 1,
        kind: 'sok.create',
        payload: {
          id: randomUUID(),
          regNo: null,
          registeredAt: new Date().toISOString(),
          routeRuleId: null,
          typeCode: 'sikayet',
          topicCode: 'temizlik.cop-toplanmadi',
          districtCode: 'yildirim',
          mahalle: 'Değirmenönü',
          address: 'Ihlamur Sokak No: 4',
          description: `Konteyner ${i} gündür boşaltılmadı.`,
          citizenName: 'Ayşe Korkmaz',
          citizenPhone: `+90532${String(1000000 + i)}`,
        },
      };
    });
    const answer = await post('/sync/push', { mutations }, seeder.accessToken as string);
    const results = answer.results as { status: string }[];
    expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  }
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const release of held.splice(0)) release();
  await host?.stop();
  await browser?.close();
  proxy?.close();
  api?.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * A new desk (its own data directory under `root`) signed in as the agent, whose first sync has
 * pulled and is held waiting for its routing rules: the run is not over.
 */
async function signInHeld(dir: string, env: Record<string, string> = {}) {
  holding = true;
  host = await startHost(path.join(root, dir), { ALO153_API_URL: proxyUrl, ...env });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await login(page, AGENT);
  await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);
  return { page, errors };
}

describe('a new desk after its first sync', () => {
  it('finds the ŞÖKs by an address word as soon as its store thread stored them', async () => {
    const { page, errors } = await signInHeld('desk-thread');
    await page.fill('#sok-search', 'ihlamur');
    await expect
      .poll(() => page.locator('.result').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Nothing left to index: no notice.
    expect(await page.locator('.search-indexing').count()).toBe(0);
    holding = false;
    for (const release of held.splice(0)) release();
    expect(errors).toEqual([]);
    await page.close();
    await host?.stop();
    host = null;
  });

  it('without the store thread: says the search is still indexing while it is, and stops saying so when it is done', async () => {
    const { page, errors } = await signInHeld('desk', { ALO153_STORE_THREAD: '0' });
    // The rows are stored, their address and description text is not indexed yet.

    const notice = page.locator('.search-indexing');
    await page.fill('#sok-search', 'korkmaz');
    // Found by name at once…
    await expect
      .poll(() => page.locator('.result').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // …and the agent is told that address and description words do not find everything yet.
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`${SOKS} kaydın adres ve açıklama metni`);
    expect(await notice.getAttribute('role')).toBe('status');

    // The sync run ends; the backlog is indexed in the background and the notice goes away
    // without the agent typing again.
    holding = false;
    for (const release of held.splice(0)) release();
    await notice.waitFor({ state: 'detached', timeout: 60_000 });
    // Now a word of the address finds them too.
    await page.fill('#sok-search', 'ihlamur');
    await expect
      .poll(() => page.locator('.result').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
