import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation, PullResponse, PushResponse, SokWire } from '../../domain/sync';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import { readReferenceFile } from '../reference-seed';
import { indexReference } from '../sync/mutations';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { sweepCallbacks } from './sweeper';

/**
 * The mandated callback on the server, both backends: the state machine enforced on push, the
 * messages and e-mails it causes written in the same transaction, KVKK masking on pull, and the
 * sweeper that returns lapsed claims and escalates overdue callbacks. The clock starts on Monday
 * 2 March 2026, 12:00 in Istanbul.
 */
forEachBackend('callback workflow', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const counters: Record<string, number> = {};

  const setup = async (workflow: Record<string, unknown> = {}) => {
    t = await createTestApp(kind, { workflow: { minAttemptIntervalMinutes: 0, ...workflow } });
    for (const [username, role, orgCode] of [
      ['ajan', 'agent', 'bikom'],
      ['bsup', 'supervisor', 'bikom'],
      ['yonetici', 'admin', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
      ['masa2', 'desk', 'ilce.yildirim'],
      ['fen', 'desk', 'bb.fen-isleri'],
      ['nilufer', 'desk', 'ilce.nilufer'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
      counters[username] = 0;
    }
    // The mailboxes the other side's e-mails go to (admins set them).
    for (const [code, email] of [
      ['bikom', 'bikom@alo153.test'],
      ['ilce.yildirim', 'masa@yildirim.test'],
      ['ilce.nilufer', 'masa@nilufer.test'],
    ]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/admin/organisations/${code}`,
        headers: bearer(tokens.yonetici!),
        payload: { email },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  };
  afterEach(() => t.close());

  const push = async (user: string, kind: Mutation['kind'], payload: unknown) => {
    counters[user]! += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens[user]!),
      payload: { mutations: [{ id: counters[user]!, kind, payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PushResponse>().results[0]!;
  };
  const applied = async (user: string, kind: Mutation['kind'], payload: unknown) => {
    const result = await push(user, kind, payload);
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
  };
  const pullSok = async (user: string, id: string): Promise<SokWire | undefined> => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/sync/pull?cursor=0&limit=1000',
      headers: bearer(tokens[user]!),
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<PullResponse>();
    let found: SokWire | undefined;
    for (const c of page.changes) {
      if (c.op === 'upsert' && c.sok.id === id) found = c.sok;
      if (c.op === 'remove' && c.id === id) found = undefined;
    }
    return found;
  };
  const events = async (id: string) =>
    (
      await t.backend.db
        .selectFrom('sok_event')
        .select(['kind', 'note', 'actor_org'])
        .where('sok_id', '=', id)
        .orderBy('change_seq')
        .execute()
    ).map((e) => e.kind);
  const messages = async (id: string) =>
    t.backend.db
      .selectFrom('notification')
      .select(['channel', 'purpose', 'recipient', 'subject', 'body'])
      .where('sok_id', '=', id)
      .where('purpose', '<>', 'receipt')
      .orderBy('change_seq')
      .execute();

  /** A pothole in Yıldırım, registered by BİKOM: the rules send it to Yıldırım's desk. */
  const register = async (by = 'ajan', overrides: Record<string, unknown> = {}) => {
    const id = randomUUID();
    await applied(by, 'sok.create', {
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
    return id;
  };
  const decideWontDo = (id: string) =>
    applied('masa1', 'sok.decide', {
      sokId: id,
      kind: 'wont-do',
      reasonCategory: 'private',
      explanation: 'Çukur özel otoparkın içinde; mülk sahibinin sorumluluğunda.',
    });
  const attempt = (user: string, id: string, outcome: string, note = '') =>
    push(user, 'callback.attempt', {
      sokId: id,
      at: t.clock.now().toISOString(),
      outcome,
      note,
    });

  describe('', () => {
    beforeEach(() => setup());

    it('the desk accepts, decides, reaches the citizen; the ŞÖK closes and BİKOM is e-mailed', async () => {
      const id = await register();
      expect(await pullSok('masa1', id)).toMatchObject({
        status: 'routed',
        targetOrg: 'ilce.yildirim',
      });
      await applied('masa1', 'sok.accept', { sokId: id });
      await decideWontDo(id);
      const decided = await pullSok('masa1', id);
      expect(decided).toMatchObject({
        status: 'decided',
        decision: { kind: 'wont-do', decidedOrg: 'ilce.yildirim', reasonCategory: 'private' },
        // Decided Monday 12:00, 2 working days → Wednesday 17:30 Istanbul.
        callback: { ownerOrg: 'ilce.yildirim', state: 'open', dueAt: '2026-03-04T14:30:00.000Z' },
      });
      await applied('masa1', 'callback.claim', { sokId: id });
      expect(
        await attempt('masa1', id, 'reached', 'Kararı anlattım, vatandaş anladı.'),
      ).toMatchObject({ status: 'applied' });

      expect(await pullSok('ajan', id)).toMatchObject({
        status: 'closed',
        callback: { state: 'done', attempts: 1, lastOutcome: 'reached' },
      });
      expect(await events(id)).toEqual([
        'registered',
        'routed',
        'accepted',
        'decided',
        'claimed',
        'attempt',
        'informed',
        'closed',
      ]);
      const mail = await messages(id);
      expect(mail).toHaveLength(1);
      expect(mail[0]).toMatchObject({
        channel: 'email',
        purpose: 'handoff',
        recipient: 'bikom@alo153.test',
        subject: expect.stringContaining('Kayıt No'),
      });
      expect(mail[0]!.body).toContain('Vatandaşa telefonla ulaşıldı');
      expect(mail[0]!.body).toContain('mülk sahibinin sorumluluğunda');
      // A completed callback is never redone.
      expect(await push('masa2', 'callback.claim', { sokId: id })).toMatchObject({
        status: 'rejected',
        error: { code: 'conflict', message: expect.stringContaining('tamamlanmış') },
      });
    });

    it('an attempt made with the softphone records its call as evidence; false evidence is refused', async () => {
      const id = await register();
      await decideWontDo(id);
      await applied('masa1', 'callback.claim', { sokId: id });
      const call = (by: string, number: string) => {
        const c = {
          id: randomUUID(),
          sipCallId: `${randomUUID()}@alo153.test`,
          direction: 'outbound',
          number,
          startedAt: t.clock.now().toISOString(),
          answeredAt: null,
          endedAt: t.clock.now().toISOString(),
          outcome: 'failed',
          endReason: 'Meşgul',
        };
        return applied(by, 'call.log', c).then(() => c);
      };
      const withCall = (c: { id: string; sipCallId: string }, outcome = 'busy') =>
        push('masa1', 'callback.attempt', {
          sokId: id,
          at: t.clock.now().toISOString(),
          outcome,
          note: '',
          callId: c.id,
          sipCallId: c.sipCallId,
        });
      const refused = (message: string) => ({
        status: 'rejected',
        error: { code: 'validation', message, fields: { callId: message } },
      });

      // Dialled in the national form; the ŞÖK has the number in E.164: the same number.
      const busy = await call('masa1', '05321234567');
      expect(await withCall(busy)).toMatchObject({ status: 'applied' });
      const [event] = await t.backend.db
        .selectFrom('sok_event')
        .select('data')
        .where('sok_id', '=', id)
        .where('kind', '=', 'attempt')
        .execute();
      expect(JSON.parse(String(event!.data))).toMatchObject({
        outcome: 'busy',
        callId: busy.id,
        sipCallId: busy.sipCallId,
      });

      const notFound = 'Bu arama için kanıt gösterilen çağrı kaydı bulunamadı.';
      t.clock.advance(60);
      expect(await withCall({ ...busy, sipCallId: 'baska@alo153.test' })).toMatchObject(
        refused(notFound),
      );
      expect(await withCall({ id: randomUUID(), sipCallId: busy.sipCallId })).toMatchObject(
        refused(notFound),
      );
      // Another organisation's call is no evidence here.
      expect(await withCall(await call('ajan', '05321234567'))).toMatchObject(refused(notFound));
      expect(await withCall(await call('masa1', '05339998877'))).toMatchObject(
        refused('Kanıt gösterilen çağrı vatandaşın numarasına yapılmamış.'),
      );
      expect(await pullSok('masa1', id)).toMatchObject({ callback: { attempts: 1 } });
    });

    it('three unanswered calls: the decision goes by SMS, the ŞÖK closes as unreachable, BİKOM is told', async () => {
      const id = await register();
      await decideWontDo(id);
      for (const outcome of ['no-answer', 'busy', 'no-answer']) {
        t.clock.advance(60);
        expect(await attempt('masa1', id, outcome)).toMatchObject({ status: 'applied' });
      }
      expect(await pullSok('masa1', id)).toMatchObject({
        status: 'closed',
        callback: { state: 'unreachable', attempts: 3 },
      });
      const kinds = await events(id);
      expect(kinds.slice(-5)).toEqual(['attempt', 'attempt', 'attempt', 'unreachable', 'closed']);
      const mail = await messages(id);
      expect(mail.map((m) => [m.channel, m.purpose, m.recipient])).toEqual([
        ['sms', 'decision', '+905321234567'],
        ['email', 'handoff', 'bikom@alo153.test'],
      ]);
      expect(mail[0]!.body).toContain('ulaşamadık');
      expect(mail[1]!.body).toContain('3 denemede ulaşılamadı');
      // Nothing more can be logged on it.
      t.clock.advance(60);
      expect(await attempt('masa1', id, 'reached', 'Geç de olsa')).toMatchObject({
        status: 'rejected',
      });
    });

    it('two desks claim the same callback at the same moment: exactly one wins, the other is told who', async () => {
      const id = await register();
      await decideWontDo(id);
      const [a, b] = await Promise.all([
        push('masa1', 'callback.claim', { sokId: id }),
        push('masa2', 'callback.claim', { sokId: id }),
      ]);
      const results = [a!, b!];
      expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost).toMatchObject({
        status: 'rejected',
        error: { code: 'conflict', message: expect.stringMatching(/Test masa[12] üstlendi/) },
      });
      const sok = await pullSok('masa1', id);
      expect(sok?.callback?.claimedBy).not.toBeNull();
    });

    it('a misrouted ŞÖK returns to BİKOM with its reason and leaves the desk', async () => {
      const id = await register();
      expect(await push('masa1', 'sok.return', { sokId: id, reason: 'x' })).toMatchObject({
        status: 'rejected',
        error: { code: 'validation' },
      });
      await applied('masa1', 'sok.return', {
        sokId: id,
        reason: 'Çukur bulvar üzerinde, Büyükşehir’in yolu.',
      });
      expect(await pullSok('ajan', id)).toMatchObject({ status: 'routed', targetOrg: 'bikom' });
      expect(await pullSok('masa1', id)).toBeUndefined();
      // BİKOM forwards it to the metropolitan unit, which may then decide.
      await applied('ajan', 'sok.route', {
        sokId: id,
        targetOrg: 'bb.fen-isleri',
        reason: 'Bulvar: Fen İşleri',
      });
      expect(await push('fen', 'sok.accept', { sokId: id })).toMatchObject({ status: 'applied' });
      expect(await events(id)).toContain('returned');
    });

    it('only the organisation it was sent to may accept or decide; an admin may not act', async () => {
      const id = await register();
      expect(await push('nilufer', 'sok.accept', { sokId: id })).toMatchObject({
        status: 'rejected',
        error: { code: 'not-found' },
      });
      expect(await push('ajan', 'sok.accept', { sokId: id })).toMatchObject({
        status: 'rejected',
        error: { code: 'forbidden' },
      });
      expect(await push('yonetici', 'sok.accept', { sokId: id })).toMatchObject({
        status: 'rejected',
        error: { code: 'forbidden' },
      });
      expect(
        await push('masa1', 'sok.decide', { sokId: id, kind: 'will-do', explanation: '' }),
      ).toMatchObject({
        status: 'rejected',
        error: { code: 'validation', fields: { plannedDate: expect.any(String) } },
      });
    });

    it('district → metropolitan: the unit decides, the district is e-mailed, contact details are masked for BİKOM', async () => {
      const id = await register('nilufer', {
        topicCode: 'yol.cukur',
        districtCode: 'nilufer',
        mahalle: 'Beşevler',
        address: 'İzmir Yolu Bulvarı',
        targetOrg: 'bb.fen-isleri',
        routeReason: 'Bulvar üzerinde, Büyükşehir’in yolu.',
      });
      const forUnit = await pullSok('fen', id);
      expect(forUnit).toMatchObject({ citizenPhone: '+905321234567', contactMasked: false });
      const forBikom = await pullSok('ajan', id);
      expect(forBikom).toMatchObject({
        citizenPhone: '+90 532 *** ** 67',
        citizenName: 'A. I.',
        contactMasked: true,
      });
      // Another caller about it, and the citizen's receipt: masked for BİKOM as well.
      await applied('nilufer', 'sok.addContact', {
        sokId: id,
        citizenName: 'Mehmet Kaya',
        citizenPhone: '+905339998877',
        note: 'Aynı çukur',
      });
      const feed = async (user: string) => {
        const res = await t.app.inject({
          method: 'GET',
          url: '/sync/pull?cursor=0&limit=1000',
          headers: bearer(tokens[user]!),
        });
        return res.json<PullResponse>().changes;
      };
      const contactFor = async (user: string) =>
        (await feed(user)).find((c) => c.op === 'event' && c.event.kind === 'contact');
      expect(await contactFor('ajan')).toMatchObject({
        event: { note: 'M. K.: Aynı çukur', data: { citizenPhone: '+90 533 *** ** 77' } },
      });
      expect(await contactFor('fen')).toMatchObject({
        event: { note: 'Mehmet Kaya: Aynı çukur', data: { citizenPhone: '+905339998877' } },
      });
      const receiptFor = async (user: string) =>
        (await feed(user)).find((c) => c.op === 'receipt' && c.receipt.purpose === 'receipt');
      expect(await receiptFor('ajan')).toMatchObject({
        receipt: { recipient: '+90 532 *** ** 67' },
      });
      expect(await receiptFor('nilufer')).toMatchObject({
        receipt: { recipient: '+905321234567' },
      });
      await applied('fen', 'sok.decide', {
        sokId: id,
        kind: 'will-do',
        plannedDate: '2026-03-20',
        explanation: 'Asfalt yama ekibi programa aldı.',
      });
      expect(await attempt('fen', id, 'reached', 'Tarih verildi.')).toMatchObject({
        status: 'applied',
      });
      // "Will do" stays informed until the work is done; then the unit closes it.
      expect(await pullSok('fen', id)).toMatchObject({ status: 'informed' });
      await applied('fen', 'sok.close', { sokId: id, note: 'Yama yapıldı.' });
      expect(await pullSok('nilufer', id)).toMatchObject({ status: 'closed' });
      const mail = await messages(id);
      expect(mail.map((m) => [m.purpose, m.recipient])).toEqual([['handoff', 'masa@nilufer.test']]);
      expect(mail[0]!.body).toContain('20.03.2026');
    });

    it('the sweeper returns a lapsed claim to the pool and escalates an overdue callback twice, with e-mails', async () => {
      const id = await register();
      await decideWontDo(id);
      await applied('masa1', 'callback.claim', { sokId: id });
      const reference = indexReference(
        readReferenceFile(t.backend.config.referenceFile),
        t.backend.config.workflow,
      );
      const notifier = new InProcessChangeNotifier();
      // Due Wednesday 17:30; Thursday 09:00 it is late → the district's supervisor.
      t.clock.advance(3 * 24 * 3600 - 3 * 3600);
      const first = await sweepCallbacks(t.backend.db, reference, notifier, t.clock.now());
      expect(first).toEqual({ claimsExpired: 1, escalated: 1 });
      tokens.masa2 = (await login(t, 'masa2')).accessToken;
      expect(await pullSok('masa2', id)).toMatchObject({
        callback: { claimedBy: null, escalation: 1 },
      });
      // Nothing more until a working day after the due time has passed: then BİKOM.
      expect(await sweepCallbacks(t.backend.db, reference, notifier, t.clock.now())).toEqual({
        claimsExpired: 0,
        escalated: 0,
      });
      t.clock.advance(24 * 3600);
      expect(await sweepCallbacks(t.backend.db, reference, notifier, t.clock.now())).toEqual({
        claimsExpired: 0,
        escalated: 1,
      });
      expect((await events(id)).filter((k) => k === 'escalated' || k === 'claim-expired')).toEqual([
        'claim-expired',
        'escalated',
        'escalated',
      ]);
      expect((await messages(id)).map((m) => [m.purpose, m.recipient])).toEqual([
        ['escalation', 'masa@yildirim.test'],
        ['escalation', 'bikom@alo153.test'],
      ]);
    });

    it('admins declare extra days off; new deadlines skip them, and desks get them with the settings', async () => {
      const bad = await t.app.inject({
        method: 'PUT',
        url: '/admin/days-off',
        headers: bearer(tokens.masa1!),
        payload: { daysOff: [] },
      });
      expect(bad.statusCode).toBe(403);
      const res = await t.app.inject({
        method: 'PUT',
        url: '/admin/days-off',
        headers: bearer(tokens.yonetici!),
        payload: { daysOff: [{ date: '2026-03-03', kind: 'full', note: 'İdari izin (genelge)' }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const settings = await t.app.inject({
        method: 'GET',
        url: '/workflow/settings',
        headers: bearer(tokens.masa1!),
      });
      expect(settings.json()).toMatchObject({
        calendar: { daysOff: [{ date: '2026-03-03', kind: 'full' }] },
        policy: { maxAttempts: 3 },
      });
      const id = await register();
      await decideWontDo(id);
      // Monday + 2 working days, Tuesday off → Thursday 17:30.
      expect((await pullSok('masa1', id))?.callback?.dueAt).toBe('2026-03-05T14:30:00.000Z');
    });
  });

  describe('calling hours', () => {
    beforeEach(() => setup({ callingHours: '13:00-20:00' }));

    it('refuses an attempt outside the calling hours with a clear reason', async () => {
      const id = await register();
      await decideWontDo(id);
      expect(await attempt('masa1', id, 'no-answer')).toMatchObject({
        status: 'rejected',
        error: {
          code: 'validation',
          message: expect.stringContaining('Bu saatte vatandaş aranmaz'),
        },
      });
    });
  });
});
