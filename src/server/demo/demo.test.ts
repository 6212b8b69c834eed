import { afterEach, expect, it } from 'vitest';
import { buildApp } from '../app';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import { readReferenceFile, seedReferenceData } from '../reference-seed';
import { readRoutingFile, seedRoutingRules } from '../routing/rules';
import {
  createTestBackend,
  forEachBackend,
  type TestBackend,
} from '../../../test/support/backends';
import { DEMO_PASSWORD, DEMO_USERS } from './accounts';
import { DemoRefusedError, seedDemo } from './seed';

/**
 * The demo month goes through the API's own rules (nothing refused), reaches every state a
 * newcomer should see, and can never touch a server that has users. The month ends on Monday
 * 30 November 2026, 15:00 in Istanbul (no public holiday in the month before).
 */
const NOW = new Date('2026-11-30T12:00:00.000Z');

forEachBackend('demo month', (kind) => {
  let backend: TestBackend | undefined;
  afterEach(async () => {
    await backend?.drop();
    backend = undefined;
  });

  const fresh = async (overrides: { demoAllowed?: boolean } = {}) => {
    backend = await createTestBackend(kind, overrides);
    await seedReferenceData(backend.db, readReferenceFile(backend.config.referenceFile));
    await seedRoutingRules(
      backend.db,
      readRoutingFile(backend.config.routingFile),
      '2026-10-01T08:00:00.000Z',
    );
    return backend;
  };
  const count = async (b: TestBackend, table: 'app_user' | 'sok' | 'call_log') =>
    Number(
      (
        await b.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('fills an empty server with a month in every state, every request accepted by the rules', async () => {
    const b = await fresh();
    const summary = await seedDemo({
      db: b.db,
      config: b.config,
      notifier: new InProcessChangeNotifier(),
      buildApp,
      now: NOW,
      soksPerDay: 3,
    });
    expect(summary.rejected).toEqual([]);
    expect(summary.users).toBe(1 + DEMO_USERS.length);
    expect(await count(b, 'sok')).toBe(summary.soks);
    expect(summary.soks).toBeGreaterThan(40);

    const soks = await b.db
      .selectFrom('sok')
      .select(['status', 'target_org', 'callback_state', 'callback_due_at', 'channel_code'])
      .execute();
    const statuses = new Set(soks.map((s) => s.status));
    for (const s of ['routed', 'accepted', 'decided', 'informed', 'closed']) {
      expect(statuses, s).toContain(s);
    }
    expect(new Set(soks.map((s) => s.channel_code)).size).toBeGreaterThan(2);
    const callbacks = new Set(soks.map((s) => s.callback_state));
    expect(callbacks).toContain('open');
    expect(callbacks).toContain('unreachable');
    expect(callbacks).toContain('done');
    const open = soks.filter((s) => s.callback_state === 'open' && s.callback_due_at !== null);
    expect(
      open.some((s) => s.callback_due_at! < NOW.toISOString()),
      'overdue',
    ).toBe(true);
    expect(
      open.some((s) => s.callback_due_at!.slice(0, 10) === NOW.toISOString().slice(0, 10)),
      'due today',
    ).toBe(true);
    const returned = await b.db
      .selectFrom('sok_event')
      .select('sok_id')
      .where('kind', '=', 'returned')
      .execute();
    expect(returned.length).toBeGreaterThan(0);

    const notifications = await b.db.selectFrom('notification').select(['state']).execute();
    const states = new Set(notifications.map((n) => n.state));
    expect(states).toContain('sent');
    expect(states).toContain('failed');
    const calls = await b.db.selectFrom('call_log').select(['outcome']).execute();
    expect(new Set(calls.map((c) => c.outcome))).toEqual(new Set(['answered', 'missed']));

    // The demo people sign in with the documented password; sessions of the seeding are gone.
    const app = await buildApp({
      db: b.db,
      notifier: new InProcessChangeNotifier(),
      config: b.config,
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: {
          username: 'nilufer.masa',
          password: DEMO_PASSWORD,
          clientId: '0b7d3c7e-4d3e-4c1e-9f57-1f6f3c1b2a10',
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await app.close();
    }
  }, 400_000);

  it('refuses a server that already has users and writes nothing', async () => {
    const b = await fresh();
    const app = await buildApp({
      db: b.db,
      notifier: new InProcessChangeNotifier(),
      config: b.config,
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/setup/admin',
        payload: {
          username: 'gercek',
          displayName: 'Gerçek Yönetici',
          password: 'gercek-parola-1',
        },
      });
      expect(res.statusCode).toBe(201);
    } finally {
      await app.close();
    }
    await expect(
      seedDemo({
        db: b.db,
        config: b.config,
        notifier: new InProcessChangeNotifier(),
        buildApp,
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(DemoRefusedError);
    expect(await count(b, 'app_user')).toBe(1);
    expect(await count(b, 'sok')).toBe(0);
    expect(await count(b, 'call_log')).toBe(0);
  });

  it('POST /setup/demo: offered only where allowed and only while there is no user', async () => {
    const notifier = new InProcessChangeNotifier();
    const closed = await fresh();
    const plain = await buildApp({ db: closed.db, notifier, config: closed.config });
    try {
      const status = await plain.inject({ method: 'GET', url: '/setup/status' });
      expect(status.json()).toEqual({ needsSetup: true, demoAvailable: false });
      const res = await plain.inject({ method: 'POST', url: '/setup/demo', payload: {} });
      expect(res.statusCode).toBe(404);
      expect(await count(closed, 'app_user')).toBe(0);
    } finally {
      await plain.close();
      await closed.drop();
      backend = undefined;
    }

    const b = await fresh({ demoAllowed: true });
    const app = await buildApp({ db: b.db, notifier, config: b.config });
    try {
      const status = await app.inject({ method: 'GET', url: '/setup/status' });
      expect(status.json()).toEqual({ needsSetup: true, demoAvailable: true });
      const made = await app.inject({
        method: 'POST',
        url: '/setup/admin',
        payload: {
          username: 'gercek',
          displayName: 'Gerçek Yönetici',
          password: 'gercek-parola-1',
        },
      });
      expect(made.statusCode).toBe(201);
      const after = await app.inject({ method: 'GET', url: '/setup/status' });
      expect(after.json()).toEqual({ needsSetup: false, demoAvailable: false });
      const res = await app.inject({ method: 'POST', url: '/setup/demo', payload: {} });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'setup-complete' } });
      expect(await count(b, 'app_user')).toBe(1);
      expect(await count(b, 'sok')).toBe(0);
    } finally {
      await app.close();
    }
  });
});
