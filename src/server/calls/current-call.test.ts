import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentStateRow } from '../../domain/call';
import type { Mutation, PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import { PRESENCE_GRACE_SECONDS } from './current';

// The test clock starts at 2026-03-02T09:00:00Z.
const at = (time: string) => `2026-03-02T${time}.000Z`;
const CITIZEN = '05321234567';

const ringing = (id: string, startedAt: string, direction = 'inbound') => ({
  id,
  phase: 'ringing',
  direction,
  startedAt,
});
const talking = (
  id: string,
  startedAt: string,
  answeredAt: string,
  sokId: string | null = null,
) => ({ id, phase: 'talking', direction: 'inbound', startedAt, answeredAt, sokId });

forEachBackend('the call an agent is on, on the live agent board', (kind) => {
  let t: TestApp;
  /** The agent's desk: one sync stream, its mutation ids counted here. */
  let desk: { token: string; next: number };

  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'sup', role: 'supervisor', orgCode: 'bikom' });
    desk = { token: (await login(t, 'ajan1')).accessToken, next: 1 };
  });
  afterEach(() => t.close());

  const push = async (
    stream: { token: string; next: number },
    ...items: Omit<Mutation, 'id'>[]
  ) => {
    const mutations = items.map((m) => ({ ...m, id: stream.next++ }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(stream.token),
      payload: { mutations },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PushResponse>().results;
  };
  const state = (s: string, time: string) => ({
    kind: 'agent.state' as const,
    payload: { id: randomUUID(), state: s, reason: null, at: at(time) },
  });
  const report = (call: unknown, time: string) => ({
    kind: 'agent.call' as const,
    payload: { id: randomUUID(), call, at: at(time) },
  });
  /** What the supervisor's board reads, for the one agent on it. */
  const board = async (username = 'sup') => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/agents/states',
      headers: bearer((await login(t, username)).accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, agents: res.json<{ agents: AgentStateRow[] }>().agents };
  };
  const callOnBoard = async () => (await board()).agents[0]!.call;

  it('shows a ringing call, then the talk with its ŞÖK number, and drops it when it ends — never the caller’s number', async () => {
    await push(desk, state('available', '08:00:00'));
    expect(await callOnBoard()).toBeNull();

    const callId = randomUUID();
    await push(desk, report(ringing(callId, at('08:50:00')), '08:50:00'));
    expect(await callOnBoard()).toEqual({
      phase: 'ringing',
      direction: 'inbound',
      startedAt: at('08:50:00'),
      answeredAt: null,
      regNo: null,
    });

    // During the call the agent registers the caller's ŞÖK; the desk links it to the call.
    const sokId = randomUUID();
    const [created] = await push(desk, {
      kind: 'sok.create',
      payload: sokDraft({
        id: sokId,
        description: 'Çöp konteyneri üç gündür boşaltılmadı.',
        registeredAt: at('08:51:00'),
      }),
    });
    expect(created).toMatchObject({ status: 'applied' });
    const sok = await t.backend.db
      .selectFrom('sok')
      .select('reg_no')
      .where('id', '=', sokId)
      .executeTakeFirstOrThrow();
    await push(desk, report(talking(callId, at('08:50:00'), at('08:50:04'), sokId), '08:51:01'));
    const { body, agents } = await board();
    expect(agents[0]!.call).toEqual({
      phase: 'talking',
      direction: 'inbound',
      startedAt: at('08:50:00'),
      answeredAt: at('08:50:04'),
      regNo: sok.reg_no,
    });
    // KVKK: the board carries no phone number at all …
    expect(body).not.toMatch(/5321234567/);
    // … and a desk cannot send one this way.
    const [withNumber] = await push(
      desk,
      report({ ...ringing(randomUUID(), at('08:52:00')), number: CITIZEN }, '08:52:00'),
    );
    expect(withNumber).toMatchObject({ status: 'rejected', error: { code: 'validation' } });

    await push(desk, report(null, '08:55:00'));
    expect(await callOnBoard()).toBeNull();
  });

  it('never lets a late report of a call bring it back after the desk said it ended', async () => {
    await push(desk, state('available', '08:00:00'));
    const first = randomUUID();
    await push(desk, report(null, '08:40:00'));
    // A second desk of the same agent, offline for a while, delivers an older "call started".
    const other = { token: (await login(t, 'ajan1')).accessToken, next: 1 };
    await push(other, report(ringing(first, at('08:30:00')), '08:30:00'));
    expect(await callOnBoard()).toBeNull();

    // A newer call shows; its older "ringing" arriving after its "talking" does not undo it.
    const second = randomUUID();
    await push(desk, report(talking(second, at('08:45:00'), at('08:45:05')), '08:45:05'));
    await push(other, report(ringing(second, at('08:45:00')), '08:45:00'));
    expect(await callOnBoard()).toMatchObject({ phase: 'talking', answeredAt: at('08:45:05') });
  });

  it('drops a call when the desk reports offline, and shows the next one reported after that', async () => {
    await push(desk, state('available', '08:00:00'));
    await push(desk, report(talking(randomUUID(), at('08:10:00'), at('08:10:03')), '08:10:03'));
    await push(desk, state('offline', '08:20:00'));
    expect(await callOnBoard()).toBeNull();

    await push(desk, state('available', '08:30:00'));
    await push(desk, report(ringing(randomUUID(), at('08:31:00'), 'outbound'), '08:31:00'));
    expect(await callOnBoard()).toMatchObject({ phase: 'ringing', direction: 'outbound' });
  });

  it('drops a call when the session that reported it ends (signed out)', async () => {
    await push(desk, state('available', '08:00:00'));
    await push(desk, report(ringing(randomUUID(), at('08:10:00')), '08:10:00'));
    expect(await callOnBoard()).not.toBeNull();
    const out = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(desk.token),
    });
    expect(out.statusCode).toBe(204);
    expect(await callOnBoard()).toBeNull();
  });

  it('drops the call of a desk that crashed and never came back once its session lapses', async () => {
    await push(desk, state('available', '08:00:00'));
    await push(desk, report(talking(randomUUID(), at('08:59:00'), at('08:59:10')), '08:59:10'));
    // The desk stops renewing its access token (15 minutes) at 09:00. A live desk renews it on
    // its next sync, so the call stays a little past the expiry …
    t.clock.advance(15 * 60 + PRESENCE_GRACE_SECONDS - 10);
    expect(await callOnBoard()).toMatchObject({ phase: 'talking' });
    // … and is gone once the grace has passed too. The agent's state stays as it was.
    t.clock.advance(20);
    const [row] = (await board()).agents;
    expect(row).toMatchObject({ state: 'available', call: null });
  });

  it('shows calls in the supervisor’s scope only: a district supervisor sees their own desks', async () => {
    await createUser(t, { username: 'masa', role: 'desk', orgCode: 'ilce.nilufer' });
    await createUser(t, { username: 'nsup', role: 'supervisor', orgCode: 'ilce.nilufer' });
    const nilufer = { token: (await login(t, 'masa')).accessToken, next: 1 };
    await push(desk, state('available', '08:00:00'));
    await push(desk, report(ringing(randomUUID(), at('08:50:00')), '08:50:00'));
    await push(nilufer, state('available', '08:00:00'));
    await push(nilufer, report(talking(randomUUID(), at('08:40:00'), at('08:40:02')), '08:40:02'));

    const all = (await board('sup')).agents;
    expect(all.map((a) => [a.displayName, a.call?.phase])).toEqual([
      ['Test ajan1', 'ringing'],
      ['Test masa', 'talking'],
    ]);
    const district = (await board('nsup')).agents;
    expect(district.map((a) => [a.displayName, a.call?.phase])).toEqual([['Test masa', 'talking']]);
  });
});
