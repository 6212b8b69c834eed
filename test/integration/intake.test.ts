import { describe, expect, it } from 'vitest';
import type { CallerContext, RoutePreview } from '../../src/domain/bridge/contract';
import type { AdminUser } from '../../src/domain/session';
import type { Sok, SokListPage } from '../../src/domain/sok';
import type { SokEvent } from '../../src/domain/sync';
import { ADMIN, call, signInAs, useTestStack, validDraft } from '../support/stack';

const stack = useTestStack({ sync: { auto: false } });
const open = (name: string) => stack.open(name);

describe('routing at registration', () => {
  it('suggests the responsible body and sends the ŞÖK there, with the rule on the timeline', async () => {
    const desk = open('bikom');
    await signInAs(desk);
    const preview = await call<RoutePreview>(desk, 'routing.preview', {
      topicCode: 'yol.cukur',
      districtCode: 'nilufer',
      address: 'Fatih Sultan Mehmet Bulvarı',
    });
    expect(preview).toMatchObject({
      targetOrg: 'bb.fen-isleri',
      ruleId: 'yol-anaarter',
      targetName: 'Fen İşleri Dairesi Başkanlığı',
    });
    expect(
      (
        await call<RoutePreview>(desk, 'routing.preview', {
          topicCode: 'yol.cukur',
          districtCode: 'nilufer',
          address: 'Lale Sokak',
        })
      ).targetOrg,
    ).toBe('ilce.nilufer');

    const sok = await call<Sok>(desk, 'sok.create', {
      ...validDraft,
      topicCode: 'yol.cukur',
      districtCode: 'nilufer',
      address: 'Lale Sokak 3',
    });
    expect(sok).toMatchObject({
      status: 'routed',
      targetOrg: 'ilce.nilufer',
      routeRuleId: 'yol-ilce',
    });
    await desk.sync.syncNow();
    const { events } = await call<{ events: SokEvent[] }>(desk, 'sok.timeline', { id: sok.id });
    expect(events.map((e) => e.kind)).toEqual(['registered', 'routed']);
    expect(events[1]?.note).toContain('Nilüfer Belediyesi');
  });

  it('lets the agent override the suggestion only with a reason, and records it', async () => {
    const desk = open('bikom');
    await signInAs(desk);
    const noReason = await desk.dispatch('sok.create', {
      ...validDraft,
      targetOrg: 'bb.fen-isleri',
    });
    expect(noReason).toMatchObject({
      ok: false,
      error: { fields: { routeReason: expect.stringContaining('nedenini') } },
    });
    const sok = await call<Sok>(desk, 'sok.create', {
      ...validDraft,
      targetOrg: 'bb.fen-isleri',
      routeReason: 'Konteyner bulvar üzerinde, büyükşehir sorumlu.',
    });
    expect(sok).toMatchObject({
      targetOrg: 'bb.fen-isleri',
      routeRuleId: null,
      routeReason: 'Konteyner bulvar üzerinde, büyükşehir sorumlu.',
    });
    await desk.sync.syncNow();
    const row = await stack.api.server.db
      .selectFrom('sok')
      .selectAll()
      .where('id', '=', sok.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      target_org: 'bb.fen-isleri',
      route_rule_id: null,
      route_reason: 'Konteyner bulvar üzerinde, büyükşehir sorumlu.',
    });
  });

  it('re-routes a ŞÖK keeping its number; the old unit loses it, the new one gets it, the timeline says who and why', async () => {
    const bikom = open('bikom');
    await signInAs(bikom);
    const sok = await call<Sok>(bikom, 'sok.create', { ...validDraft, districtCode: 'nilufer' });
    await bikom.sync.syncNow();
    const nilufer = open('nilufer');
    await call(nilufer, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    await call(nilufer, 'admin.users.create', {
      username: 'nilufer1',
      displayName: 'Nilüfer Masa',
      password: 'nilufer-parola-2026',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    });
    await call(nilufer, 'admin.users.create', {
      username: 'fen1',
      displayName: 'Fen İşleri',
      password: 'fen-isleri-parola-2026',
      role: 'desk',
      orgCode: 'bb.fen-isleri',
    });
    await call(nilufer, 'auth.logout', { force: true });
    await call(nilufer, 'auth.login', { username: 'nilufer1', password: 'nilufer-parola-2026' });
    await nilufer.sync.syncNow();
    expect((await call<Sok>(nilufer, 'sok.get', { id: sok.id })).regNo).toBe(sok.regNo);

    // The district desk forwards it: the road is the metropolitan municipality's.
    await call(nilufer, 'sok.route', {
      sokId: sok.id,
      targetOrg: 'bb.fen-isleri',
      reason: 'Ana arter, büyükşehirin sorumluluğunda.',
    });
    await nilufer.sync.syncNow();
    await nilufer.sync.syncNow();
    expect(await nilufer.dispatch('sok.get', { id: sok.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    const fen = open('fen');
    await call(fen, 'auth.login', { username: 'fen1', password: 'fen-isleri-parola-2026' });
    await fen.sync.syncNow();
    const routed = await call<Sok>(fen, 'sok.get', { id: sok.id });
    expect(routed).toMatchObject({
      regNo: sok.regNo,
      targetOrg: 'bb.fen-isleri',
      routeReason: 'Ana arter, büyükşehirin sorumluluğunda.',
    });
    const { events } = await call<{ events: SokEvent[] }>(fen, 'sok.timeline', { id: sok.id });
    const users = await stack.api.server.db
      .selectFrom('app_user')
      .select(['id', 'username'])
      .execute();
    const niluferId = users.find((u) => u.username === 'nilufer1')?.id;
    expect(events.at(-1)).toMatchObject({
      kind: 'rerouted',
      actorId: niluferId,
      actorOrg: 'ilce.nilufer',
      data: { from: 'ilce.nilufer', targetOrg: 'bb.fen-isleri' },
    });
  });
});

describe('caller context', () => {
  it('shows a caller’s earlier ŞÖKs and offers to add the call to an open one on the same topic and mahalle', async () => {
    const desk = open('bikom');
    await signInAs(desk);
    const first = await call<Sok>(desk, 'sok.create', {
      ...validDraft,
      citizenPhone: '0532 555 44 33',
      mahalle: 'Değirmenönü',
    });
    const ctx = await call<CallerContext>(desk, 'sok.callerContext', { phone: '05325554433' });
    expect(ctx.phone).toBe('0532 555 44 33');
    expect(ctx.soks.map((s) => s.id)).toEqual([first.id]);

    const same = await call<CallerContext>(desk, 'sok.callerContext', {
      phone: '0541 000 11 22',
      topicCode: validDraft.topicCode,
      mahalle: 'DEĞİRMENÖNÜ',
    });
    expect(same.soks).toEqual([]);
    expect(same.duplicates.map((s) => s.id)).toEqual([first.id]);

    await call(desk, 'sok.addContact', {
      sokId: first.id,
      citizenName: 'Mehmet Kaya',
      citizenPhone: '0541 000 11 22',
      note: 'Aynı konteyner',
    });
    await desk.sync.syncNow();
    const { events } = await call<{ events: SokEvent[] }>(desk, 'sok.timeline', { id: first.id });
    expect(events.at(-1)).toMatchObject({ kind: 'contact', note: 'Mehmet Kaya: Aynı konteyner' });
    expect(await stack.api.server.db.selectFrom('sok').select('id').execute()).toHaveLength(1);
  });
});

describe('drafts and lists', () => {
  it('keeps a half-typed ŞÖK across a restart of the app', async () => {
    const desk = open('desk');
    await signInAs(desk);
    await call(desk, 'draft.save', {
      key: 'intake',
      values: { description: 'Yarıda kalan çağrı', citizenPhone: '0532' },
    });
    await stack.close(desk);
    const again = open('desk');
    expect(await call(again, 'draft.get', { key: 'intake' })).toMatchObject({
      values: { description: 'Yarıda kalan çağrı' },
    });
    await call(again, 'draft.clear', { key: 'intake' });
    expect(await call(again, 'draft.get', { key: 'intake' })).toBeNull();
  });

  it('filters and pages the ŞÖK list', async () => {
    const desk = open('desk');
    await signInAs(desk);
    for (const [districtCode, topicCode] of [
      ['nilufer', 'yol.cukur'],
      ['nilufer', 'temizlik.cop-toplanmadi'],
      ['gemlik', 'temizlik.cop-toplanmadi'],
    ]) {
      await call(desk, 'sok.create', { ...validDraft, districtCode, topicCode });
    }
    const nilufer = await call<SokListPage>(desk, 'sok.list', { districtCode: 'nilufer' });
    expect(nilufer.total).toBe(2);
    expect(nilufer.items.every((s) => s.districtCode === 'nilufer')).toBe(true);
    const rubbish = await call<SokListPage>(desk, 'sok.list', {
      query: 'cop',
      districtCode: 'gemlik',
    });
    expect(rubbish.items.map((s) => s.districtCode)).toEqual(['gemlik']);
    const page2 = await call<SokListPage>(desk, 'sok.list', { offset: 2, limit: 2 });
    expect(page2.items).toHaveLength(1);
    expect(page2.total).toBe(3);
    const routedToGemlik = await call<SokListPage>(desk, 'sok.list', {
      targetOrg: 'ilce.gemlik',
      status: 'routed',
    });
    expect(routedToGemlik.total).toBe(1);
    const users = await call<AdminUser[]>(desk, 'admin.users.list').catch(() => []);
    expect(users).toEqual([]);
  });
});
