import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import * as missedHook from './missed';

const call = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  sipCallId: `${randomUUID()}@alo153.test`,
  direction: 'inbound',
  number: '05321234567',
  startedAt: '2026-03-02T08:50:00.000Z',
  answeredAt: '2026-03-02T08:50:05.000Z',
  endedAt: '2026-03-02T08:52:35.000Z',
  outcome: 'answered',
  ...overrides,
});

forEachBackend('call log and agent states', (kind) => {
  let t: TestApp;
  let agent: string;
  let agentId: string;

  beforeEach(async () => {
    t = await createTestApp(kind);
    agentId = await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    agent = (await login(t, 'ajan1')).accessToken;
  });
  afterEach(() => t.close());

  const push = async (token: string, mutations: Mutation[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PushResponse>();
  };
  const calls = () => t.backend.db.selectFrom('call_log').selectAll().execute();
  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('stores a pushed call once, with its duration, agent and organisation', async () => {
    const c = call();
    const first = await push(agent, [{ id: 1, kind: 'call.log', payload: c }]);
    expect(first.results).toEqual([{ id: 1, status: 'applied' }]);
    // The same call from a second login of the same agent (another stream) changes nothing.
    const again = (await login(t, 'ajan1')).accessToken;
    expect((await push(again, [{ id: 1, kind: 'call.log', payload: c }])).results).toEqual([
      { id: 1, status: 'applied' },
    ]);
    const rows = await calls();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: c.id,
      sip_call_id: c.sipCallId,
      agent_id: agentId,
      org_code: 'bikom',
      outcome: 'answered',
      callback_state: null,
    });
    expect(Number(rows[0]!.duration_seconds)).toBe(150);
  });

  it('records a missed inbound call as owing a callback and calls the missed-call hook', async () => {
    const hook = vi.spyOn(missedHook, 'callMissed');
    const c = call({ answeredAt: null, outcome: 'missed', endReason: 'Arayan kapattı' });
    await push(agent, [{ id: 1, kind: 'call.log', payload: c }]);
    const [row] = await calls();
    expect(row).toMatchObject({ callback_state: 'owed', direction: 'inbound' });
    expect(Number(row!.duration_seconds)).toBe(0);
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0]![1]).toMatchObject({
      id: c.id,
      number: '+905321234567',
      orgCode: 'bikom',
      outcome: 'missed',
    });
    hook.mockRestore();

    await createUser(t, { username: 'sup', role: 'supervisor', orgCode: 'bikom' });
    const sup = (await login(t, 'sup')).accessToken;
    const res = await get('/calls/missed', sup);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ calls: { id: string; callbackState: string }[] }>().calls).toEqual([
      expect.objectContaining({ id: c.id, callbackState: 'owed', outcome: 'missed' }),
    ]);
  });

  it('keeps a missed call on its organisation’s queue until it is returned or settled', async () => {
    const missed = call({ answeredAt: null, outcome: 'missed' });
    const other = call({ answeredAt: null, outcome: 'missed', number: '05339998877' });
    await push(agent, [
      { id: 1, kind: 'call.log', payload: missed },
      { id: 2, kind: 'call.log', payload: other },
    ]);
    await createUser(t, { username: 'ajan2', role: 'agent', orgCode: 'bikom' });
    const colleague = (await login(t, 'ajan2')).accessToken;
    const owed = async (token: string) =>
      (await get('/calls/missed?state=owed', token))
        .json<{ calls: { id: string }[] }>()
        .calls.map((c) => c.id)
        .sort();
    // Any agent of the organisation sees the queue.
    expect(await owed(colleague)).toEqual([missed.id, other.id].sort());
    // A district desk does not.
    await createUser(t, { username: 'masa', role: 'desk', orgCode: 'ilce.nilufer' });
    const desk = (await login(t, 'masa')).accessToken;
    expect(await owed(desk)).toEqual([]);

    // The colleague calls the number back and the citizen answers: that call is settled.
    const back = call({
      direction: 'outbound',
      startedAt: '2026-03-02T09:10:00.000Z',
      answeredAt: '2026-03-02T09:10:09.000Z',
      endedAt: '2026-03-02T09:12:00.000Z',
    });
    await push(colleague, [{ id: 1, kind: 'call.log', payload: back }]);
    expect(await owed(agent)).toEqual([other.id]);

    // The other one is settled by hand as unreachable; a second settle is refused.
    const settle = (token: string, id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/calls/${id}/settle`,
        headers: bearer(token),
        payload: { state: 'unreachable', note: 'Üç kez arandı, açılmadı' },
      });
    expect((await settle(desk, other.id)).statusCode).toBe(404);
    expect((await settle(colleague, other.id)).statusCode).toBe(200);
    const again = await settle(agent, other.id);
    expect(again.statusCode).toBe(409);
    expect(apiError(again).userMessage).toBe('Bu cevapsız çağrı zaten sonuçlandırılmış.');
    expect(await owed(agent)).toEqual([]);
    const rows = await calls();
    expect(rows.find((r) => r.id === other.id)).toMatchObject({
      callback_state: 'unreachable',
      callback_note: 'Üç kez arandı, açılmadı',
    });
    expect(rows.find((r) => r.id === missed.id)).toMatchObject({ callback_state: 'done' });
  });

  it('settles a missed call presented as +90… when the number is called back in the national form', async () => {
    // The exchange presents the same citizen in three ways; the callback dials 0532….
    const presented = ['+905321234567', 'sip:5321234567@gw.example;user=phone', '905321234567'];
    const missed = presented.map((number, i) =>
      call({
        answeredAt: null,
        outcome: 'missed',
        number,
        startedAt: `2026-03-02T08:5${i}:00.000Z`,
      }),
    );
    await push(
      agent,
      missed.map((payload, i) => ({ id: i + 1, kind: 'call.log', payload })),
    );
    const rows = await calls();
    expect(new Set(rows.map((r) => r.number))).toEqual(new Set(['+905321234567']));
    const owed = async () =>
      (await get('/calls/missed?state=owed', agent))
        .json<{ calls: { id: string; number: string }[] }>()
        .calls.map((c) => c.number);
    expect(await owed()).toEqual(['+905321234567', '+905321234567', '+905321234567']);

    // Not answered: still owed. Answered: every earlier missed call of that number is settled.
    const tried = call({
      direction: 'outbound',
      number: '05321234567',
      startedAt: '2026-03-02T09:00:00.000Z',
      answeredAt: null,
      endedAt: '2026-03-02T09:00:30.000Z',
      outcome: 'failed',
    });
    await push(agent, [{ id: 10, kind: 'call.log', payload: tried }]);
    expect(await owed()).toHaveLength(3);
    const back = call({
      direction: 'outbound',
      number: '05321234567',
      startedAt: '2026-03-02T09:10:00.000Z',
      answeredAt: '2026-03-02T09:10:09.000Z',
      endedAt: '2026-03-02T09:12:00.000Z',
    });
    await push(agent, [{ id: 11, kind: 'call.log', payload: back }]);
    expect(await owed()).toEqual([]);
    expect((await calls()).find((r) => r.id === back.id)?.number).toBe('+905321234567');
  });

  it('refuses an impossible call with a precise reason', async () => {
    const bad = call({
      answeredAt: null,
      outcome: 'answered',
      endedAt: '2026-03-02T08:00:00.000Z',
    });
    const { results } = await push(agent, [{ id: 1, kind: 'call.log', payload: bad }]);
    expect(results[0]).toMatchObject({ status: 'rejected', error: { code: 'validation' } });
    const fields = (results[0] as { error: { fields: Record<string, string> } }).error.fields;
    expect(fields.endedAt).toBe('Çağrının bitişi başlangıcından önce olamaz.');
    expect(fields.answeredAt).toBe('Cevaplanma zamanı çağrı sonucuyla uyuşmuyor.');
    expect(await calls()).toHaveLength(0);
  });

  it('wraps up a call with a disposition and a visible ŞÖK; refuses others’ calls', async () => {
    const c = call();
    await push(agent, [
      { id: 1, kind: 'call.log', payload: c },
      {
        id: 2,
        kind: 'call.wrapUp',
        payload: {
          callId: c.id,
          disposition: 'bilgi-verildi',
          note: 'Su kesintisi',
          at: c.endedAt,
        },
      },
      {
        id: 3,
        kind: 'call.wrapUp',
        payload: { callId: c.id, disposition: 'mevcut-sok', sokId: randomUUID(), at: c.endedAt },
      },
    ]).then(({ results }) => {
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    });
    const [row] = await calls();
    expect(row).toMatchObject({ disposition: 'bilgi-verildi', note: 'Su kesintisi' });

    await createUser(t, { username: 'ajan2', role: 'agent', orgCode: 'bikom' });
    const other = (await login(t, 'ajan2')).accessToken;
    const { results } = await push(other, [
      {
        id: 1,
        kind: 'call.wrapUp',
        payload: { callId: c.id, disposition: 'diger', at: c.endedAt },
      },
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', error: { code: 'not-found' } });
  });

  it('keeps agent states with history; supervisors see their organisation, BİKOM sees all', async () => {
    const state = (s: string, at: string, reason: string | null = null) => ({
      id: randomUUID(),
      state: s,
      reason,
      at,
    });
    await push(agent, [
      { id: 1, kind: 'agent.state', payload: state('available', '2026-03-02T08:00:00.000Z') },
      { id: 2, kind: 'agent.state', payload: state('break', '2026-03-02T08:30:00.000Z', 'yemek') },
      // A late arrival from an offline desk does not overwrite the newer state.
      { id: 3, kind: 'agent.state', payload: state('dnd', '2026-03-02T08:10:00.000Z') },
    ]);
    await createUser(t, { username: 'masa', role: 'desk', orgCode: 'ilce.nilufer' });
    const desk = (await login(t, 'masa')).accessToken;
    await push(desk, [
      { id: 1, kind: 'agent.state', payload: state('available', '2026-03-02T08:45:00.000Z') },
    ]);
    const history = await t.backend.db.selectFrom('agent_state_history').selectAll().execute();
    expect(history).toHaveLength(4);

    await createUser(t, { username: 'sup', role: 'supervisor', orgCode: 'bikom' });
    await createUser(t, { username: 'nsup', role: 'supervisor', orgCode: 'ilce.nilufer' });
    const bikom = await get('/agents/states', (await login(t, 'sup')).accessToken);
    expect(bikom.statusCode, bikom.body).toBe(200);
    const all = bikom.json<{ agents: { displayName: string; state: string; reason: string }[] }>();
    expect(all.agents).toEqual([
      expect.objectContaining({ displayName: 'Test ajan1', state: 'break', reason: 'yemek' }),
      expect.objectContaining({ displayName: 'Test masa', state: 'available' }),
    ]);
    const nilufer = await get('/agents/states', (await login(t, 'nsup')).accessToken);
    expect(nilufer.json<{ agents: { orgCode: string }[] }>().agents).toEqual([
      expect.objectContaining({ orgCode: 'ilce.nilufer' }),
    ]);
    const refused = await get('/agents/states', agent);
    expect(refused.statusCode).toBe(403);
    expect(apiError(refused).code).toBe('forbidden');
  });

  it('gives the live agent board each agent’s calls today: answered, missed, handle and wrap-up time', async () => {
    const answered = call();
    const second = call({
      startedAt: '2026-03-02T08:53:00.000Z',
      answeredAt: '2026-03-02T08:53:04.000Z',
      endedAt: '2026-03-02T08:54:34.000Z',
    });
    const missed = call({
      answeredAt: null,
      outcome: 'missed',
      startedAt: '2026-03-02T08:55:00.000Z',
      endedAt: '2026-03-02T08:55:20.000Z',
    });
    // Yesterday's call does not count today.
    const yesterday = call({
      startedAt: '2026-03-01T12:00:00.000Z',
      answeredAt: '2026-03-01T12:00:05.000Z',
      endedAt: '2026-03-01T12:05:05.000Z',
    });
    await push(agent, [
      {
        id: 1,
        kind: 'agent.state',
        payload: {
          id: randomUUID(),
          state: 'available',
          reason: null,
          at: '2026-03-02T08:00:00.000Z',
        },
      },
      { id: 2, kind: 'call.log', payload: answered },
      {
        id: 3,
        kind: 'call.wrapUp',
        payload: {
          callId: answered.id,
          disposition: 'bilgi-verildi',
          note: '',
          at: '2026-03-02T08:53:05.000Z',
        },
      },
      { id: 4, kind: 'call.log', payload: second },
      { id: 5, kind: 'call.log', payload: missed },
      { id: 6, kind: 'call.log', payload: yesterday },
    ]);
    await createUser(t, { username: 'sup', role: 'supervisor', orgCode: 'bikom' });
    const res = await get('/agents/states', (await login(t, 'sup')).accessToken);
    expect(res.json<{ agents: unknown[] }>().agents).toEqual([
      expect.objectContaining({
        displayName: 'Test ajan1',
        state: 'available',
        // 150 s and 90 s of talk; one wrap-up of 30 s after hang-up.
        today: { answered: 2, missed: 1, avgHandleSeconds: 120, avgWrapUpSeconds: 30 },
      }),
    ]);
  });

  it('refuses a break without a reason', async () => {
    const { results } = await push(agent, [
      {
        id: 1,
        kind: 'agent.state',
        payload: { id: randomUUID(), state: 'break', at: '2026-03-02T08:00:00.000Z' },
      },
    ]);
    expect(results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'validation', fields: { reason: 'Mola için bir neden seçin.' } },
    });
  });
});
