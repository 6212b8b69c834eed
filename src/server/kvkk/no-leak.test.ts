import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * KVKK: a citizen's phone or e-mail in a request (a data-protection officer's filter, a request
 * with bad input) never reaches the server's log, and errors do not echo it back.
 */
forEachBackend('no personal data in logs or errors', (kind) => {
  let t: TestApp;
  let token = '';
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } },
    );
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    token = (await login(t, 'yonetici')).accessToken;
  });
  afterAll(() => t?.close());

  it('logs the path of a request, not its query, and refuses bad input without repeating it', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/kvkk/access-log?phone=05321234567&email=ayse%40example.org',
      headers: bearer(token),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/kvkk/access-log?phone=0532123456799999',
      headers: bearer(token),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('0532123456799999');
    const created = await t.app.inject({
      method: 'POST',
      url: '/kvkk/requests',
      headers: bearer(token),
      payload: { kind: 'access', email: 'not-an-email 0532 123 45 67' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.body).not.toContain('0532 123 45 67');

    const log = lines.join('\n');
    expect(log).toContain('/kvkk/access-log');
    for (const personal of ['5321234567', 'ayse', '0532123456799999', '0532 123 45 67']) {
      expect(log).not.toContain(personal);
    }
  });
});
