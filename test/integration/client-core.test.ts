import { describe, expect, it } from 'vitest';
import { methodNames } from '../../src/domain/bridge/contract';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import type { SyncStatus } from '../../src/domain/session';
import {
  ADMIN,
  answeredByHandler,
  call,
  contractSamples,
  eventually,
  signInAs,
  validDraft,
  useTestStack,
} from '../support/stack';

const stack = useTestStack();
const open = () => stack.open('desk');

describe('the client core against a real central API', () => {
  it('asks for the first admin on an empty install, then signs them in', async () => {
    const core = open();
    expect(await call(core, 'auth.status')).toMatchObject({ user: null, needsSetup: true });
    const user = await call(core, 'auth.setup', ADMIN);
    expect(user).toMatchObject({ username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    expect(await call(core, 'auth.status')).toMatchObject({
      needsSetup: false,
      user: { username: 'yonetici' },
    });
  });

  it('registers a ŞÖK with its final number at once, and the server has it after sync', async () => {
    const core = open();
    await signInAs(core);
    expect((await call<SyncStatus>(core, 'sync.status')).numbersLeft).toBeGreaterThan(0);

    const sok = await call<Sok>(core, 'sok.create', validDraft);
    expect(sok.regNo).toMatch(/^\d{4}-\d{4}$/);
    expect(sok.syncState).toBe('pending');
    await core.sync.syncNow();
    expect((await call<Sok>(core, 'sok.get', { id: sok.id })).syncState).toBe('synced');
    const row = await stack.api.server.db
      .selectFrom('sok')
      .selectAll()
      .where('id', '=', sok.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reg_no: sok.regNo,
      citizen_phone: '+905321234567',
      origin_org: 'bikom',
    });
  });

  it('answers bad input with Turkish field errors and writes nothing', async () => {
    const core = open();
    await signInAs(core);
    const bad = await core.dispatch('sok.create', {
      ...validDraft,
      citizenPhone: '12',
      description: '',
    });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'Girilen bilgiler geçersiz.',
        fields: {
          citizenPhone: 'Telefon numarası geçerli değil. Örnek: 0532 123 45 67',
          description: 'Bu alan zorunludur.',
        },
      },
    });
    const unknownTopic = await core.dispatch('sok.create', {
      ...validDraft,
      topicCode: 'yok.boyle',
    });
    expect(unknownTopic).toMatchObject({
      ok: false,
      error: { fields: { topicCode: 'Seçilen konu bulunamadı.' } },
    });
    expect(core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(0);
    expect(core.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('refuses methods outside the contract', async () => {
    const core = open();
    expect(await core.dispatch('db.exec', { sql: 'DROP TABLE sok' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await core.dispatch('constructor', {})).toMatchObject({ ok: false });
    expect(await core.dispatch('sok.get', { id: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('answers every contract method from its own handler', async () => {
    const core = open();
    await signInAs(core);
    const sok = await call<Sok>(core, 'sok.create', validDraft);
    const me = await call<{ user: { id: string } }>(core, 'auth.status');
    const inputs = contractSamples({ sokId: sok.id, userId: me.user.id });
    for (const method of methodNames) {
      const result = await core.dispatch(method, inputs[method]);
      expect(answeredByHandler(result), `${method}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('keeps working with the API stopped and delivers everything once it is back', async () => {
    const core = open();
    await signInAs(core);
    const port = Number(new URL(stack.api.url).port);
    await stack.api.server.close();

    const created: Sok[] = [];
    for (let i = 0; i < 3; i++)
      created.push(
        await call<Sok>(core, 'sok.create', { ...validDraft, citizenName: `Vatandaş ${i}` }),
      );
    expect(created.every((s) => /^\d{4}-\d{4}$/.test(s.regNo ?? ''))).toBe(true);
    await core.sync.syncNow();
    expect(await call<SyncStatus>(core, 'sync.status')).toMatchObject({
      state: 'offline',
      pending: 3,
    });
    const found = await call<SokSearchResult>(core, 'sok.search', { query: 'vatandas' });
    expect(found.items).toHaveLength(3);

    // The same API (same database) comes back on the same port.
    const { startServer } = await import('../../src/server/start');
    const again = await startServer({ ...stack.api.server.config, port }, { logger: false });
    try {
      await eventually(async () => {
        await core.sync.syncNow();
        expect(await call<SyncStatus>(core, 'sync.status')).toMatchObject({
          state: 'online',
          pending: 0,
        });
      });
      const rows = await again.db.selectFrom('sok').select('reg_no').execute();
      expect(rows.map((r) => r.reg_no).sort()).toEqual(created.map((s) => s.regNo).sort());
    } finally {
      await again.close();
    }
  });
});

describe('an admin account', () => {
  it('syncs without leasing registration numbers', async () => {
    const core = open();
    await call(core, 'auth.setup', ADMIN);
    await core.sync.syncNow();
    expect(await call<SyncStatus>(core, 'sync.status')).toMatchObject({
      state: 'online',
      numbersLeft: 0,
      lastError: null,
    });
  });
});
