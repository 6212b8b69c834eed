import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertUser } from '../auth/users';
import { hashToken } from '../auth/tokens';
import { migrateTo } from '../db/migrate';
import { readReferenceFile, seedReferenceData } from '../reference-seed';
import {
  apiError,
  bearer,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import {
  forEachBackend,
  useUnmigratedBackend,
  type TestBackend,
} from '../../../test/support/backends';
import type { ApiKeyDto } from './api-keys';
import { createOpen311App, issueKey } from '../../../test/support/open311';

forEachBackend('admin API keys', (kind) => {
  let t: TestApp;
  let admin: string;
  let serviceUser: string;
  beforeEach(async () => {
    t = await createOpen311App(kind);
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    admin = (await login(t, 'yonetici')).accessToken;
    serviceUser = await createUser(t, { username: 'web-formu', role: 'agent', orgCode: 'bikom' });
  });
  afterEach(() => t.close());

  const list = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/api-keys',
      headers: bearer(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ apiKeys: ApiKeyDto[] }>().apiKeys;
  };

  it('issues a key once, keeping only its hash and a prefix for display', async () => {
    const { key, apiKey } = await issueKey(t, admin, serviceUser, 'Belediye web formu');
    expect(key).toMatch(/^a153k_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'Belediye web formu',
      keyPrefix: key.slice(0, 12),
      actingUserId: serviceUser,
      actingUsername: 'web-formu',
      orgCode: 'bikom',
      createdAt: '2026-03-02T09:00:00.000Z',
      revokedAt: null,
    });
    const listed = await list();
    expect(listed).toEqual([apiKey]);
    expect(JSON.stringify(listed)).not.toContain(key);
    const row = await t.backend.db.selectFrom('api_key').selectAll().executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashToken(key));
    expect(Object.values(row)).not.toContain(key);
  });

  it('revokes a key, idempotently, and 404s an unknown one', async () => {
    const { apiKey } = await issueKey(t, admin, serviceUser);
    t.clock.advance(60);
    const del = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/admin/api-keys/${apiKey.id}`,
        headers: bearer(admin),
      });
    expect((await del()).statusCode).toBe(204);
    t.clock.advance(60);
    expect((await del()).statusCode).toBe(204);
    expect((await list())[0]?.revokedAt).toBe('2026-03-02T09:01:00.000Z');
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: '/admin/api-keys/9a4f1e0c-4c43-4a53-9d2b-3f3c1c1f0a11',
      headers: bearer(admin),
    });
    expect(unknown.statusCode).toBe(404);
    expect(apiError(unknown).code).toBe('not-found');
  });

  it('only issues keys for active accounts that register ŞÖKs', async () => {
    const adminId = (
      await t.backend.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'yonetici')
        .executeTakeFirstOrThrow()
    ).id;
    for (const actingUserId of [adminId, '9a4f1e0c-4c43-4a53-9d2b-3f3c1c1f0a11']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/api-keys',
        headers: bearer(admin),
        payload: { name: 'Form', actingUserId },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(apiError(res).fields?.actingUserId).toBeDefined();
    }
    expect(await list()).toEqual([]);
  });

  it('is for admins only, with the usual bearer authentication', async () => {
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    const agent = (await login(t, 'ajan1')).accessToken;
    const asAgent = await t.app.inject({
      method: 'POST',
      url: '/admin/api-keys',
      headers: bearer(agent),
      payload: { name: 'Form', actingUserId: serviceUser },
    });
    expect(asAgent.statusCode).toBe(403);
    expect(apiError(asAgent).code).toBe('forbidden');
    const anonymous = await t.app.inject({ method: 'GET', url: '/admin/api-keys' });
    expect(anonymous.statusCode).toBe(401);
    expect(await list()).toEqual([]);
  });
});

forEachBackend('migration 0004-api-keys', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('adds the key table next to existing users, enforces its references, and goes back', async () => {
    const to = (name: string) => migrateTo(b.db, name);
    await to('0003-intake-routing');
    await seedReferenceData(b.db, readReferenceFile(b.config.referenceFile));
    const now = '2026-03-02T09:00:00.000Z';
    const userId = await insertUser(b.db, {
      username: 'web-formu',
      displayName: 'Web formu',
      passwordHash: 'x',
      role: 'agent',
      orgCode: 'bikom',
      now,
    });

    await to('0004-api-keys');
    const key = {
      id: 'k1',
      name: 'Web formu',
      key_prefix: 'a153k_abcdef',
      key_hash: hashToken('a153k_abcdef'),
      acting_user_id: userId,
      org_code: 'bikom',
      created_by: userId,
      created_at: now,
      revoked_at: null,
    };
    await b.db.insertInto('api_key').values(key).execute();
    expect(await b.db.selectFrom('api_key').selectAll().execute()).toEqual([key]);
    expect((await b.db.selectFrom('app_user').select('id').execute()).map((u) => u.id)).toEqual([
      userId,
    ]);
    // One hash, one key; and the acting user must exist.
    await expect(
      b.db
        .insertInto('api_key')
        .values({ ...key, id: 'k2' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      b.db
        .insertInto('api_key')
        .values({ ...key, id: 'k3', key_hash: 'other', acting_user_id: 'nobody' })
        .execute(),
    ).rejects.toThrow();

    await to('0003-intake-routing');
    await expect(b.db.selectFrom('api_key').selectAll().execute()).rejects.toThrow();
    expect(await b.db.selectFrom('app_user').select('username').execute()).toEqual([
      { username: 'web-formu' },
    ]);
  });
});
