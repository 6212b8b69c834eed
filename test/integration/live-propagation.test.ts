import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import { startServer, type RunningServer } from '../../src/server/start';
import {
  ADMIN,
  call,
  eventually,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';

/**
 * Several API instances serve one PostgreSQL database. A ŞÖK registered through instance 1
 * reaches a desk connected to instance 2 by itself (LISTEN/NOTIFY → WebSocket poke → pull),
 * without that desk asking.
 */
describe('live propagation across API instances [postgres]', () => {
  let api: TestApi;
  let second: RunningServer;
  let root: string;
  const cores: ClientCore[] = [];

  beforeAll(async () => {
    api = await startTestApi('postgres');
    second = await startServer({ ...api.server.config, port: 0 }, { logger: false });
    root = tempDir('alo153-live-');
  }, 120_000);
  afterAll(async () => {
    for (const core of cores) await core.close();
    await second?.close();
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
    // Two API instances, their LISTEN connections and a database dropped: slow on a busy machine.
  }, 120_000);

  it('shows a ŞÖK registered on desk A (instance 1) on desk B (instance 2) without a manual sync', async () => {
    const a = openClient(path.join(root, 'a'), api.url, { sync: { pollIntervalMs: 600_000 } });
    cores.push(a);
    await signInAs(a);
    const b = openClient(path.join(root, 'b'), second.url, { sync: { pollIntervalMs: 600_000 } });
    cores.push(b);
    await call(b, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    await call(b, 'admin.users.create', {
      username: 'ajan2',
      displayName: 'Ajan İki',
      password: 'ajan-iki-parola-2026',
      role: 'agent',
      orgCode: 'bikom',
    });
    await call(b, 'auth.logout', { force: true });
    await call(b, 'auth.login', { username: 'ajan2', password: 'ajan-iki-parola-2026' });
    await b.sync.syncNow();
    // B's live socket to instance 2 is open once its first sync succeeded.
    await eventually(() => expect(b.sync.getStatus().state).toBe('online'));

    const changed: string[] = [];
    b.events.subscribe((event, payload) => {
      if (event === 'sok.changed') changed.push((payload as { id: string }).id);
    });
    const started = Date.now();
    const sok = await call<Sok>(a, 'sok.create', {
      ...validDraft,
      description: 'Canlı yayılım denemesi, çöp alınmadı.',
    });
    await eventually(async () => {
      const found = await call<SokSearchResult>(b, 'sok.search', { query: 'canli yayilim' });
      expect(found.items.map((s) => s.id)).toEqual([sok.id]);
    }, 5000);
    expect(changed).toContain(sok.id);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends a session on every instance at once when it is logged out on one', async () => {
    const login = await fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: ADMIN.username,
        password: ADMIN.password,
        clientId: 'install-live-logout',
      }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = (url: string) =>
      fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    // Instance 2 now holds the session in its cache.
    expect((await me(second.url)).status).toBe(200);
    expect((await me(second.url)).status).toBe(200);
    const out = await fetch(`${api.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(out.status).toBe(204);
    // Instance 2 learns it through PostgreSQL NOTIFY, well within the cache's 10 s.
    await eventually(async () => expect((await me(second.url)).status).toBe(401), 2000);
  });
});
