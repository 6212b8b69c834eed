import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseServerConfig } from '../config';
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
import { hashPassword } from './password';
import { insertUser } from './users';

forEachBackend('absolute session lifetime', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Refresh tokens live an hour; a session at most the default 12 h (ALO153_SESSION_MAX_HOURS).
    t = await createTestApp(kind, { refreshTokenTtlSeconds: 3600 });
    await createUser(t, { username: 'vardiya' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  it('refuses to refresh a session past 12 hours however often it was refreshed, and says why', async () => {
    const started = t.clock.now().getTime();
    const end = new Date(started + 12 * 3600_000).toISOString();
    let tokens = await login(t, 'vardiya');
    // Refresh every 50 minutes, as a busy desk does, for a whole shift.
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      t.clock.advance(50 * 60);
      const res = await refresh(tokens.refreshToken);
      expect(res.statusCode).toBe(200);
      tokens = res.json();
      // No token of the session outlives the end of the shift.
      expect(tokens.refreshExpiresAt <= end).toBe(true);
      expect(tokens.accessExpiresAt <= end).toBe(true);
    }
    // 11 h 50 min: the new access token ends with the session, not 15 minutes later.
    t.clock.advance(10 * 60);
    tokens = (await refresh(tokens.refreshToken)).json();
    expect(tokens.accessExpiresAt).toBe(end);
    expect(tokens.refreshExpiresAt).toBe(end);
    t.clock.advance(10 * 60);
    const refused = await refresh(tokens.refreshToken);
    expect(refused.statusCode).toBe(401);
    expect(apiError(refused)).toMatchObject({
      code: 'session-expired',
      userMessage:
        'Oturumunuz en uzun süresine (12 saat) ulaştı. Güvenliğiniz için lütfen yeniden giriş yapın.',
    });
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(tokens.accessToken),
    });
    expect(me.statusCode).toBe(401);
    // Signing in again starts a new shift.
    const again = await login(t, 'vardiya');
    t.clock.advance(50 * 60);
    expect((await refresh(again.refreshToken)).statusCode).toBe(200);
  });

  it('still ends an idle session when its refresh token expires', async () => {
    const tokens = await login(t, 'vardiya');
    t.clock.advance(3600);
    expect(apiError(await refresh(tokens.refreshToken)).code).toBe('token-expired');
  });
});

forEachBackend('password hashing cost', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // The production default, not the cheap cost the other tests use.
    t = await createTestApp(kind, { scrypt: parseServerConfig({}).scrypt });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('defaults to OWASP’s minimum N = 2^17 and re-hashes an old 2^15 hash at the next sign-in', async () => {
    expect(t.backend.config.scrypt).toEqual({ logN: 17, r: 8, p: 1 });
    const id = await insertUser(t.backend.db, {
      username: 'eski.kullanici',
      displayName: 'Eski Kullanıcı',
      passwordHash: await hashPassword(PASSWORD, { logN: 15, r: 8, p: 1 }),
      role: 'agent',
      orgCode: 'bikom',
      now: t.clock.now().toISOString(),
    });
    const stored = async () =>
      (
        await t.backend.db
          .selectFrom('app_user')
          .select('password_hash')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).password_hash;
    expect(await stored()).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
    await login(t, 'eski.kullanici');
    expect(await stored()).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
    // The new hash verifies, and a wrong password still does not.
    await login(t, 'eski.kullanici');
    await expect(login(t, 'eski.kullanici', 'yanlış-parola')).rejects.toThrow(/401/);
  });
});
