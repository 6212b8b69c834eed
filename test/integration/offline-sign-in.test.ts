import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok } from '../../src/domain/sok';
import { BACKENDS } from '../support/backends';
import { FaultyNetwork } from '../support/faulty-fetch';
import {
  ADMIN,
  AGENT,
  call,
  eventually,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';

const DAY = 24 * 3600 * 1000;

async function failure(core: ClientCore, method: string, input: unknown) {
  const result = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} succeeded`);
  return result.error;
}

/** Deactivates a user through the API as the administrator (as the admin screen does). */
async function deactivate(apiUrl: string, username: string): Promise<void> {
  const login = (await (
    await fetch(`${apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: ADMIN.username,
        password: ADMIN.password,
        clientId: 'A'.repeat(43),
      }),
    })
  ).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const users = (await (await fetch(`${apiUrl}/admin/users`, { headers: auth })).json()) as {
    users: { id: string; username: string }[];
  };
  const user = users.users.find((u) => u.username === username);
  const res = await fetch(`${apiUrl}/admin/users/${user?.id}`, {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ active: false }),
  });
  expect(res.status).toBe(200);
}

describe.each(BACKENDS.map((kind) => ({ kind })))('offline sign-in [$kind]', ({ kind }) => {
  let api: TestApi;
  const cores: ClientCore[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
    await api?.close();
  });

  async function desk(options: { now?: () => Date } = {}) {
    api = await startTestApi(kind);
    const dir = tempDir('alo153-offline-');
    const network = new FaultyNetwork();
    const core = openClient(dir, api.url, {
      fetch: network.fetch,
      offlineScryptLogN: 10,
      ...options,
    });
    cores.push(core);
    return { core, network, dir };
  }

  it('lets an agent who signed in here before register while the API is down, then syncs it', async () => {
    const { core, network, dir } = await desk();
    await signInAs(core);
    await call(core, 'auth.logout', {});
    network.down = true;

    const wrong = await failure(core, 'auth.login', { username: AGENT.username, password: 'x' });
    expect(wrong.code).toBe('unauthenticated');
    const user = await call<{ username: string }>(core, 'auth.login', {
      username: AGENT.username,
      password: AGENT.password,
    });
    expect(user.username).toBe(AGENT.username);
    expect(await call(core, 'auth.status')).toMatchObject({ offline: true, needsSetup: null });
    // The verifier, like the session, is never stored in the clear with the password in it.
    expect(fs.readFileSync(path.join(dir, 'offline-auth.bin'), 'utf8')).not.toContain(
      AGENT.password,
    );
    expect(fs.statSync(path.join(dir, 'offline-auth.bin')).mode & 0o077).toBe(0);

    const sok = await call<Sok>(core, 'sok.create', validDraft);
    await core.sync.syncNow();
    expect(core.sync.getStatus()).toMatchObject({ state: 'offline', pending: 1 });

    // The API answers again: the session becomes an online one without the password typed again.
    network.down = false;
    await eventually(async () => {
      await core.sync.syncNow();
      expect(core.sync.getStatus()).toMatchObject({ state: 'online', pending: 0 });
    }, 10_000);
    expect(await call(core, 'auth.status')).toMatchObject({ offline: false });
    const synced = await call<Sok>(core, 'sok.get', { id: sok.id });
    expect(synced.regNo).toMatch(/^\d{4}-\d+$/);
  });

  it('refuses a user who never signed in on this PC, and one whose last online sign-in is too old', async () => {
    let clock = Date.now();
    const { core, network } = await desk({ now: () => new Date(clock) });
    await signInAs(core);
    await call(core, 'auth.logout', {});
    network.down = true;

    const stranger = await failure(core, 'auth.login', { username: 'baska', password: 'parola' });
    expect(stranger.code).toBe('unavailable');
    expect(stranger.message).toContain('daha önce çevrimiçi giriş');
    clock += 8 * DAY;
    const old = await failure(core, 'auth.login', AGENT_LOGIN);
    expect(old.message).toContain('son çevrimiçi girişinizin');
    clock -= 2 * DAY;
    await call(core, 'auth.login', AGENT_LOGIN);
  });

  it('forgets the verifier once the desk learns the account was deactivated', async () => {
    const { core, network } = await desk();
    await signInAs(core);
    await deactivate(api.url, AGENT.username);
    // The next sync finds the session ended by the server; the desk signs out.
    await eventually(async () => {
      await core.sync.syncNow();
      expect(core.sync.getStatus().state).toBe('signed-out');
    }, 15_000);
    network.down = true;
    const refused = await failure(core, 'auth.login', AGENT_LOGIN);
    expect(refused.message).toContain('daha önce çevrimiçi giriş');
  });

  it('signs out with the reason when the server refuses the offline session, and keeps the work queued', async () => {
    const { core, network } = await desk();
    await signInAs(core);
    await call(core, 'auth.logout', {});
    network.down = true;
    await call(core, 'auth.login', AGENT_LOGIN);
    await call<Sok>(core, 'sok.create', validDraft);
    const ended: (string | null)[] = [];
    core.events.subscribe((event, payload) => {
      const e = payload as { signedIn: boolean; reason: string | null };
      if (event === 'auth.changed' && !e.signedIn) ended.push(e.reason);
    });
    await deactivate(api.url, AGENT.username);
    network.down = false;
    await core.sync.syncNow();
    expect(core.sync.getStatus().state).toBe('signed-out');
    const queued = core.db
      .prepare("SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = 'sok.create'")
      .pluck()
      .get();
    expect(queued).toBe(1);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toContain('kabul etmedi');
    expect((await call(core, 'auth.status')) as { user: unknown }).toMatchObject({ user: null });
    // Not even offline: the server said no to this account.
    network.down = true;
    expect((await failure(core, 'auth.login', AGENT_LOGIN)).code).toBe('unavailable');
  });
});

const AGENT_LOGIN = { username: AGENT.username, password: AGENT.password };
