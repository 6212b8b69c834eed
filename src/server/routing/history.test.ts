import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoutingRule } from '../../domain/routing';
import type { RoutingHistoryResponse } from '../../domain/routing-history';
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
 * Issue #17 item 12: routing rules keep their versions on the server (migration 0016), every
 * change is on the audit trail (who, when, what), an administrator rolls back to any version,
 * and only BİKOM's administrators may change them.
 */
forEachBackend('routing rule history', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const [username, role, orgCode] of [
      ['yonetici', 'admin', 'bikom'],
      ['nadmin', 'admin', 'ilce.nilufer'],
      ['bsup', 'supervisor', 'bikom'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
  });
  afterAll(() => t?.close());

  const req = (user: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(tokens[user]!), ...(payload ? { payload } : {}) });

  it('records every change with who, when and what, and rolls back to an earlier version', async () => {
    const seeded = (await req('yonetici', 'GET', '/routing/rules')).json<{ rules: RoutingRule[] }>()
      .rules;
    const history0 = (
      await req('yonetici', 'GET', '/admin/routing-rules/history')
    ).json<RoutingHistoryResponse>();
    expect(history0.versions.map((v) => [v.version, v.action, v.changedBy])).toEqual([
      [1, 'seed', null],
    ]);

    // Nilüfer's mahalle roads go to Fen İşleri instead, and a new rule for a square.
    const edited = seeded.map((r) => (r.id === 'yol-ilce' ? { ...r, target: 'bb.fen-isleri' } : r));
    edited.push({
      id: 'yol-nilufer-meydan',
      topic: 'yol',
      district: 'nilufer',
      place: ['meydan'],
      target: 'ilce.nilufer',
      priority: 50,
      note: 'Deneme',
    });
    t.clock.advance(60);
    const put = await req('yonetici', 'PUT', '/admin/routing-rules', { rules: edited });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<{ version: number }>().version).toBe(2);

    const history1 = (
      await req('yonetici', 'GET', '/admin/routing-rules/history')
    ).json<RoutingHistoryResponse>();
    expect(history1.versions[0]).toMatchObject({
      version: 2,
      action: 'edit',
      changedByName: 'Test yonetici',
      changedAt: t.clock.now().toISOString(),
      ruleCount: seeded.length + 1,
      changes: {
        added: ['yol-nilufer-meydan'],
        removed: [],
        changed: [{ id: 'yol-ilce', fields: ['target'] }],
      },
    });

    const rollback = await req('yonetici', 'POST', '/admin/routing-rules/rollback', {
      version: 1,
    });
    expect(rollback.statusCode, rollback.body).toBe(200);
    const now = (await req('yonetici', 'GET', '/routing/rules')).json<{ rules: RoutingRule[] }>();
    expect(now.rules).toEqual(seeded);
    const history2 = (
      await req('yonetici', 'GET', '/admin/routing-rules/history')
    ).json<RoutingHistoryResponse>();
    expect(history2.versions[0]).toMatchObject({
      version: 3,
      action: 'rollback',
      rolledBackTo: 1,
      changes: {
        added: [],
        removed: ['yol-nilufer-meydan'],
        changed: [{ id: 'yol-ilce', fields: ['target'] }],
      },
    });
    const v2 = (await req('yonetici', 'GET', '/admin/routing-rules/history/2')).json<{
      rules: RoutingRule[];
    }>();
    expect(v2.rules).toEqual(edited);
  });

  it('refuses other organisations’ administrators, other roles, unknown versions and bad rules', async () => {
    const rules = (await req('yonetici', 'GET', '/routing/rules')).json<{ rules: RoutingRule[] }>()
      .rules;
    const before = (
      await req('yonetici', 'GET', '/admin/routing-rules/history')
    ).json<RoutingHistoryResponse>().versions.length;
    const nilufer = await req('nadmin', 'PUT', '/admin/routing-rules', { rules });
    expect(nilufer.statusCode).toBe(403);
    // The one system-administrator check every city-wide setting uses (admin/authority.ts).
    expect(apiError(nilufer).code).toBe('forbidden');
    expect(apiError(nilufer).userMessage).toBe('Bu işlem için yetkiniz yok.');
    expect(
      (await req('nadmin', 'POST', '/admin/routing-rules/rollback', { version: 1 })).statusCode,
    ).toBe(403);
    expect((await req('bsup', 'GET', '/admin/routing-rules/history')).statusCode).toBe(403);
    expect(
      (await req('yonetici', 'POST', '/admin/routing-rules/rollback', { version: 99 })).statusCode,
    ).toBe(404);
    // Found by the fuzz test (seed 1267925682): a version beyond the integer column was a 500.
    expect(
      (await req('yonetici', 'POST', '/admin/routing-rules/rollback', { version: 9999999999 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await req('yonetici', 'GET', '/admin/routing-rules/history/9999999999')).statusCode,
    ).toBe(400);
    const bad = await req('yonetici', 'PUT', '/admin/routing-rules', {
      rules: [...rules, { ...rules[0]!, id: 'x', target: 'yok.boyle-kurum' }],
    });
    expect(bad.statusCode).toBe(400);
    const after = (
      await req('yonetici', 'GET', '/admin/routing-rules/history')
    ).json<RoutingHistoryResponse>().versions.length;
    expect(after).toBe(before);
  });
});
