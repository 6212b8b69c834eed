import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  PASSWORD,
  type LoginTokens,
  type TestApp,
} from '../../../test/support/server-app';

forEachBackend('user administration', (kind) => {
  let t: TestApp;
  let admin: LoginTokens;
  let adminId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    adminId = await createUser(t, { username: 'admin', role: 'admin' });
    admin = await login(t, 'admin');
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload !== undefined ? { payload } : {}),
    });
  const me = (token: string) => call('GET', '/auth/me', token);

  it('is for admins only', async () => {
    await createUser(t, { username: 'sup', role: 'supervisor' });
    const sup = await login(t, 'sup');
    for (const [method, url] of [
      ['GET', '/admin/users'],
      ['POST', '/admin/users'],
      ['PATCH', `/admin/users/${adminId}`],
    ] as const) {
      const res = await call(method, url, sup.accessToken, {});
      expect(res.statusCode).toBe(403);
      expect(apiError(res).code).toBe('forbidden');
    }
    expect((await t.app.inject({ method: 'GET', url: '/admin/users' })).statusCode).toBe(401);
  });

  it('creates a user in an organisation and lists users without password hashes', async () => {
    const res = await call('POST', '/admin/users', admin.accessToken, {
      username: 'Nilufer.Masa1',
      displayName: 'Nilüfer Masası 1',
      password: 'masa-parolasi-1',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      user: {
        username: 'nilufer.masa1',
        orgKind: 'district-municipality',
        districtCode: 'nilufer',
      },
    });
    await login(t, 'nilufer.masa1', 'masa-parolasi-1');
    const list = await call('GET', '/admin/users', admin.accessToken);
    expect(list.statusCode).toBe(200);
    const users = list.json<{ users: { username: string }[] }>().users;
    expect(users.map((u) => u.username)).toContain('nilufer.masa1');
    expect(list.body).not.toContain('scrypt');
    expect(list.body).not.toContain('password');
  });

  it('refuses a taken username, an unknown organisation and a weak password', async () => {
    const base = {
      username: 'admin',
      displayName: 'Kopya',
      password: 'yeterince-uzun',
      role: 'agent',
      orgCode: 'bikom',
    };
    const taken = await call('POST', '/admin/users', admin.accessToken, base);
    expect(taken.statusCode).toBe(409);
    expect(apiError(taken)).toMatchObject({
      code: 'username-taken',
      fields: { username: 'Bu kullanıcı adı zaten kullanılıyor.' },
    });
    const org = await call('POST', '/admin/users', admin.accessToken, {
      ...base,
      username: 'yeni1',
      orgCode: 'bb.yok-boyle',
    });
    expect(org.statusCode).toBe(400);
    expect(apiError(org).fields).toEqual({ orgCode: 'Seçilen kurum bulunamadı.' });
    const weak = await call('POST', '/admin/users', admin.accessToken, {
      ...base,
      username: 'yeni2',
      password: '123',
      role: 'root',
    });
    expect(weak.statusCode).toBe(400);
    expect(Object.keys(apiError(weak).fields ?? {}).sort()).toEqual(['password', 'role']);
  });

  it('revokes sessions when role or organisation changes, not for a display name', async () => {
    const id = await createUser(t, { username: 'degisen', role: 'agent' });
    const session = await login(t, 'degisen');
    const rename = await call('PATCH', `/admin/users/${id}`, admin.accessToken, {
      displayName: 'Yeni Ad',
    });
    expect(rename.json()).toMatchObject({ user: { displayName: 'Yeni Ad' }, revokedSessions: 0 });
    expect((await me(session.accessToken)).statusCode).toBe(200);

    const move = await call('PATCH', `/admin/users/${id}`, admin.accessToken, {
      orgCode: 'bb.fen-isleri',
      role: 'desk',
    });
    expect(move.json()).toMatchObject({
      user: { orgCode: 'bb.fen-isleri', orgKind: 'metropolitan-unit', role: 'desk' },
      revokedSessions: 1,
    });
    expect(apiError(await me(session.accessToken)).code).toBe('token-revoked');
  });

  it('deactivates (ending sessions) and reactivates a user', async () => {
    const id = await createUser(t, { username: 'ayrilan' });
    const session = await login(t, 'ayrilan');
    const off = await call('PATCH', `/admin/users/${id}`, admin.accessToken, { active: false });
    expect(off.json()).toMatchObject({ user: { active: false }, revokedSessions: 1 });
    expect(apiError(await me(session.accessToken)).code).toBe('token-revoked');
    await expect(login(t, 'ayrilan')).rejects.toThrow(/403/);
    await call('PATCH', `/admin/users/${id}`, admin.accessToken, { active: true });
    await login(t, 'ayrilan');
  });

  it('resets a password, which also lifts a lockout and ends sessions', async () => {
    const id = await createUser(t, { username: 'unutkan' });
    const session = await login(t, 'unutkan');
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: 'unutkan', password: 'yanlış-parola', clientId: 'install-u-1' },
      });
    }
    const listed = await call('GET', '/admin/users', admin.accessToken);
    const locked = listed
      .json<{ users: { username: string; lockedUntil: string | null }[] }>()
      .users.find((u) => u.username === 'unutkan');
    expect(locked?.lockedUntil).not.toBeNull();
    const reset = await call('PATCH', `/admin/users/${id}`, admin.accessToken, {
      password: 'sifirlanan-parola',
    });
    expect(reset.json()).toMatchObject({ user: { lockedUntil: null }, revokedSessions: 1 });
    expect(apiError(await me(session.accessToken)).code).toBe('token-revoked');
    await login(t, 'unutkan', 'sifirlanan-parola');
    await expect(login(t, 'unutkan', PASSWORD)).rejects.toThrow(/401/);
  });

  it('never demotes or deactivates the last active admin', async () => {
    for (const change of [{ role: 'agent' }, { active: false }]) {
      const res = await call('PATCH', `/admin/users/${adminId}`, admin.accessToken, change);
      expect(res.statusCode).toBe(409);
      expect(apiError(res).code).toBe('last-admin');
    }
    expect((await me(admin.accessToken)).statusCode).toBe(200);
  });

  it('validates the id, the body and the target', async () => {
    const badId = await call('PATCH', '/admin/users/not-a-uuid', admin.accessToken, {
      active: true,
    });
    expect(badId.statusCode).toBe(400);
    expect(apiError(badId).message).toMatch(/route parameters/);
    const empty = await call('PATCH', `/admin/users/${adminId}`, admin.accessToken, {});
    expect(empty.statusCode).toBe(400);
    expect(apiError(empty).fields).toEqual({ _: 'Değiştirilecek bir alan belirtilmedi.' });
    const unknown = await call('PATCH', `/admin/users/${adminId}`, admin.accessToken, {
      username: 'hacker',
    });
    expect(apiError(unknown).fields).toEqual({ username: 'Beklenmeyen alan: username' });
    const missing = await call('PATCH', `/admin/users/${randomUUID()}`, admin.accessToken, {
      active: true,
    });
    expect(missing.statusCode).toBe(404);
    expect(apiError(missing).code).toBe('not-found');
  });
});

forEachBackend('who administers whom', (kind) => {
  let t: TestApp;
  let system: LoginTokens;
  let nilufer: LoginTokens;
  let bikomAdminId: string;
  let niluferAgentId: string;
  let osmangaziDeskId: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      { logger: { level: 'warn', stream: { write: (line: string) => logLines.push(line) } } },
    );
    bikomAdminId = await createUser(t, { username: 'sistem', role: 'admin', orgCode: 'bikom' });
    await createUser(t, { username: 'nil.yonetici', role: 'admin', orgCode: 'ilce.nilufer' });
    niluferAgentId = await createUser(t, {
      username: 'nil.masa',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    });
    osmangaziDeskId = await createUser(t, {
      username: 'osm.masa',
      role: 'desk',
      orgCode: 'ilce.osmangazi',
    });
    system = await login(t, 'sistem');
    nilufer = await login(t, 'nil.yonetici');
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    token: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload !== undefined ? { payload } : {}),
    });
  const userRow = (id: string) =>
    t.backend.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a district admin lists only its own organisation’s users; the call centre’s admin all', async () => {
    const mine = await call('GET', '/admin/users', nilufer.accessToken);
    expect(mine.statusCode).toBe(200);
    const names = mine.json<{ users: { username: string }[] }>().users.map((u) => u.username);
    expect(names.sort()).toEqual(['nil.masa', 'nil.yonetici']);
    const all = await call('GET', '/admin/users', system.accessToken);
    expect(all.json<{ users: unknown[] }>().users).toHaveLength(4);
  });

  it('a district admin creates users in its own organisation only', async () => {
    const base = {
      displayName: 'Yeni Kullanıcı',
      password: 'yeterince-uzun-1',
      role: 'agent',
    };
    const bikom = await call('POST', '/admin/users', nilufer.accessToken, {
      ...base,
      username: 'sizan.bikom',
      orgCode: 'bikom',
    });
    expect(bikom.statusCode).toBe(403);
    expect(apiError(bikom)).toMatchObject({
      code: 'forbidden',
      fields: { orgCode: 'Yalnızca kendi kurumunuzun kullanıcılarını yönetebilirsiniz.' },
    });
    expect(
      await t.backend.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'sizan.bikom')
        .executeTakeFirst(),
    ).toBeUndefined();
    const own = await call('POST', '/admin/users', nilufer.accessToken, {
      ...base,
      username: 'nil.sup',
      role: 'supervisor',
      orgCode: 'ilce.nilufer',
    });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ user: { orgCode: 'ilce.nilufer', role: 'supervisor' } });
  });

  it('a district admin cannot move its user into another organisation', async () => {
    const move = await call('PATCH', `/admin/users/${niluferAgentId}`, nilufer.accessToken, {
      orgCode: 'bikom',
      role: 'agent',
    });
    expect(move.statusCode).toBe(403);
    expect(await userRow(niluferAgentId)).toMatchObject({ org_code: 'ilce.nilufer', role: 'desk' });
    const rename = await call('PATCH', `/admin/users/${niluferAgentId}`, nilufer.accessToken, {
      displayName: 'Nilüfer Masası',
    });
    expect(rename.statusCode).toBe(200);
  });

  it('answers users of other organisations, system admins included, like users that do not exist', async () => {
    const missing = await call('PATCH', `/admin/users/${randomUUID()}`, nilufer.accessToken, {
      password: 'ele-gecirilen-parola',
    });
    expect(missing.statusCode).toBe(404);
    const before = await userRow(bikomAdminId);
    for (const id of [bikomAdminId, osmangaziDeskId]) {
      const reset = await call('PATCH', `/admin/users/${id}`, nilufer.accessToken, {
        password: 'ele-gecirilen-parola',
      });
      expect(reset.statusCode).toBe(404);
      expect(reset.body).toBe(missing.body);
      const unlock = await call('POST', `/admin/users/${id}/unlock`, nilufer.accessToken);
      expect(unlock.statusCode).toBe(404);
    }
    expect((await userRow(bikomAdminId)).password_hash).toBe(before.password_hash);
    await login(t, 'sistem');
  });

  it('keeps the city-wide settings to the call centre’s admins', async () => {
    const routes: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object][] = [
      ['GET', '/admin/api-keys'],
      ['POST', '/admin/api-keys', { name: 'Web formu', actingUserId: niluferAgentId }],
      ['DELETE', `/admin/api-keys/${randomUUID()}`],
      ['PUT', '/admin/routing-rules', { rules: [] }],
      ['PUT', '/admin/days-off', { daysOff: [] }],
      ['GET', '/admin/organisations'],
      ['PUT', '/admin/organisations/bikom', { email: 'saldirgan@example.com' }],
      ['GET', '/admin/templates'],
      ['PUT', '/admin/templates/receipt.sms', { body: '{{regNo}} {{topic}} {{date}}' }],
    ];
    for (const [method, url, body] of routes) {
      const res = await call(method, url, nilufer.accessToken, body);
      expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 403 });
    }
    expect((await call('GET', '/admin/api-keys', system.accessToken)).statusCode).toBe(200);
    expect((await call('GET', '/admin/organisations', system.accessToken)).statusCode).toBe(200);
  });

  it('counts only the call centre’s admins as the system’s last administrator', async () => {
    // A district admin exists, but it cannot administer the system: the last BİKOM admin stays.
    for (const change of [{ role: 'agent' }, { active: false }, { orgCode: 'ilce.nilufer' }]) {
      const res = await call('PATCH', `/admin/users/${bikomAdminId}`, system.accessToken, change);
      expect(res.statusCode).toBe(409);
      expect(apiError(res).code).toBe('last-admin');
    }
  });

  it('lets an organisation admin unlock its own user, and logs it', async () => {
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { username: 'nil.masa', password: 'yanlış-parola', clientId: 'install-n-1' },
      });
    }
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { username: 'nil.masa', password: PASSWORD, clientId: 'install-n-1' },
      });
    expect(apiError(await attempt()).code).toBe('login-locked');
    const listed = await call('GET', '/admin/users', nilufer.accessToken);
    const row = listed
      .json<{ users: { id: string; lockedUntil: string | null }[] }>()
      .users.find((u) => u.id === niluferAgentId);
    expect(row?.lockedUntil).toBe('2026-03-02T09:15:00.000Z');
    const unlock = await call('POST', `/admin/users/${niluferAgentId}/unlock`, nilufer.accessToken);
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json()).toMatchObject({ user: { lockedUntil: null }, liftedBlocks: 2 });
    expect((await attempt()).statusCode).toBe(200);
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'login locked for source',
        username: 'nil.masa',
        source: '10.9.9.9',
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'login unlocked by an administrator',
        userId: niluferAgentId,
        liftedBlocks: 2,
      }),
    );
  });
});
