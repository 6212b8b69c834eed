import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { formatRegNo, REG_NO_MAX_SEQUENCE } from '../../domain/regno';
import type { PullResponse, PushResponse } from '../../domain/sync';
import type { ServerConfigInput } from '../config';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';

forEachBackend('the number plan', (kind) => {
  let t: TestApp | undefined;
  let logLines: { level: number; msg: string }[] = [];
  afterEach(() => t?.close());

  const start = async (config: ServerConfigInput = {}) => {
    logLines = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    t = await createTestApp(kind, config, { logger: { level: 'info', stream } });
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    return { app: t, token: (await login(t, 'ajan1')).accessToken };
  };
  const lease = (app: TestApp, token: string) =>
    app.app.inject({
      method: 'POST',
      url: '/sync/number-blocks',
      headers: bearer(token),
      payload: {},
    });
  const setCounter = (app: TestApp, value: number) =>
    app.backend.db.updateTable('counter').set({ value }).where('name', '=', 'reg_no').execute();
  const push = (app: TestApp, token: string, mutations: unknown[]) =>
    app.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });

  it('limits how many blocks one user leases per hour, counted in the database', async () => {
    const { app, token } = await start({ numberLeasesPerHour: 3 });
    for (let i = 0; i < 3; i++) expect((await lease(app, token)).statusCode).toBe(200);
    // Another desk of the same user (a new stream) is the same user.
    const second = (await login(app, 'ajan1')).accessToken;
    const refused = await lease(app, second);
    expect(refused.statusCode).toBe(429);
    expect(apiError(refused)).toMatchObject({
      code: 'rate-limited',
      message: expect.stringContaining('3 number blocks per user per hour'),
      userMessage: expect.stringContaining('kayıt numarası'),
      retryAt: '2026-03-02T10:00:00.000Z',
    });
    app.clock.advance(3601);
    const later = (await login(app, 'ajan1')).accessToken; // the access token has expired
    expect((await lease(app, later)).statusCode).toBe(200);
  });

  it('holds each user to a ceiling of leased numbers not yet used', async () => {
    const { app, token } = await start({ numberBlockSize: 5, numberLeaseMaxOutstanding: 10 });
    const first = (await lease(app, token)).json<{ start: number; endIncl: number }>();
    expect((await lease(app, token)).statusCode).toBe(200);
    const refused = await lease(app, token);
    expect(refused.statusCode).toBe(409);
    expect(apiError(refused)).toMatchObject({
      code: 'conflict',
      message: 'This user holds 10 leased numbers not yet used; at most 10 may be held.',
      userMessage: expect.stringContaining('Kullanılmamış 10 kayıt numaranız var'),
    });
    // Using the first block's numbers frees room for another block.
    const used = await push(
      app,
      token,
      [0, 1, 2, 3, 4].map((i) => ({
        id: i + 1,
        kind: 'sok.create',
        payload: sokDraft({ regNo: formatRegNo(first.start + i) }),
      })),
    );
    expect(used.json<PushResponse>().results.every((r) => r.status === 'applied')).toBe(true);
    expect((await lease(app, token)).statusCode).toBe(200);
  });

  it('stops leasing before the reserve, and server-numbered ŞÖKs still register', async () => {
    const { app, token } = await start({ numberReserve: 1000 });
    const end = REG_NO_MAX_SEQUENCE - 1000;
    await setCounter(app, end - 60);
    const last = await lease(app, token);
    expect(last.json()).toEqual({ start: end - 59, endIncl: end - 10 });
    const refused = await lease(app, token);
    expect(refused.statusCode).toBe(409);
    expect(apiError(refused)).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('no longer leased'),
      userMessage: expect.stringContaining('numara verilmiyor'),
    });
    // Nothing past the leasable end was leased.
    const blocks = await app.backend.db.selectFrom('number_block').select('end_incl').execute();
    expect(Math.max(...blocks.map((b) => Number(b.end_incl)))).toBeLessThanOrEqual(end);

    const draft = sokDraft();
    const res = await push(app, token, [{ id: 1, kind: 'sok.create', payload: draft }]);
    expect(res.json<PushResponse>().results).toEqual([{ id: 1, status: 'applied' }]);
    const page = (
      await app.app.inject({ method: 'GET', url: '/sync/pull?cursor=0', headers: bearer(token) })
    ).json<PullResponse>();
    const sok = page.changes.find((c) => c.op === 'upsert');
    expect(sok).toMatchObject({ sok: { id: draft.id, regNo: formatRegNo(end - 9) } });
  });

  it('at 9,999,999 a new ŞÖK is refused with a clear reason, never a 500', async () => {
    const { app, token } = await start();
    await setCounter(app, REG_NO_MAX_SEQUENCE - 1);
    const lastOne = sokDraft();
    const tooMany = sokDraft();
    const after = await push(app, token, [
      { id: 1, kind: 'sok.create', payload: lastOne },
      { id: 2, kind: 'sok.create', payload: tooMany },
    ]);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json<PushResponse>().results).toEqual([
      { id: 1, status: 'applied' },
      {
        id: 2,
        status: 'rejected',
        error: { code: 'conflict', message: expect.stringContaining('Kayıt numaraları tükendi') },
        entity: null,
      },
    ]);
    const counter = await app.backend.db
      .selectFrom('counter')
      .select('value')
      .where('name', '=', 'reg_no')
      .executeTakeFirstOrThrow();
    expect(Number(counter.value)).toBe(REG_NO_MAX_SEQUENCE);
    const health = await app.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ registrationNumbers: { level: 'exhausted' } });
  });

  it('logs a warning with the lease that crosses 80 %, and an error when leasing stops', async () => {
    const { app, token } = await start({ numberReserve: 100_000 });
    const end = REG_NO_MAX_SEQUENCE - 100_000;
    await setCounter(app, Math.floor(end * 0.8) - 10);
    expect((await lease(app, token)).statusCode).toBe(200);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'registration numbers: 80% of the leasable space is used',
      }),
    );
    expect((await lease(app, token)).statusCode).toBe(200);
    expect(logLines.filter((l) => l.msg.includes('80%'))).toHaveLength(1);
    await setCounter(app, end - 20);
    expect((await lease(app, token)).statusCode).toBe(409);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'registration numbers: leasing stopped, only the reserve is left',
      }),
    );
  });

  it('warns administrators on GET /health long before the end', async () => {
    const { app } = await start({ numberReserve: 100_000 });
    const health = async () =>
      (await app.app.inject({ method: 'GET', url: '/health' })).json<{
        registrationNumbers: { level: string; message: string | null };
      }>().registrationNumbers;
    expect(await health()).toMatchObject({ level: 'ok', message: null });
    await setCounter(app, Math.ceil((REG_NO_MAX_SEQUENCE - 100_000) * 0.9));
    expect(await health()).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('90% of the leasable registration numbers are used'),
    });
    await setCounter(app, REG_NO_MAX_SEQUENCE - 100_000);
    expect(await health()).toMatchObject({ level: 'leasing-stopped' });
  });
});
