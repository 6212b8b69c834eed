import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { ServerConfigInput } from '../config';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  createTestApp,
  createUser,
  PASSWORD,
  type TestApp,
} from '../../../test/support/server-app';

/** A second API instance on the same database (as behind a load balancer). */
async function secondInstance(t: TestApp): Promise<FastifyInstance> {
  return buildApp({
    db: t.backend.db,
    notifier: new InProcessChangeNotifier(),
    config: t.backend.config,
    clock: t.clock.now,
  });
}

const attempt = (
  app: FastifyInstance,
  username: string,
  password: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: '/auth/login',
    remoteAddress,
    headers,
    payload: { username, password, clientId: 'install-throttle-1' },
  });

forEachBackend('sign-in throttling: nobody can lock somebody else out', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('locks out the address that keeps failing, not the account: the owner signs in at once', async () => {
    await createUser(t, { username: 'hedef', role: 'admin' });
    const desk = '10.20.0.15';
    const attacker = '203.0.113.9';
    expect((await attempt(t.app, 'hedef', PASSWORD, desk)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await attempt(t.app, 'hedef', 'yanlış-parola', attacker)).statusCode).toBe(401);
    }
    const fifth = await attempt(t.app, 'hedef', 'yanlış-parola', attacker);
    expect(fifth.statusCode).toBe(429);
    expect(apiError(fifth).code).toBe('login-locked');
    // The attacker cannot try further, not even with the right password …
    expect(apiError(await attempt(t.app, 'hedef', PASSWORD, attacker)).code).toBe('login-locked');
    // … while the owner, at the desk they use, is not affected at all.
    expect((await attempt(t.app, 'hedef', PASSWORD, desk)).statusCode).toBe(200);
    t.clock.advance(15 * 60);
    expect((await attempt(t.app, 'hedef', PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('slows a distributed attack down (doubling waits up to a ceiling) but never locks the owner out', async () => {
    await createUser(t, { username: 'dagitik' });
    const desk = '10.20.0.16';
    expect((await attempt(t.app, 'dagitik', PASSWORD, desk)).statusCode).toBe(200);
    let n = 0;
    const fresh = () => `198.51.100.${++n}`;
    for (let i = 0; i < 5; i++) {
      expect((await attempt(t.app, 'dagitik', 'yanlış-parola', fresh())).statusCode).toBe(401);
    }
    const waitFor = (res: Awaited<ReturnType<typeof attempt>>) =>
      (Date.parse(apiError(res).retryAt ?? '') - t.clock.now().getTime()) / 1000;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const slowed = await attempt(t.app, 'dagitik', 'yanlış-parola', fresh());
      expect(slowed.statusCode).toBe(429);
      expect(apiError(slowed).code).toBe('login-slowed');
      const wait = waitFor(slowed);
      expect(slowed.headers['retry-after']).toBe(String(wait));
      waits.push(wait);
      t.clock.advance(wait);
      expect((await attempt(t.app, 'dagitik', 'yanlış-parola', fresh())).statusCode).toBe(401);
    }
    // Doubling from 1 s, capped at ALO153_LOGIN_BACKOFF_MAX_SECONDS (60).
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // A new address has to wait, even with the right password: a slowdown, not a lock …
    const slowed = await attempt(t.app, 'dagitik', PASSWORD, fresh());
    expect(apiError(slowed).code).toBe('login-slowed');
    t.clock.advance(waitFor(slowed));
    expect((await attempt(t.app, 'dagitik', PASSWORD, fresh())).statusCode).toBe(200);
    // … and the owner at the desk they signed in from before never waits.
    for (let i = 0; i < 6; i++) await attempt(t.app, 'dagitik', 'yanlış-parola', fresh());
    expect(apiError(await attempt(t.app, 'dagitik', PASSWORD, fresh())).code).toBe('login-slowed');
    expect((await attempt(t.app, 'dagitik', PASSWORD, desk)).statusCode).toBe(200);
  });

  it('treats an unknown username exactly like a real one under a distributed attack', async () => {
    await createUser(t, { username: 'gercek2' });
    const bodies = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        out.push((await attempt(t.app, username, 'yanlış-parola', `192.0.2.${i + 1}`)).body);
      }
      return out;
    };
    expect(await bodies('gercek2')).toEqual(await bodies('hayali2'));
  });

  it('counts failures on every instance alike (the counters are in the shared database)', async () => {
    await createUser(t, { username: 'paylasilan' });
    const other = await secondInstance(t);
    try {
      const source = '203.0.113.50';
      for (let i = 0; i < 2; i++) await attempt(t.app, 'paylasilan', 'yanlış-parola', source);
      for (let i = 0; i < 2; i++) await attempt(other, 'paylasilan', 'yanlış-parola', source);
      const fifth = await attempt(t.app, 'paylasilan', 'yanlış-parola', source);
      expect(apiError(fifth).code).toBe('login-locked');
      expect(apiError(await attempt(other, 'paylasilan', PASSWORD, source)).code).toBe(
        'login-locked',
      );
    } finally {
      await other.close();
    }
  });
});

forEachBackend('per-address rate limit behind trusted proxies', (kind) => {
  const apps: TestApp[] = [];
  const make = async (overrides: ServerConfigInput) => {
    const t = await createTestApp(kind, { loginRateLimitMax: 3, ...overrides });
    apps.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('keys on the address the configured proxy saw, whatever the client writes into X-Forwarded-For', async () => {
    const t = await make({ trustProxy: ['10.0.0.1'] });
    const viaProxy = () =>
      attempt(t.app, 'kimse', 'x', '10.0.0.1', {
        // The client forges a new left-most address each time; the proxy appends the real one.
        'x-forwarded-for': `${randomUUID().slice(0, 3).replace(/\D/g, '1')}.1.2.3, 198.51.100.7`,
      });
    for (let i = 0; i < 3; i++) expect((await viaProxy()).statusCode).toBe(401);
    const limited = await viaProxy();
    expect(limited.statusCode).toBe(429);
    expect(apiError(limited).code).toBe('rate-limited');
    // Another citizen behind the same proxy is not affected.
    const neighbour = await attempt(t.app, 'kimse', 'x', '10.0.0.1', {
      'x-forwarded-for': '198.51.100.8',
    });
    expect(neighbour.statusCode).toBe(401);
    // A client that reaches the API directly cannot borrow someone else's address.
    for (let i = 0; i < 3; i++) {
      await attempt(t.app, 'kimse', 'x', '192.0.2.77', { 'x-forwarded-for': `10.9.0.${i}` });
    }
    const direct = await attempt(t.app, 'kimse', 'x', '192.0.2.77', {
      'x-forwarded-for': '10.9.0.99',
    });
    expect(direct.statusCode).toBe(429);
  });

  it('with a hop count, believes only the addresses the proxies appended', async () => {
    const t = await make({ trustProxy: 1 });
    for (let i = 0; i < 3; i++) {
      await attempt(t.app, 'kimse', 'x', '10.0.0.1', {
        'x-forwarded-for': `172.16.0.${i}, 198.51.100.9`,
      });
    }
    const limited = await attempt(t.app, 'kimse', 'x', '10.0.0.1', {
      'x-forwarded-for': '172.16.0.200, 198.51.100.9',
    });
    expect(limited.statusCode).toBe(429);
  });

  it('allows as much across several instances as one would', async () => {
    const t = await make({});
    const other = await secondInstance(t);
    try {
      await attempt(t.app, 'kimse', 'x', '192.0.2.10');
      await attempt(other, 'kimse', 'x', '192.0.2.10');
      await attempt(t.app, 'kimse', 'x', '192.0.2.10');
      const limited = await attempt(other, 'kimse', 'x', '192.0.2.10');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBe(60);
      t.clock.advance(60);
      expect((await attempt(other, 'kimse', 'x', '192.0.2.10')).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});
