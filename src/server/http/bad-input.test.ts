import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { requireRole } from '../auth/context';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type LoginTokens,
  type TestApp,
} from '../../../test/support/server-app';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

forEachBackend('bad input gets a precise 4xx and writes nothing', (kind) => {
  let t: TestApp;
  let tokens: LoginTokens;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      {
        logger: {
          level: 'info',
          stream: new Writable({
            write(chunk: Buffer, _enc, done) {
              logLines.push(chunk.toString());
              done();
            },
          }),
        },
        extraRoutes: (app) => {
          const r = app.withTypeProvider<ZodTypeProvider>();
          app.get('/test/boom', () => {
            throw new Error('secret internal detail');
          });
          app.get('/test/domain-error', () => {
            throw new AppError('conflict', 'Kayıt başka biri tarafından değiştirildi.');
          });
          app.get('/test/supervisors', { preHandler: requireRole('supervisor') }, () => ({
            ok: true,
          }));
          r.post(
            '/test/echo',
            { schema: { body: z.strictObject({ n: z.number().int() }) } },
            (request) => ({ n: request.body.n }),
          );
          app.get('/test/ws', { websocket: true }, (socket, request) => {
            socket.send(JSON.stringify({ hello: request.auth?.user.username }));
          });
        },
      },
    );
    await createUser(t, { username: 'ayse' });
    tokens = await login(t, 'ayse');
  });
  afterAll(async () => {
    await t?.close();
  });

  async function writes() {
    const db = t.backend.db;
    const [sessions, throttle, users] = await Promise.all([
      db
        .selectFrom('session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
      db
        .selectFrom('login_throttle')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
      db.selectFrom('app_user').select(['failed_logins', 'updated_at']).execute(),
    ]);
    return { sessions: sessions?.n, throttle: throttle?.n, users };
  }

  it('answers malformed JSON with 400 malformed-json', async () => {
    const before = await writes();
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "ayse", "password": ',
    });
    expect(res.statusCode).toBe(400);
    expect(apiError(res)).toEqual({
      code: 'malformed-json',
      message: 'The request body is not valid JSON.',
    });
    expect(await writes()).toEqual(before);
  });

  it('answers an empty JSON body and a prototype-poisoning body with 400 malformed-json', async () => {
    const empty = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(apiError(empty).code).toBe('malformed-json');
    const poisoned = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json', ...bearer(tokens.accessToken) },
      payload: '{"n": 1, "__proto__": {"admin": true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    expect(apiError(poisoned).code).toBe('malformed-json');
  });

  it('answers an oversized body with 413 and the JSON error shape', async () => {
    const before = await writes();
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'ayse', password: 'x'.repeat(300 * 1024), clientId: 'client-0001' },
    });
    expect(res.statusCode).toBe(413);
    expect(apiError(res).code).toBe('payload-too-large');
    expect(await writes()).toEqual(before);
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=ayse',
    });
    expect(res.statusCode).toBe(415);
    expect(apiError(res).code).toBe('unsupported-media-type');
  });

  it('names each wrongly typed or missing field, in Turkish, and writes nothing', async () => {
    const before = await writes();
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 42, clientId: 'client-0001' },
    });
    expect(res.statusCode).toBe(400);
    const error = apiError(res);
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/^The request body is invalid: /);
    expect(error.message).toContain('username');
    expect(error.fields).toEqual({
      username: 'Girilen bilgiler geçersiz.',
      password: 'Bu alan zorunludur.',
    });
    expect(await writes()).toEqual(before);
  });

  it('refuses unknown fields (strict objects)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'ayse', password: 'x', clientId: 'client-0001', role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    const error = apiError(res);
    expect(error.code).toBe('validation');
    expect(error.message).toContain('role');
    expect(error.fields).toEqual({ role: 'Beklenmeyen alan: role' });
  });

  it('refuses a body on a body-less endpoint when it has fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(tokens.accessToken),
      payload: { everything: true },
    });
    expect(res.statusCode).toBe(400);
    expect(apiError(res).fields).toEqual({ everything: 'Beklenmeyen alan: everything' });
  });

  it('answers unknown routes with 404 in the API shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/thing?token=x' });
    expect(res.statusCode).toBe(404);
    expect(apiError(res)).toEqual({ code: 'not-found', message: 'No route GET /no/such/thing.' });
  });

  it('requires a bearer token on non-public routes', async () => {
    for (const headers of [{}, { authorization: 'Basic YXlzZTp4' }, { authorization: 'Bearer' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(apiError(res).code).toBe('token-missing');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const forged = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer('a153a_not-a-real-token'),
    });
    expect(forged.statusCode).toBe(401);
    expect(apiError(forged).code).toBe('token-invalid');
  });

  it('checks the token before reading a body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(401);
  });

  it('lets the role helper refuse other roles with 403', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/test/supervisors',
      headers: bearer(tokens.accessToken),
    });
    expect(res.statusCode).toBe(403);
    expect(apiError(res).code).toBe('forbidden');
  });

  it('validates extra routes with the same zod compiler', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: bearer(tokens.accessToken),
      payload: { n: 3 },
    });
    expect(ok.json()).toEqual({ n: 3 });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: bearer(tokens.accessToken),
      payload: { n: 1.5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(apiError(bad).fields ?? {})).toEqual(['n']);
  });

  it('maps domain errors to their status and never leaks internals on 500', async () => {
    const domain = await t.app.inject({
      method: 'GET',
      url: '/test/domain-error',
      headers: bearer(tokens.accessToken),
    });
    expect(domain.statusCode).toBe(409);
    expect(apiError(domain).code).toBe('conflict');
    const boom = await t.app.inject({
      method: 'GET',
      url: '/test/boom',
      headers: bearer(tokens.accessToken),
    });
    expect(boom.statusCode).toBe(500);
    expect(apiError(boom).code).toBe('internal');
    expect(boom.body).not.toContain('secret');
  });

  it('marks responses as not cacheable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: kind });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('authenticates WebSocket upgrades with the same bearer token', async () => {
    await expect(t.app.injectWS('/test/ws')).rejects.toThrow(/401/);
    let received: (text: string) => void = () => undefined;
    const message = new Promise<string>((resolve) => (received = resolve));
    const socket = await t.app.injectWS(
      '/test/ws',
      { headers: bearer(tokens.accessToken) },
      // Listen before the upgrade completes: the route greets at once.
      { onInit: (ws) => ws.once('message', (data: Buffer) => received(data.toString())) },
    );
    expect(JSON.parse(await message)).toEqual({ hello: 'ayse' });
    socket.terminate();
  });

  it('never writes passwords or tokens to the log', () => {
    const log = logLines.join('\n');
    expect(log).not.toContain('doğru-parola-123');
    expect(log).not.toContain(tokens.accessToken);
    expect(log).not.toContain(tokens.refreshToken);
    expect(log).toContain('request refused');
  });
});
