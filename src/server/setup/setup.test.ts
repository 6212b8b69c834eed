import { afterEach, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/support/backends';
import { apiError, createTestApp, login, type TestApp } from '../../../test/support/server-app';

const ADMIN = {
  username: 'Yonetici',
  displayName: 'İlk Yönetici',
  password: 'ilk-yonetici-parolasi',
};

forEachBackend('first-run setup', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const status = async (app: TestApp) =>
    (await app.app.inject({ method: 'GET', url: '/setup/status' })).json<{ needsSetup: boolean }>();
  const create = (app: TestApp, body: object) =>
    app.app.inject({ method: 'POST', url: '/setup/admin', payload: body });

  it('needs setup until the first admin exists, in BİKOM, then refuses with 409', async () => {
    t = await createTestApp(kind);
    expect(await status(t)).toEqual({ needsSetup: true, demoAvailable: false });
    const res = await create(t, ADMIN);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      user: {
        username: 'yonetici',
        displayName: 'İlk Yönetici',
        role: 'admin',
        orgCode: 'bikom',
        orgKind: 'call-centre',
        active: true,
      },
    });
    expect(res.body).not.toContain('scrypt');
    expect(await status(t)).toEqual({ needsSetup: false, demoAvailable: false });
    await login(t, 'yonetici', ADMIN.password);

    const again = await create(t, { ...ADMIN, username: 'ikinci' });
    expect(again.statusCode).toBe(409);
    expect(apiError(again)).toMatchObject({
      code: 'setup-complete',
      userMessage: 'İlk kurulum zaten yapılmış.',
    });
  });

  it('creates exactly one admin when several requests race', async () => {
    t = await createTestApp(kind);
    const app = t;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => create(app, { ...ADMIN, username: `yarisan${i}` })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const users = await app.backend.db.selectFrom('app_user').select('username').execute();
    expect(users).toHaveLength(1);
  });

  it('applies the password policy and username rules, with Turkish field messages', async () => {
    t = await createTestApp(kind);
    const res = await create(t, { username: 'İ', displayName: 'X', password: 'kısa' });
    expect(res.statusCode).toBe(400);
    expect(apiError(res).fields).toEqual({
      username:
        'Kullanıcı adı 3–64 karakter olmalı; yalnızca Türkçe karaktersiz küçük harf, rakam, nokta, tire ve alt çizgi içerebilir.',
      displayName: 'En az 2 karakter olmalıdır.',
      password: 'Parola en az 10 karakter olmalıdır.',
    });
    const same = await create(t, { ...ADMIN, password: 'yonetici12', username: 'yonetici12' });
    expect(apiError(same).fields).toEqual({ password: 'Parola kullanıcı adıyla aynı olamaz.' });
    expect(await status(t)).toEqual({ needsSetup: true, demoAvailable: false });
  });

  it('requires the setup token when one is configured', async () => {
    t = await createTestApp(kind, { setupToken: 'kurulum-anahtari-0123456789' });
    const missing = await create(t, ADMIN);
    expect(missing.statusCode).toBe(403);
    expect(apiError(missing).code).toBe('setup-token-invalid');
    const wrong = await create(t, { ...ADMIN, setupToken: 'yanlis' });
    expect(wrong.statusCode).toBe(403);
    const right = await create(t, { ...ADMIN, setupToken: 'kurulum-anahtari-0123456789' });
    expect(right.statusCode).toBe(201);
  });
});
