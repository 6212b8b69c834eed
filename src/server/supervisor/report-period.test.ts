import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * Report periods outside the product's lifetime (years 2000–2099) are a clear 400 with a Turkish
 * message, not a 500 from date arithmetic that overflows (issue #12, item 8).
 */
forEachBackend('report months and days outside 2000–2099', (kind) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'bsup', role: 'supervisor', orgCode: 'bikom' });
    token = (await login(t, 'bsup')).accessToken;
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('the monthly PDF refuses month 9999-12 and 0000-01 with 400, and still makes 2026-02', async () => {
    for (const month of ['9999-12', '0000-01', '1999-12', '2100-01']) {
      const res = await get(`/supervisor/report.pdf?month=${month}`);
      expect(res.statusCode, `${month}: ${res.body}`).toBe(400);
      expect(apiError(res).fields?.month).toBe('Yıl 2000 ile 2099 arasında olmalıdır.');
    }
    const ok = await get('/supervisor/report.pdf?month=2026-02');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('pdf');
  });

  it('period figures and exports refuse days outside the range the same way', async () => {
    for (const url of [
      '/supervisor/sla?from=0000-01-01&to=0000-12-31',
      '/supervisor/volumes?from=9999-01-01&to=9999-12-31',
      '/supervisor/export?report=sla&format=csv&from=9999-12-01&to=9999-12-31',
    ]) {
      const res = await get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
    }
  });
});
