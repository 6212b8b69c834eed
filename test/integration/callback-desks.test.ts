import { describe, expect, it } from 'vitest';
import type { Sok, SokListPage } from '../../src/domain/sok';
import type { RejectedMutation } from '../../src/domain/session';
import { call, signInAs, validDraft, useTestStack } from '../support/stack';

/**
 * The callback queue across desks (real client cores, a real central API): a claim made offline
 * that lost to another desk's is refused at sync, rolled back, and the loser is told who holds it;
 * the local state machine then refuses what the server would.
 */
const stack = useTestStack({
  sync: { auto: false, backoffMinMs: 50, backoffMaxMs: 500, pollIntervalMs: 60_000 },
});

const desk = (username: string, displayName: string) => ({
  username,
  displayName,
  password: `${username}-parola-2026`,
  role: 'desk' as const,
  orgCode: 'ilce.yildirim',
});

describe('callback claims across two desks', () => {
  it('an offline claim that lost is refused at sync with the winner’s name and rolled back', async () => {
    const agent = stack.open('agent');
    await signInAs(agent);
    const sok = await call<Sok>(agent, 'sok.create', validDraft);
    await agent.sync.syncNow();
    expect(sok.targetOrg).toBe('ilce.yildirim');

    const a = stack.open('desk-a');
    const b = stack.open('desk-b');
    await signInAs(a, desk('masa1', 'Deniz Masa'));
    await signInAs(b, desk('masa2', 'Derya Masa'));
    const inbox = await call<SokListPage>(a, 'sok.inbox', { state: 'new' });
    expect(inbox.items.map((s) => s.id)).toEqual([sok.id]);

    await call(a, 'sok.accept', { sokId: sok.id });
    const decided = await call<Sok>(a, 'sok.decide', {
      sokId: sok.id,
      kind: 'wont-do',
      reasonCategory: 'private',
      explanation: 'Konteyner sitenin özel alanında; site yönetimi boşaltmalı.',
    });
    // Applied on the desk at once, before the server has seen it.
    expect(decided).toMatchObject({ status: 'decided', syncState: 'pending' });
    expect(decided.callback).toMatchObject({ ownerOrg: 'ilce.yildirim', state: 'open' });
    await a.sync.syncNow();
    await b.sync.syncNow();
    expect((await call<SokListPage>(b, 'callback.list', { owner: 'unclaimed' })).total).toBe(1);

    // Desk A is offline (no sync) and claims; desk B claims and syncs first.
    await call(a, 'callback.claim', { sokId: sok.id });
    await call(b, 'callback.claim', { sokId: sok.id });
    await b.sync.syncNow();
    await a.sync.syncNow();

    const rejected = await call<RejectedMutation[]>(a, 'sync.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      kind: 'callback.claim',
      message: 'Bu geri aramayı Derya Masa üstlendi.',
    });
    const onA = await call<Sok>(a, 'sok.get', { id: sok.id });
    expect(onA.callback?.claimedByName).toBe('Derya Masa');
    expect((await call<SokListPage>(a, 'callback.list', { owner: 'mine' })).total).toBe(0);
    expect((await call<SokListPage>(b, 'callback.list', { owner: 'mine' })).total).toBe(1);

    // Desk A's screen now refuses a call on it, with the same reason the server would give.
    const refused = await a.dispatch('callback.attempt', {
      sokId: sok.id,
      outcome: 'no-answer',
      note: '',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Bu geri aramayı Derya Masa üstlendi.' },
    });
  });

  it('refuses a decision without its required details, in Turkish, and writes nothing', async () => {
    const agent = stack.open('agent');
    await signInAs(agent);
    const sok = await call<Sok>(agent, 'sok.create', validDraft);
    await agent.sync.syncNow();
    const a = stack.open('desk-a');
    await signInAs(a, desk('masa1', 'Deniz Masa'));
    const bad = await a.dispatch('sok.decide', {
      sokId: sok.id,
      kind: 'wont-do',
      explanation: 'kısa',
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        fields: {
          reasonCategory: 'Neden kategorisini seçin.',
          explanation: 'Neden yapılamayacağını ayrıntılı yazın (en az 20 karakter).',
        },
      },
    });
    expect(await call<Sok>(a, 'sok.get', { id: sok.id })).toMatchObject({
      status: 'routed',
      decision: null,
      syncState: 'synced',
    });
  });
});
