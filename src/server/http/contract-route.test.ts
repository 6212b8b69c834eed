import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, endpoint, type AnyEndpoint } from '../../domain/api';
import { createTestApp, type TestApp } from '../../../test/support/server-app';
import { checkContractResponses, contractRoute } from './contract-route';
import { installErrorHandling } from './error-handler';
import { routesOf } from './route-catalogue';
import { zodValidatorCompiler } from './validation';

const entries = Object.entries(contract).flatMap(([area, group]) =>
  Object.entries(group as Record<string, AnyEndpoint>).map(([name, entry]) => ({
    name: `${area}.${name}`,
    entry,
  })),
);

describe('the HTTP contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is served: every entry is a route of the API, public exactly when the entry says', () => {
    const routes = routesOf(t.app);
    for (const { name, entry } of entries) {
      const route = routes.find((r) => r.method === entry.method && r.url === entry.path);
      expect(route, `${name}: ${entry.method} ${entry.path}`).toBeDefined();
      expect(route?.public, name).toBe(entry.public);
      expect(route?.schema?.body, name).toBe(entry.body);
      expect(route?.schema?.querystring, name).toBe(entry.query);
      expect(route?.schema?.params, name).toBe(entry.params);
    }
  });

  it('declares each route once', () => {
    const keys = entries.map(({ entry }) => `${entry.method} ${entry.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('a contract route', () => {
  const echo = endpoint('POST', '/echo/:n', {
    params: z.strictObject({ n: z.coerce.number().int() }),
    body: z.strictObject({ name: z.string() }),
    status: 201,
    response: z.object({ n: z.number(), name: z.string() }),
  });

  const appWith = async (check: boolean, answer: (n: number, name: string) => unknown) => {
    const app = Fastify({ logger: false });
    if (check) checkContractResponses(app);
    app.setValidatorCompiler(zodValidatorCompiler);
    installErrorHandling(app);
    // A handler that breaks its contract on purpose (the cast stands for a type error).
    contractRoute(
      app,
      echo,
      {},
      async (request) => answer(request.params.n, request.body.name) as { n: number; name: string },
    );
    await app.ready();
    return app;
  };

  it('answers with the entry’s status and refuses bad input with the API’s 400', async () => {
    const app = await appWith(true, (n, name) => ({ n, name }));
    const ok = await app.inject({ method: 'POST', url: '/echo/7', payload: { name: 'Ayşe' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ n: 7, name: 'Ayşe' });
    const bad = await app.inject({ method: 'POST', url: '/echo/x', payload: { name: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation');
    await app.close();
  });

  it('fails an answer that drifted from the contract when checks are on, and only then', async () => {
    const drifted = (n: number, name: string) => ({ n: String(n), fullName: name });
    const checked = await appWith(true, drifted);
    const refused = await checked.inject({
      method: 'POST',
      url: '/echo/7',
      payload: { name: 'A' },
    });
    expect(refused.statusCode).toBe(500);
    await checked.close();
    const unchecked = await appWith(false, drifted);
    const sent = await unchecked.inject({ method: 'POST', url: '/echo/7', payload: { name: 'A' } });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toEqual({ n: '7', fullName: 'A' });
    await unchecked.close();
  });
});
