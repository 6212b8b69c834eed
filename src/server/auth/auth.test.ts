import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  PASSWORD,
  type TestApp,
} from '../../../test/support/server-app';

forEachBackend('authentication', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'ayse', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'mehmet', role: 'desk', orgCode: 'ilce.nilufer' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: object, token?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      ...(token !== undefined ? { headers: bearer(token) } : {}),
    });
  const me = (token: string) =>
    t.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) });

  describe('login', () => {
    it('returns opaque tokens and a user with organisation kind and district', async () => {
      const res = await post('/auth/login', {
        username: 'mehmet',
        password: PASSWORD,
        clientId: 'install-mehmet-1',
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<Record<string, unknown>>();
      expect(body).toMatchObject({
        tokenType: 'Bearer',
        accessExpiresAt: '2026-03-02T09:15:00.000Z',
        refreshExpiresAt: '2026-03-02T21:00:00.000Z',
        user: {
          username: 'mehmet',
          role: 'desk',
          orgCode: 'ilce.nilufer',
          orgKind: 'district-municipality',
          districtCode: 'nilufer',
        },
      });
      expect(body.accessToken).toMatch(/^a153a_[A-Za-z0-9_-]{43}$/);
      expect(body.refreshToken).toMatch(/^a153r_[A-Za-z0-9_-]{43}$/);

      const who = await me(body.accessToken as string);
      expect(who.statusCode).toBe(200);
      expect(who.json()).toMatchObject({
        sessionId: body.sessionId,
        clientId: 'install-mehmet-1',
        user: { username: 'mehmet', orgKind: 'district-municipality' },
      });
    });

    it('stores only hashes of the tokens, and records the installation', async () => {
      const tokens = await login(t, 'ayse', PASSWORD, 'install-ayse-1');
      const session = await t.backend.db
        .selectFrom('session')
        .selectAll()
        .where('id', '=', tokens.sessionId)
        .executeTakeFirstOrThrow();
      expect(session.access_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(session)).not.toContain(tokens.accessToken);
      expect(JSON.stringify(session)).not.toContain(tokens.refreshToken);
      const client = await t.backend.db
        .selectFrom('client')
        .selectAll()
        .where('id', '=', 'install-ayse-1')
        .executeTakeFirstOrThrow();
      expect(client.last_mutation_id).toBe(0);
    });

    it('ignores case and surrounding spaces in the username', async () => {
      const res = await post('/auth/login', {
        username: '  AYSE ',
        password: PASSWORD,
        clientId: 'install-ayse-1',
      });
      expect(res.statusCode).toBe(200);
    });

    it('answers a wrong password and an unknown user identically', async () => {
      const wrong = await post('/auth/login', {
        username: 'ayse',
        password: 'yanlış-parola',
        clientId: 'install-x-1',
      });
      const unknown = await post('/auth/login', {
        username: 'kimse-yok',
        password: 'yanlış-parola',
        clientId: 'install-x-1',
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.body).toBe(unknown.body);
      expect(apiError(wrong)).toMatchObject({
        code: 'invalid-credentials',
        userMessage: 'Kullanıcı adı veya parola hatalı.',
      });
      // Reset ayse's counter for the lockout tests.
      await login(t, 'ayse');
    });
  });

  describe('lockout', () => {
    it('locks a username after five consecutive failures, in Turkish time, until it expires', async () => {
      await createUser(t, { username: 'kilit' });
      const attempt = (password: string) =>
        post('/auth/login', { username: 'kilit', password, clientId: 'install-k-1' });
      for (let i = 0; i < 4; i++) expect((await attempt('yanlış-parola')).statusCode).toBe(401);
      const fifth = await attempt('yanlış-parola');
      expect(fifth.statusCode).toBe(429);
      expect(apiError(fifth)).toEqual({
        code: 'login-locked',
        message: 'Too many failed logins; locked until 2026-03-02T09:15:00.000Z.',
        userMessage:
          'Çok fazla hatalı giriş denemesi yapıldı. Güvenliğiniz için giriş 02.03.2026 12:15 saatine kadar engellendi.',
        retryAt: '2026-03-02T09:15:00.000Z',
      });
      expect(fifth.headers['retry-after']).toBe('900');

      // Even the right password is refused while locked.
      expect((await attempt(PASSWORD)).statusCode).toBe(429);
      t.clock.advance(14 * 60);
      expect((await attempt(PASSWORD)).statusCode).toBe(429);
      t.clock.advance(60);
      expect((await attempt(PASSWORD)).statusCode).toBe(200);

      // A success resets the count: four more failures do not lock.
      for (let i = 0; i < 4; i++) expect((await attempt('yanlış-parola')).statusCode).toBe(401);
      expect((await attempt(PASSWORD)).statusCode).toBe(200);
    });

    it('locks unknown usernames the same way, so lockout does not reveal accounts', async () => {
      await createUser(t, { username: 'gercek' });
      const attempt = (username: string) =>
        post('/auth/login', { username, password: 'yanlış-parola', clientId: 'install-k-2' });
      const real: string[] = [];
      const fake: string[] = [];
      for (let i = 0; i < 6; i++) {
        real.push((await attempt('gercek')).body);
        fake.push((await attempt('hayali')).body);
      }
      expect(real).toEqual(fake);
      expect(JSON.parse(fake[5] ?? '{}')).toMatchObject({ error: { code: 'login-locked' } });
      t.clock.advance(15 * 60);
    });

    it('tells a deactivated user so only when the password is right', async () => {
      const id = await createUser(t, { username: 'pasif' });
      await t.backend.db.updateTable('app_user').set({ active: 0 }).where('id', '=', id).execute();
      const right = await post('/auth/login', {
        username: 'pasif',
        password: PASSWORD,
        clientId: 'install-p-1',
      });
      expect(right.statusCode).toBe(403);
      expect(apiError(right).code).toBe('account-disabled');
      const wrong = await post('/auth/login', {
        username: 'pasif',
        password: 'yanlış-parola',
        clientId: 'install-p-1',
      });
      expect(apiError(wrong).code).toBe('invalid-credentials');
    });
  });

  describe('tokens', () => {
    it('expires the access token after its TTL', async () => {
      const tokens = await login(t, 'ayse');
      t.clock.advance(15 * 60 - 1);
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      t.clock.advance(1);
      const res = await me(tokens.accessToken);
      expect(res.statusCode).toBe(401);
      expect(apiError(res)).toMatchObject({
        code: 'token-expired',
        userMessage: 'Oturumunuz sona erdi. Lütfen yeniden giriş yapın.',
      });
    });

    it('rotates the pair on refresh; the old access token stops working', async () => {
      const first = await login(t, 'ayse');
      t.clock.advance(60);
      const res = await post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(res.statusCode).toBe(200);
      const second = res.json<{ sessionId: string; accessToken: string; refreshToken: string }>();
      expect(second.sessionId).toBe(first.sessionId);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect((await me(second.accessToken)).statusCode).toBe(200);
      expect(apiError(await me(first.accessToken)).code).toBe('token-invalid');
    });

    it('treats a reused refresh token as a replay and revokes the whole session', async () => {
      const first = await login(t, 'ayse');
      const rotated = (await post('/auth/refresh', { refreshToken: first.refreshToken })).json<{
        accessToken: string;
        refreshToken: string;
      }>();
      const replay = await post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(replay.statusCode).toBe(401);
      expect(apiError(replay).code).toBe('token-replayed');
      // The legitimate holder's tokens die with the session.
      expect(apiError(await me(rotated.accessToken)).code).toBe('token-revoked');
      const next = await post('/auth/refresh', { refreshToken: rotated.refreshToken });
      expect(apiError(next).code).toBe('token-revoked');
    });

    it('lets only one of two racing refreshes win, and revokes on the loser', async () => {
      const tokens = await login(t, 'ayse');
      const results = await Promise.all([
        post('/auth/refresh', { refreshToken: tokens.refreshToken }),
        post('/auth/refresh', { refreshToken: tokens.refreshToken }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
      const session = await t.backend.db
        .selectFrom('session')
        .select('revoked_reason')
        .where('id', '=', tokens.sessionId)
        .executeTakeFirstOrThrow();
      expect(session.revoked_reason).toBe('refresh-replay');
    });

    it('refuses a refresh token at the end of the shift and an unknown one', async () => {
      const tokens = await login(t, 'ayse');
      t.clock.advance(12 * 3600);
      // The refresh TTL and the absolute lifetime are both 12 h by default: the lifetime says why.
      expect(
        apiError(await post('/auth/refresh', { refreshToken: tokens.refreshToken })).code,
      ).toBe('session-expired');
      expect(apiError(await post('/auth/refresh', { refreshToken: 'a153r_nope' })).code).toBe(
        'token-invalid',
      );
    });

    it('ends the session on logout, refresh token included', async () => {
      const tokens = await login(t, 'ayse');
      // In use (so answered from the session cache from now on).
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      const out = await t.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: bearer(tokens.accessToken),
      });
      expect(out.statusCode).toBe(204);
      expect(apiError(await me(tokens.accessToken)).code).toBe('token-revoked');
      expect(
        apiError(await post('/auth/refresh', { refreshToken: tokens.refreshToken })).code,
      ).toBe('token-revoked');
    });
  });

  describe('session cache', () => {
    it('keeps a session in memory at most ALO153_SESSION_CACHE_SECONDS past a change behind the API', async () => {
      const id = await createUser(t, { username: 'onbellek' });
      const tokens = await login(t, 'onbellek');
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      // Not through the API (which would drop cached sessions at once): only the TTL bounds it.
      await t.backend.db.updateTable('app_user').set({ active: 0 }).where('id', '=', id).execute();
      t.clock.advance(9);
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      t.clock.advance(1);
      expect(apiError(await me(tokens.accessToken)).code).toBe('token-revoked');
    });

    it('still expires a cached access token exactly at its TTL', async () => {
      const tokens = await login(t, 'ayse');
      t.clock.advance(15 * 60 - 5);
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      t.clock.advance(5);
      expect(apiError(await me(tokens.accessToken)).code).toBe('token-expired');
    });
  });

  describe('housekeeping', () => {
    it('prunes sessions a day after their refresh token expired, retired tokens too', async () => {
      const { pruneExpiredSessions } = await import('./sessions');
      const tokens = await login(t, 'ayse');
      await post('/auth/refresh', { refreshToken: tokens.refreshToken });
      const sessions = async () =>
        (
          await t.backend.db
            .selectFrom('session')
            .select('id')
            .where('id', '=', tokens.sessionId)
            .execute()
        ).length;
      const retired = async () =>
        (
          await t.backend.db
            .selectFrom('retired_refresh_token')
            .select('refresh_hash')
            .where('session_id', '=', tokens.sessionId)
            .execute()
        ).length;
      expect(await retired()).toBe(1);
      t.clock.advance(12 * 3600 + 23 * 3600);
      await pruneExpiredSessions(t.backend.db, t.clock.now());
      expect(await sessions()).toBe(1);
      t.clock.advance(2 * 3600);
      await pruneExpiredSessions(t.backend.db, t.clock.now());
      expect(await sessions()).toBe(0);
      expect(await retired()).toBe(0);
    });
  });

  describe('password change', () => {
    it('checks the current password and the policy, in Turkish, per field', async () => {
      await createUser(t, { username: 'parolaci' });
      const tokens = await login(t, 'parolaci');
      const wrong = await post(
        '/auth/password',
        { currentPassword: 'yanlış-parola', newPassword: 'yepyeni-parola-1' },
        tokens.accessToken,
      );
      expect(wrong.statusCode).toBe(400);
      expect(apiError(wrong).fields).toEqual({ currentPassword: 'Mevcut parola hatalı.' });
      const short = await post(
        '/auth/password',
        { currentPassword: PASSWORD, newPassword: 'kısa' },
        tokens.accessToken,
      );
      expect(short.statusCode).toBe(400);
      expect(apiError(short).fields).toEqual({
        newPassword: 'Parola en az 10 karakter olmalıdır.',
      });
      const same = await post(
        '/auth/password',
        { currentPassword: PASSWORD, newPassword: PASSWORD },
        tokens.accessToken,
      );
      expect(apiError(same).fields).toEqual({ newPassword: 'Yeni parola eskisiyle aynı olamaz.' });
    });

    it('changes the password and ends the other sessions but not this one', async () => {
      await createUser(t, { username: 'degistiren' });
      const here = await login(t, 'degistiren');
      const elsewhere = await login(t, 'degistiren');
      const res = await post(
        '/auth/password',
        { currentPassword: PASSWORD, newPassword: 'yepyeni-parola-1' },
        here.accessToken,
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ revokedSessions: 1 });
      expect((await me(here.accessToken)).statusCode).toBe(200);
      expect(apiError(await me(elsewhere.accessToken)).code).toBe('token-revoked');
      await expect(login(t, 'degistiren')).rejects.toThrow(/401/);
      await login(t, 'degistiren', 'yepyeni-parola-1');
    });
  });
});

forEachBackend('password hashes', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { scrypt: { logN: 11, r: 8, p: 1 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('re-hashes a password stored with a lower cost at the next login', async () => {
    const id = await createUser(t, { username: 'eski' });
    // createUser hashes with the test hasher's cost (11); store a cheaper one directly.
    const { hashPassword } = await import('./password');
    const cheap = await hashPassword(PASSWORD, { logN: 10, r: 8, p: 1 });
    await t.backend.db
      .updateTable('app_user')
      .set({ password_hash: cheap })
      .where('id', '=', id)
      .execute();
    await login(t, 'eski');
    const row = await t.backend.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$ln=11,r=8,p=1\$/);
    await login(t, 'eski');
  });
});

forEachBackend('per-IP rate limit on login', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { loginRateLimitMax: 3, loginRateLimitWindowSeconds: 60 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After past the limit, for that address only', async () => {
    const attempt = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress,
        payload: { username: 'kimse', password: 'x', clientId: 'install-r-1' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt('10.0.0.1')).statusCode).toBe(401);
    const limited = await attempt('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(apiError(limited)).toMatchObject({
      code: 'rate-limited',
      userMessage: 'Çok fazla deneme yapıldı. Lütfen biraz bekleyip tekrar deneyin.',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('10.0.0.2')).statusCode).toBe(401);
  });
});
