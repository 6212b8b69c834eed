import { describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../src/domain/bridge/contract';
import type { Sok } from '../../src/domain/sok';
import { call, signInAs, useTestStack, validDraft } from '../support/stack';

/**
 * Issue #21: every desktop notification is the bridge event `app.notification`, raised by the
 * client core, whoever asked for it — the page (`app.notify`: an incoming call, a callback due)
 * or the core itself (a change the server refused) — and handed to the host's system notifier
 * (Electron) as well.
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

describe('desktop notifications', () => {
  it('are raised once per key for the page and the system notifier', async () => {
    const system = vi.fn();
    const core = stack.open('desk', { desktopNotify: system });
    const seen: EventPayload<'app.notification'>[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'app.notification') seen.push(payload as EventPayload<'app.notification'>);
    });
    const ringing = {
      kind: 'incoming-call',
      key: 'incoming-call:c1',
      title: 'Gelen arama',
      body: '0532 123 45 67',
    };
    expect(await call(core, 'app.notify', ringing)).toEqual({ shown: true });
    expect(await call(core, 'app.notify', ringing)).toEqual({ shown: false });
    expect(seen).toEqual([expect.objectContaining(ringing)]);
    expect(system).toHaveBeenCalledTimes(1);
    expect(system).toHaveBeenCalledWith(expect.objectContaining({ kind: 'incoming-call' }));
  });

  it('tell the user when the server refused one of their changes', async () => {
    const agent = stack.open('agent');
    await signInAs(agent);
    const sok = await call<Sok>(agent, 'sok.create', validDraft);
    await agent.sync.syncNow();
    const system = vi.fn();
    const a = stack.open('desk-a', { desktopNotify: system });
    const b = stack.open('desk-b');
    await signInAs(a, desk('masa1', 'Deniz Masa'));
    await signInAs(b, desk('masa2', 'Derya Masa'));
    await call(a, 'sok.accept', { sokId: sok.id });
    await call(a, 'sok.decide', {
      sokId: sok.id,
      kind: 'wont-do',
      reasonCategory: 'private',
      explanation: 'Konteyner sitenin özel alanında; site yönetimi boşaltmalı.',
    });
    await a.sync.syncNow();
    await b.sync.syncNow();
    // Desk A claims offline; desk B claims and syncs first: A's claim is refused.
    await call(a, 'callback.claim', { sokId: sok.id });
    await call(b, 'callback.claim', { sokId: sok.id });
    await b.sync.syncNow();
    await a.sync.syncNow();
    expect(system).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'sync-rejected',
        title: 'Bir değişikliğiniz sunucuda reddedildi',
        body: 'Bu geri aramayı Derya Masa üstlendi.',
      }),
    );
  });
});
