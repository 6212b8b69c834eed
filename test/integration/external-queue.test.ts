import { describe, expect, it } from 'vitest';
import type { Sok, SokListPage } from '../../src/domain/sok';
import { remindExternalOrgs } from '../../src/server/notifications/external';
import { readReferenceFile } from '../../src/server/reference-seed';
import { indexReference } from '../../src/server/sync/reference-index';
import { call, signInAs, validDraft, useTestStack } from '../support/stack';

/**
 * BİKOM's "Dış kurumda" inbox state (docs/mailbox.md): real client cores on a real central API.
 * A ŞÖK routed to UEDAŞ (outside the app) is listed for the call centre from the desk's own
 * store; after the server's reminder pass and a sync it shows as overdue; a district desk is
 * refused the list in Turkish.
 */
const stack = useTestStack({
  sync: { auto: false, backoffMinMs: 50, backoffMaxMs: 500, pollIntervalMs: 60_000 },
});

describe('the call centre’s list of ŞÖKs waiting for organisations outside the app', () => {
  it('lists the ŞÖK routed to UEDAŞ for BİKOM, overdue after the reminder pass; others are refused', async () => {
    const agent = stack.open('agent');
    await signInAs(agent);
    const sok = await call<Sok>(agent, 'sok.create', {
      ...validDraft,
      description: 'Sokak lambası bir haftadır yanmıyor, direk yan yatmış.',
    });
    await call(agent, 'sok.route', {
      sokId: sok.id,
      targetOrg: 'uedas',
      reason: 'Elektrik direği: UEDAŞ’ın görevi.',
    });
    const other = await call<Sok>(agent, 'sok.create', validDraft);
    await agent.sync.syncNow();

    const external = () => call<SokListPage>(agent, 'sok.inbox', { state: 'external' });
    let page = await external();
    expect(page.items.map((s) => s.id)).toEqual([sok.id]);
    expect(page.items[0]?.targetOrg).toBe('uedas');
    expect(page.external?.[sok.id]).toMatchObject({ overdueAt: null, answeredAt: null });
    const sentAt = page.external?.[sok.id]?.sentAt ?? '';
    expect(Date.parse(sentAt)).toBeGreaterThanOrEqual(Date.parse(sok.createdAt));
    expect(page.items.map((s) => s.id)).not.toContain(other.id);

    // Two weeks on, the server's reminder pass finds no answer from UEDAŞ.
    const { server } = stack.api;
    const reference = indexReference(
      readReferenceFile(server.config.referenceFile),
      server.config.workflow,
    );
    const later = new Date(Date.now() + 14 * 24 * 3600 * 1000);
    expect(await remindExternalOrgs(server.db, reference, later)).toMatchObject({ reminded: 1 });
    await agent.sync.syncNow();
    page = await external();
    expect(page.external?.[sok.id]?.overdueAt).toBe(later.toISOString());

    // The answer came (by phone or e-mail): BİKOM records UEDAŞ's decision on the ŞÖK as it
    // stands (no routing back to itself, no referral message to the citizen), owes the callback,
    // and the ŞÖK leaves the list; the central API accepts the same decision.
    const decided = await call<Sok>(agent, 'sok.decide', {
      sokId: sok.id,
      kind: 'already-done',
      explanation: 'UEDAŞ ekibi direği değiştirdi, lamba yanıyor.',
    });
    expect(decided.status).toBe('decided');
    expect(decided.callback?.ownerOrg).toBe('bikom');
    expect((await external()).items).toEqual([]);
    await agent.sync.syncNow();
    const stored = await server.db
      .selectFrom('sok')
      .select(['status', 'target_org', 'callback_owner_org'])
      .where('id', '=', sok.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'decided', target_org: 'uedas', callback_owner_org: 'bikom' });

    // A district desk is not the call centre: refused, in Turkish, whatever it holds.
    const desk = stack.open('desk');
    await signInAs(desk, {
      username: 'masa1',
      displayName: 'Deniz Masa',
      password: 'masa1-parola-2026',
      role: 'desk',
      orgCode: 'ilce.yildirim',
    });
    await desk.sync.syncNow();
    const refused = await desk.dispatch('sok.inbox', { state: 'external' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'Dış kurumlarda bekleyen ŞÖK’leri yalnızca çağrı merkezi (BİKOM) kullanıcıları görebilir.',
      },
    });
    // Its own inbox states are as before.
    expect(
      (await call<SokListPage>(desk, 'sok.inbox', { state: 'new' })).items.map((s) => s.id),
    ).toEqual([other.id]);
  });
});
