import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PushResponse } from '../../domain/sync';
import {
  postForm,
  setUpWebForm,
  webForm,
  type Open311Fixture,
} from '../../../test/support/open311';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * A NUL (or another control character, or half a surrogate pair) in any text field is refused
 * with a clear 4xx by every route, on PostgreSQL (which cannot store NUL and answered 500) as on
 * SQLite (which stored it): the two backends answer the same.
 */
forEachBackend('control characters in text are refused at every boundary', (kind) => {
  let t: TestApp;
  let f: Open311Fixture;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await setUpWebForm(t);
    tokens.admin = f.adminToken;
    for (const [username, role, orgCode] of [
      ['ajan', 'agent', 'bikom'],
      ['bsup', 'supervisor', 'bikom'],
    ] as const) {
      ids[username] = await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const counts = async () => {
    const db = t.backend.db;
    const n = async (table: 'sok' | 'app_user' | 'api_key' | 'mutation_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      sok: await n('sok'),
      users: await n('app_user'),
      keys: await n('api_key'),
      names: (await db.selectFrom('app_user').select('display_name').execute())
        .map((u) => u.display_name)
        .sort(),
    };
  };

  for (const [label, bad] of [
    ['NUL', 'Ayşe\u0000Işık'],
    ['ESC', 'Ayşe\u001bIşık'],
    ['a lone surrogate', 'Ayşe\ud800Işık'],
  ] as const) {
    it(`${label}: sign-in, admin, supervisor and Open311 answer 400; a push rejects the mutation`, async () => {
      const before = await counts();

      const signIn = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: bad, password: 'doğru-parola-123', clientId: 'fuzz-client-1' },
      });
      expect(signIn.statusCode, signIn.body).toBe(400);
      expect(apiError(signIn).fields?.username).toMatch(/karakter/);

      const rename = await t.app.inject({
        method: 'PATCH',
        url: `/admin/users/${ids.ajan!}`,
        headers: bearer(tokens.admin!),
        payload: { displayName: bad },
      });
      expect(rename.statusCode, rename.body).toBe(400);
      expect(apiError(rename).fields?.displayName).toMatch(/karakter/);

      const key = await t.app.inject({
        method: 'POST',
        url: '/admin/api-keys',
        headers: bearer(tokens.admin!),
        payload: { name: bad, actingUserId: f.serviceUserId },
      });
      expect(key.statusCode, key.body).toBe(400);

      const assign = await t.app.inject({
        method: 'POST',
        url: '/supervisor/callbacks/assign',
        headers: bearer(tokens.bsup!),
        payload: { sokId: '5b0f3c1e-8a51-4b7e-9a53-0c8d6e1f2a3b', userId: bad },
      });
      expect(assign.statusCode, assign.body).toBe(400);

      // A form cannot carry half a surrogate pair (UTF-8 has no encoding for it; the form
      // parser reads invalid UTF-8 as U+FFFD, a character like any other): JSON can (\ud800).
      if (label !== 'a lone surrogate') {
        const web = await postForm(t, webForm(f.apiKey, { first_name: bad }));
        expect(web.statusCode, web.body).toBe(400);
        const webDescription = await postForm(
          t,
          webForm(f.apiKey, { description: `Çöpler alınmadı ${bad}` }),
        );
        expect(webDescription.statusCode, webDescription.body).toBe(400);
      }

      const push = await t.app.inject({
        method: 'POST',
        url: '/sync/push',
        headers: bearer(tokens.ajan!),
        payload: {
          mutations: [{ id: 1, kind: 'sok.create', payload: sokDraft({ citizenName: bad }) }],
        },
      });
      expect(push.statusCode, push.body).toBeLessThan(500);
      if (push.statusCode === 200) {
        expect(push.json<PushResponse>().results[0]).toMatchObject({
          status: 'rejected',
          error: { code: 'validation', fields: { citizenName: expect.stringMatching(/karakter/) } },
        });
      }

      expect(await counts()).toEqual(before);
    });
  }
});
