import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import { issueKey } from '../../../test/support/open311';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';

const report = (overrides: Record<string, unknown> = {}) => ({
  sipCallId: '337ab897aab10b42',
  number: '05321234567',
  extension: '1001',
  sipStatus: 408,
  ...overrides,
});

forEachBackend('calls the exchange could not deliver', (kind) => {
  let t: TestApp;
  let admin: string;
  let santral: string;
  let key: string;
  let supervisor: string;

  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    admin = (await login(t, 'yonetici')).accessToken;
    santral = await createUser(t, { username: 'santral', role: 'agent', orgCode: 'bikom' });
    key = (await issueKey(t, admin, santral, 'SIP santrali')).key;
    await createUser(t, { username: 'sef', role: 'supervisor', orgCode: 'bikom' });
    supervisor = (await login(t, 'sef')).accessToken;
  });
  afterEach(() => t.close());

  const post = (body: unknown, apiKey: string | null = key) =>
    t.app.inject({
      method: 'POST',
      url: '/calls/undelivered',
      headers: apiKey === null ? {} : { 'x-api-key': apiKey },
      payload: body as Record<string, unknown>,
    });
  const missedQueue = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/calls/missed?state=owed',
      headers: bearer(supervisor),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ calls: Record<string, unknown>[] }>().calls;
  };

  it('records a call reported by the SIP front as missed, owing a callback, once', async () => {
    const first = await post(report());
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ callbackState: 'owed', duplicate: false });
    // The SIP front retries: still one call.
    const again = await post(report());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json<{ id: string }>().id, duplicate: true });

    const calls = await missedQueue();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      number: '05321234567',
      direction: 'inbound',
      outcome: 'missed',
      callbackState: 'owed',
      orgCode: 'bikom',
      agentId: santral,
      sipCallId: '337ab897aab10b42',
      endReason: 'Santral çağrıyı iletemedi: dahili 1001 ulaşılamadı (SIP 408)',
    });
  });

  it('refuses requests without a valid key, and bad input, writing nothing', async () => {
    const none = await post(report(), null);
    expect(none.statusCode).toBe(401);
    expect(apiError(none).message).toContain('x-api-key');
    expect((await post(report(), 'a153k_' + 'x'.repeat(43))).statusCode).toBe(401);
    // A session token is not an API key.
    expect((await post(report(), admin)).statusCode).toBe(401);

    const bad = await post(report({ number: "05321234567'; rm -rf /", sipStatus: 200 }));
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(apiError(bad).fields ?? {})).toEqual(
      expect.arrayContaining(['number', 'sipStatus']),
    );
    expect(await missedQueue()).toEqual([]);
  });

  it('gives way to the desk’s own record of the same call', async () => {
    expect((await post(report())).statusCode).toBe(201);
    const agent = await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    const token = (await login(t, 'ajan1')).accessToken;
    const mutations: Mutation[] = [
      {
        id: 1,
        kind: 'call.log',
        payload: {
          id: '0b8f3f53-8a55-4c1e-9a43-7c1b6a1b2f10',
          sipCallId: '337ab897aab10b42',
          direction: 'inbound',
          number: '05321234567',
          startedAt: '2026-03-02T08:50:00.000Z',
          answeredAt: null,
          endedAt: '2026-03-02T08:50:20.000Z',
          outcome: 'missed',
        },
      },
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PushResponse>().results).toEqual([{ id: 1, status: 'applied' }]);
    const calls = await missedQueue();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ agentId: agent, sipCallId: '337ab897aab10b42' });
  });
});
