import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

type Decision = {
  action: 'ring' | 'wait' | 'end' | 'answered';
  offerId?: string;
  extension?: string;
  agentId?: string;
  position?: number;
  waiting?: number;
  reason?: string;
  missedCallId?: string | null;
};

forEachBackend('the call line', (kind) => {
  let t: TestApp;
  let key: string;
  let santral: string;
  let supervisor: string;
  const agents: Record<string, string> = {};

  /** The agent's state as the desk's agent.state push leaves it on the server. */
  const setState = async (
    ext: string,
    state: string,
    secondsAgo = 0,
    reason: string | null = null,
  ) => {
    const since = new Date(t.clock.now().getTime() - secondsAgo * 1000).toISOString();
    const row = { org_code: 'bikom', state, reason, since, updated_at: since };
    await t.backend.db
      .insertInto('agent_state')
      .values({ user_id: agents[ext]!, ...row })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
      .execute();
  };

  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    const admin = (await login(t, 'yonetici')).accessToken;
    santral = await createUser(t, { username: 'santral', role: 'agent', orgCode: 'bikom' });
    key = (await issueKey(t, admin, santral, 'SIP santrali')).key;
    await createUser(t, { username: 'sef', role: 'supervisor', orgCode: 'bikom' });
    supervisor = (await login(t, 'sef')).accessToken;
    for (const ext of ['1001', '1002', '1003']) {
      agents[ext] = await createUser(t, { username: `temsilci${ext}`, role: 'agent' });
      const res = await t.app.inject({
        method: 'PUT',
        url: `/line/agents/${agents[ext]}`,
        headers: bearer(supervisor),
        payload: { extension: ext },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterEach(() => t.close());

  const post = async (url: string, body: Record<string, unknown>, status = 200) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'x-api-key': key },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(status);
    return res.json<Decision & { state?: string }>();
  };
  const arrive = (sipCallId: string, number = '05321234567', status = 201) =>
    post('/line/calls', { line: '153', sipCallId, number }, status);
  const poll = (sipCallId: string) => post('/line/calls/next', { sipCallId });
  const live = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/line/live?line=153',
      headers: bearer(supervisor),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      lines: {
        callers: Record<string, unknown>[];
        waiting: number;
        today: Record<string, unknown>;
      }[];
    }>().lines[0]!;
  };
  const missed = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/calls/missed?state=owed',
      headers: bearer(supervisor),
    });
    return res.json<{ calls: Record<string, unknown>[] }>().calls;
  };

  it('rings the longest-idle available agent, skipping busy, on-break and do-not-disturb ones', async () => {
    await setState('1001', 'available', 60);
    await setState('1002', 'available', 300); // idle longest
    await setState('1003', 'break', 900, 'mola');
    const first = await arrive('call-a');
    expect(first).toMatchObject({
      action: 'ring',
      extension: '1002',
      agentId: agents['1002'],
      ringTimeoutSeconds: 15,
    });
    // 1002's phone rings: the next caller goes to 1001, not to 1002 again nor to 1003 on break.
    expect(await arrive('call-b')).toMatchObject({ action: 'ring', extension: '1001' });
    // A retry of the arrival is the same decision, not a second offer.
    expect(await arrive('call-b', '05321234567', 200)).toMatchObject({
      action: 'ring',
      extension: '1001',
    });
    expect(await arrive('call-c')).toMatchObject({ action: 'wait', position: 1, waiting: 1 });
  });

  it('moves on when an agent does not answer, and sets that agent not ready with the reason shown to them', async () => {
    await setState('1001', 'available', 300);
    await setState('1002', 'available', 60);
    const first = await arrive('call-a');
    expect(first.extension).toBe('1001');
    t.clock.advance(15);
    const second = await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: first.offerId,
      result: 'no-answer',
    });
    expect(second).toMatchObject({ action: 'ring', extension: '1002' });

    const token = (await login(t, 'temsilci1001')).accessToken;
    const me = await t.app.inject({ method: 'GET', url: '/line/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({
      state: 'break',
      stateText: 'Molada',
      reason: 'cevapsiz',
      reasonText: 'Çağrı cevaplanmadı — hazır değil',
      lines: [{ line: '153', waiting: 0 }],
    });
    // Nobody else: after 1002 also lets it ring, the caller waits (and is not offered to 1001 again).
    const third = await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: second.offerId,
      result: 'no-answer',
    });
    expect(third).toMatchObject({ action: 'wait', position: 1 });
  });

  it('answers callers in arrival order as agents free up, and records who hung up while waiting as a missed call with the wait', async () => {
    await setState('1001', 'available', 60);
    const a = await arrive('call-a', '05320000001');
    expect(a.action).toBe('ring');
    await post('/line/calls/answered', { sipCallId: 'call-a', offerId: a.offerId });
    for (const [i, id] of ['call-b', 'call-c', 'call-d'].entries()) {
      t.clock.advance(1);
      expect(await arrive(id, `0532000000${i + 2}`)).toMatchObject({
        action: 'wait',
        position: i + 1,
      });
    }
    t.clock.advance(30);
    // The third caller gives up after 30 s.
    expect(await post('/line/calls/ended', { sipCallId: 'call-d' })).toMatchObject({
      state: 'abandoned',
    });
    const owed = await missed();
    expect(owed).toHaveLength(1);
    expect(owed[0]).toMatchObject({
      number: '+905320000004',
      outcome: 'missed',
      callbackState: 'owed',
      endReason: 'Arayan sırada beklerken kapattı: hat 153, bekleme 30 sn',
      waitSeconds: 30,
    });

    const view = await live();
    expect(view.waiting).toBe(2);
    // The answered caller has left the line; the two still waiting, masked, in order.
    expect(view.callers).toEqual([
      expect.objectContaining({
        position: 1,
        state: 'waiting',
        number: '+90 532 *** ** 02',
        waitSeconds: 32,
      }),
      expect.objectContaining({
        position: 2,
        state: 'waiting',
        number: '+90 532 *** ** 03',
        waitSeconds: 31,
      }),
    ]);

    // With one agent free, the second waiting caller's poll does not jump the line.
    await setState('1002', 'available', 0);
    expect(await poll('call-c')).toMatchObject({ action: 'wait', position: 2 });
    // 1001 ends the call (still available, idle since the call ended): two agents free, two
    // callers waiting. Whichever asks first, the first in line gets the longest-idle agent.
    t.clock.advance(5);
    await post('/line/calls/ended', { sipCallId: 'call-a' });
    t.clock.advance(5);
    expect(await poll('call-c')).toMatchObject({ action: 'ring', extension: '1001' });
    const b = await poll('call-b');
    expect(b).toMatchObject({ action: 'ring', extension: '1002' });
    await post('/line/calls/answered', { sipCallId: 'call-b', offerId: b.offerId });
    const figures = (await live()).today;
    expect(figures).toMatchObject({
      offered: 4,
      answered: 2,
      abandoned: 1,
      inProgress: 1,
      shortAbandoned: 0,
    });
  });

  /** A desk's call log record of a line call (sync push), as the desk's phone saw it. */
  const deskLogs = async (
    ext: string,
    sipCallId: string,
    outcome: 'answered' | 'missed',
    number = '05321234567',
  ) => {
    const token = (await login(t, `temsilci${ext}`)).accessToken;
    const at = t.clock.now().toISOString();
    const payload = {
      id: randomUUID(),
      sipCallId,
      direction: 'inbound',
      number,
      startedAt: at,
      answeredAt: outcome === 'answered' ? at : null,
      endedAt: at,
      outcome,
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations: [{ id: 1, kind: 'call.log', payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ results: { status: string }[] }>().results[0]!.status).toBe('applied');
  };
  const owedNumbers = async () => (await missed()).map((c) => c.number);

  it('owes no callback for a line call another agent answered, whether the desk that rang out reports before or after the answer', async () => {
    await setState('1001', 'available', 300);
    await setState('1002', 'available', 60);
    // call-a rings out at 1001, whose desk logs it missed at once; then 1002 answers it.
    const a1 = await arrive('call-a', '05320000001');
    expect(a1.extension).toBe('1001');
    t.clock.advance(15);
    await deskLogs('1001', 'call-a', 'missed', '05320000001');
    expect(await owedNumbers()).toEqual(['+905320000001']);
    const a2 = await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: a1.offerId,
      result: 'no-answer',
    });
    expect(a2.extension).toBe('1002');
    await post('/line/calls/answered', { sipCallId: 'call-a', offerId: a2.offerId });
    expect(await owedNumbers()).toEqual([]);
    await deskLogs('1002', 'call-a', 'answered', '05320000001');
    // The agent's own call log keeps the ring it missed.
    const rows = await t.backend.db
      .selectFrom('call_log')
      .select(['agent_id', 'outcome', 'callback_state'])
      .where('sip_call_id', '=', 'call-a')
      .orderBy('outcome')
      .execute();
    expect(rows).toEqual([
      { agent_id: agents['1002'], outcome: 'answered', callback_state: null },
      { agent_id: agents['1001'], outcome: 'missed', callback_state: null },
    ]);

    // call-b: 1002 (now free again) lets it ring out and 1003 answers before 1002's desk reports.
    await post('/line/calls/ended', { sipCallId: 'call-a' });
    t.clock.advance(5);
    const b1 = await arrive('call-b', '05320000002');
    expect(b1.extension).toBe('1002');
    await setState('1003', 'available', 0);
    t.clock.advance(15);
    const b2 = await post('/line/calls/next', {
      sipCallId: 'call-b',
      offerId: b1.offerId,
      result: 'no-answer',
    });
    expect(b2.extension).toBe('1003');
    await post('/line/calls/answered', { sipCallId: 'call-b', offerId: b2.offerId });
    await deskLogs('1002', 'call-b', 'missed', '05320000002');
    // Sent again (a resend after a lost answer): still nothing owed.
    await deskLogs('1002', 'call-b', 'missed', '05320000002');
    expect(await owedNumbers()).toEqual([]);
  });

  it('owes no callback for a call the fallback rang everywhere and one agent answered, in any order', async () => {
    // The API was down: no line caller; the desks' call logs are the only evidence.
    await deskLogs('1001', 'ring-all-1', 'missed', '05320000011');
    await deskLogs('1003', 'ring-all-1', 'answered', '05320000011');
    await deskLogs('1002', 'ring-all-1', 'missed', '05320000011');
    await deskLogs('1002', 'ring-all-2', 'missed', '05320000012');
    await deskLogs('1001', 'ring-all-2', 'missed', '05320000012');
    await deskLogs('1003', 'ring-all-2', 'answered', '05320000012');
    expect(await owedNumbers()).toEqual([]);
    // Nobody answered the third: owed once, however many desks rang.
    await deskLogs('1001', 'ring-all-3', 'missed', '05320000013');
    await deskLogs('1002', 'ring-all-3', 'missed', '05320000013');
    await deskLogs('1003', 'ring-all-3', 'missed', '05320000013');
    expect(await owedNumbers()).toEqual(['+905320000013']);
  });

  it('owes a line call nobody answered exactly once, whether the desks or the line report first', async () => {
    await setState('1001', 'available', 300);
    await setState('1002', 'available', 60);
    // call-a rings out at both agents, whose desks report it, then the caller hangs up.
    const a1 = await arrive('call-a', '05320000021');
    t.clock.advance(15);
    await deskLogs('1001', 'call-a', 'missed', '05320000021');
    const a2 = await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: a1.offerId,
      result: 'no-answer',
    });
    expect(a2.extension).toBe('1002');
    t.clock.advance(15);
    await deskLogs('1002', 'call-a', 'missed', '05320000021');
    await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: a2.offerId,
      result: 'no-answer',
    });
    t.clock.advance(10);
    expect(await post('/line/calls/ended', { sipCallId: 'call-a' })).toMatchObject({
      state: 'abandoned',
    });
    expect(await owedNumbers()).toEqual(['+905320000021']);

    // call-b rings out at 1003 and the caller hangs up before 1003's desk reports it.
    await setState('1003', 'available', 0);
    const b1 = await arrive('call-b', '05320000022');
    expect(b1.extension).toBe('1003');
    t.clock.advance(8);
    await post('/line/calls/ended', { sipCallId: 'call-b' });
    await deskLogs('1003', 'call-b', 'missed', '05320000022');
    const owed = await missed();
    expect(owed.map((c) => c.number).sort()).toEqual(['+905320000021', '+905320000022']);
    // Whichever record owes it, the row shows how long the caller waited in the line.
    expect(owed.map((c) => [c.number, c.waitSeconds]).sort()).toEqual([
      ['+905320000021', 40],
      ['+905320000022', 8],
    ]);
  });

  it('skips a phone that cannot be reached and marks its agent offline', async () => {
    await setState('1001', 'available', 300);
    await setState('1002', 'available', 60);
    const first = await arrive('call-a');
    expect(first.extension).toBe('1001');
    const second = await post('/line/calls/next', {
      sipCallId: 'call-a',
      offerId: first.offerId,
      result: 'unreachable',
    });
    expect(second).toMatchObject({ action: 'ring', extension: '1002' });
    const state = await t.backend.db
      .selectFrom('agent_state')
      .select(['state', 'reason'])
      .where('user_id', '=', agents['1001']!)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ state: 'offline', reason: null });
    // A stale result for an offer that is no longer the call's current one changes nothing.
    expect(
      await post('/line/calls/next', {
        sipCallId: 'call-a',
        offerId: first.offerId,
        result: 'no-answer',
      }),
    ).toMatchObject({ action: 'ring', extension: '1002', offerId: second.offerId });
  });

  it('ends the wait politely at the maximum wait, as a missed call owed', async () => {
    await arrive('call-a', '05321112233');
    t.clock.advance(301);
    const end = await poll('call-a');
    expect(end).toMatchObject({ action: 'end', reason: 'max-wait' });
    expect(end.missedCallId).toEqual(expect.any(String));
    expect((await missed())[0]).toMatchObject({
      id: end.missedCallId,
      endReason: 'En uzun bekleme süresi doldu: hat 153, bekleme 301 sn',
    });
    expect((await live()).today).toMatchObject({ offered: 1, abandoned: 1, timedOut: 1 });
  });

  it('turns a caller the SIP front stopped asking about into a missed call, so nobody blocks the line', async () => {
    await arrive('call-a');
    t.clock.advance(61);
    expect(await arrive('call-b')).toMatchObject({ action: 'wait', position: 1 });
    expect(await missed()).toHaveLength(1);
  });

  it('refuses a request without a valid key or for an unknown line, writing nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/line/calls',
      payload: { line: '153', sipCallId: 'x', number: '0532' },
    });
    expect(res.statusCode).toBe(401);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/line/calls',
      headers: { 'x-api-key': key },
      payload: { line: '444', sipCallId: 'x', number: '0532' },
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/line/calls/next',
      headers: { 'x-api-key': key },
      payload: { sipCallId: 'x', result: 'no-answer' },
    });
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad).fields).toHaveProperty('offerId');
    expect(await t.backend.db.selectFrom('line_caller').selectAll().execute()).toEqual([]);
  });

  it('keeps each extension to one agent, and lets an agent report their own', async () => {
    const token = (await login(t, 'temsilci1001')).accessToken;
    const clash = await t.app.inject({
      method: 'PUT',
      url: '/line/me',
      headers: bearer(token),
      payload: { extension: '1002' },
    });
    expect(clash.statusCode).toBe(409);
    expect(apiError(clash).userMessage).toBe('Dahili 1002 başka bir temsilciye ait.');
    const mine = await t.app.inject({
      method: 'PUT',
      url: '/line/me',
      headers: bearer(token),
      payload: { extension: '2001' },
    });
    expect(mine.json()).toMatchObject({ extension: '2001' });
    await setState('1001', 'available', 60);
    expect(await arrive('call-a')).toMatchObject({ action: 'ring', extension: '2001' });
  });

  it("lists the line's extensions for the SIP front's fallback, whatever the agents' states", async () => {
    const other = await createUser(t, { username: 'baska', role: 'agent', orgCode: 'buski' });
    await t.backend.db
      .insertInto('line_agent')
      .values({
        user_id: other,
        extension: '9001',
        skills: '[]',
        updated_at: t.clock.now().toISOString(),
      })
      .execute();
    await setState('1002', 'break', 60, 'mola');
    const get = (url: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url, headers });
    const res = await get('/line/lines/153/extensions', { 'x-api-key': key });
    expect(res.statusCode, res.body).toBe(200);
    // Another organisation's agent is not on this line.
    expect(res.json()).toEqual({ line: '153', extensions: ['1001', '1002', '1003'] });
    expect((await get('/line/lines/153/extensions', { 'x-api-key': 'nope' })).statusCode).toBe(401);
    expect((await get('/line/lines/154/extensions', { 'x-api-key': key })).statusCode).toBe(404);
  });
});

describe('two API instances on one PostgreSQL line', () => {
  let t: TestApp;
  let second: TestApp['app'];
  let secondDb: Awaited<ReturnType<typeof reopen>>;
  beforeEach(async () => {
    t = await createTestApp('postgres');
    const { buildApp } = await import('../app');
    const { InProcessChangeNotifier } = await import('../changefeed/notifier');
    secondDb = await reopen(t);
    second = await buildApp({
      db: secondDb,
      notifier: new InProcessChangeNotifier(),
      config: t.backend.config,
      clock: t.clock.now,
    });
  });
  afterEach(async () => {
    await second.close();
    await secondDb.close();
    await t.close();
  });

  it('hands waiting callers out exactly once, in arrival order', async () => {
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    const admin = (await login(t, 'yonetici')).accessToken;
    const santral = await createUser(t, { username: 'santral', role: 'agent', orgCode: 'bikom' });
    const key = (await issueKey(t, admin, santral, 'SIP santrali')).key;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await createUser(t, { username: `t${i}`, role: 'agent' });
      ids.push(id);
      await t.backend.db
        .insertInto('line_agent')
        .values({
          user_id: id,
          extension: `100${i}`,
          skills: '[]',
          updated_at: '2026-03-02T08:00:00.000Z',
        })
        .execute();
    }
    const apps = [t.app, second];
    const ask = async (i: number, url: string, body: Record<string, unknown>) => {
      const res = await apps[i % 2]!.inject({
        method: 'POST',
        url,
        headers: { 'x-api-key': key },
        payload: body,
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json<Decision>();
    };
    // Eight callers arrive through both instances, one after another: all wait, in order.
    const calls = Array.from({ length: 8 }, () => randomUUID());
    for (const [i, id] of calls.entries()) {
      t.clock.advance(1);
      expect(
        await ask(i, '/line/calls', { line: '153', sipCallId: id, number: `0532111000${i}` }),
      ).toMatchObject({
        action: 'wait',
        position: i + 1,
      });
    }
    // Four agents become available; every caller is polled at once through both instances,
    // twice over, repeatedly until no more rings come.
    for (const [i, id] of ids.entries()) {
      await t.backend.db
        .insertInto('agent_state')
        .values({
          user_id: id,
          org_code: 'bikom',
          state: 'available',
          reason: null,
          since: `2026-03-02T08:0${i}:00.000Z`,
          updated_at: '2026-03-02T08:00:00.000Z',
        })
        .execute();
    }
    const rung = new Map<string, string>();
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        [...calls, ...calls].map((id, i) =>
          ask(i, '/line/calls/next', { sipCallId: id }).then((d) => [id, d] as const),
        ),
      );
      for (const [id, d] of answers) {
        if (d.action !== 'ring') continue;
        const before = rung.get(id);
        // The same caller asked twice gets the same offer, never a second agent.
        if (before !== undefined) expect(d.agentId).toBe(before);
        rung.set(id, d.agentId!);
      }
    }
    // Exactly the first four callers, each to a different agent, the longest idle to the first.
    expect([...rung.keys()].sort()).toEqual(calls.slice(0, 4).sort());
    expect(new Set(rung.values()).size).toBe(4);
    expect(rung.get(calls[0]!)).toBe(ids[0]);
    const offers = await t.backend.db.selectFrom('line_offer').selectAll().execute();
    expect(offers).toHaveLength(4);
  });
});

/** A second pool on the same PostgreSQL database, as a second API instance would have. */
async function reopen(t: TestApp) {
  const { openServerDb } = await import('../db/open');
  return openServerDb(t.backend.config);
}

describe('line settings', () => {
  it('come from ALO153_LINES as JSON, with the defaults filled in and mistakes named', async () => {
    const { configFromEnv } = await import('../config');
    expect(configFromEnv({}).lines).toEqual([
      expect.objectContaining({ number: '153', orgCode: 'bikom', ringTimeoutSeconds: 15 }),
    ]);
    const two = configFromEnv({
      ALO153_LINES:
        '[{"number":"153","orgCode":"bikom","maxWaitSeconds":600},{"number":"4441153","orgCode":"osmangazi","serviceLevelSeconds":30}]',
    }).lines;
    expect(two.map((l) => [l.number, l.orgCode, l.maxWaitSeconds, l.serviceLevelSeconds])).toEqual([
      ['153', 'bikom', 600, 20],
      ['4441153', 'osmangazi', 300, 30],
    ]);
    expect(() => configFromEnv({ ALO153_LINES: '[{"number":"15x","orgCode":"bikom"}]' })).toThrow(
      /ALO153_LINES/,
    );
    expect(() => configFromEnv({ ALO153_LINES: 'not json' })).toThrow(
      /ALO153_LINES: expected JSON/,
    );
  });
});
