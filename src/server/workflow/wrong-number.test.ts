import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * "Yanlış numara" closes the callback as unreachable, and the decision must then reach the
 * citizen in writing — but never at the number just marked wrong (it carries their name and
 * their request): by e-mail when the ŞÖK has an address, else a written notice by post or in
 * person, recorded on the timeline.
 */
forEachBackend('a wrong number never receives the decision', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let mutationId = 0;

  beforeEach(async () => {
    t = await createTestApp(kind, { workflow: { minAttemptIntervalMinutes: 0 } });
    for (const [username, role, orgCode] of [
      ['ajan', 'agent', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
  });
  afterEach(() => t.close());

  const applied = async (user: string, kind: Mutation['kind'], payload: unknown) => {
    mutationId += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens[user]!),
      payload: { mutations: [{ id: mutationId, kind, payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PushResponse>().results[0]!;
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
  };

  /** Registered, decided by Yıldırım's desk, and the one call reached a wrong number. */
  const decidedThenWrongNumber = async (overrides: Record<string, unknown>) => {
    const id = randomUUID();
    await applied('ajan', 'sok.create', {
      id,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: 'Çınar Sokak',
      description: 'Sokakta derin bir çukur var.',
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      registeredAt: t.clock.now().toISOString(),
      ...overrides,
    });
    await applied('masa1', 'sok.decide', {
      sokId: id,
      kind: 'wont-do',
      reasonCategory: 'private',
      explanation: 'Çukur özel otoparkın içinde; mülk sahibinin sorumluluğunda.',
    });
    await applied('masa1', 'callback.claim', { sokId: id });
    t.clock.advance(60);
    await applied('masa1', 'callback.attempt', {
      sokId: id,
      at: t.clock.now().toISOString(),
      outcome: 'wrong-number',
      note: 'Arayan başka biri çıktı.',
    });
    const decisionMessages = await t.backend.db
      .selectFrom('notification')
      .select(['channel', 'recipient', 'body'])
      .where('sok_id', '=', id)
      .where('purpose', '=', 'decision')
      .execute();
    const timeline = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'note'])
      .where('sok_id', '=', id)
      .orderBy('change_seq')
      .execute();
    return { decisionMessages, timeline };
  };

  it('with an e-mail address: the decision goes by e-mail only, and the timeline says why', async () => {
    const { decisionMessages, timeline } = await decidedThenWrongNumber({
      citizenEmail: 'ayse@example.org',
    });
    expect(decisionMessages.map((m) => [m.channel, m.recipient])).toEqual([
      ['email', 'ayse@example.org'],
    ]);
    expect(decisionMessages.some((m) => m.recipient === '+905321234567')).toBe(false);
    expect(timeline.find((e) => e.kind === 'decision-by-email')?.note).toContain('Numara yanlış');
  });

  it('without an e-mail address: nothing is sent, a written notice is asked for on the timeline', async () => {
    const { decisionMessages, timeline } = await decidedThenWrongNumber({});
    expect(decisionMessages).toEqual([]);
    const notice = timeline.find((e) => e.kind === 'written-notice-needed');
    expect(notice?.note).toContain('posta ile veya elden');
    expect(timeline.find((e) => e.kind === 'unreachable')?.note).toContain('Numara yanlış');
  });
});
