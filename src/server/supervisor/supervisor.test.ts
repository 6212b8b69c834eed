import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callback } from '../../domain/workflow';
import type {
  QueueItemsResponse,
  QueuesResponse,
  SlaResponse,
  SlaRow,
  VolumesResponse,
} from '../../domain/supervisor';
import type { SokTable } from '../db/schema';
import { startSmtpProcess, type SmtpProcess } from '../../../test/support/notifications';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { namesOf, slaFigures, volumeFigures, type FigureContext } from './figures';
import { sendMonthlyReportIfDue } from './monthly';
import { refreshSupervisorStats } from './stats-refresher';
import { readReferenceFile } from '../reference-seed';

/**
 * The supervisor console's figures against a hand-computed fixture, on both backends. The clock
 * stands at Monday 2 March 2026, 12:00 Istanbul (09:00 UTC).
 *
 * ŞÖK  origin        target/owner     created (UTC)        callback due      ended             state
 * A    bikom         ilce.yildirim    2026-01-05 08:00     2026-02-10 14:30  02-10 10:00 done  on time, informed after 30 days
 * B    bikom         ilce.yildirim    2026-02-05 08:00     2026-02-12 14:30  02-13 09:00 done  late
 * C    bikom         ilce.yildirim    2026-02-10 08:00     2026-02-20 14:30  02-19 09:00 unreachable, on time
 * I    bikom         ilce.yildirim    2026-01-15 09:00     2026-02-14 14:30  02-14 09:00 done  exactly on the legal limit
 * D    bikom         bb.fen-isleri    2026-01-20 10:00     2026-02-25 14:30  open (overdue)
 * E    ilce.nilufer  bb.fen-isleri    2026-02-20 10:00     2026-03-05 14:30  open (not due; limit not passed)
 * F    bikom         ilce.nilufer     2026-01-10 10:00     callback cancelled (reopened), in evaluation
 * G    bikom         ilce.yildirim    2025-12-20 10:00     outside the period
 * J    bikom         ilce.yildirim    2026-03-01 10:00     new (routed)
 * K    bikom         ilce.yildirim    2026-03-01 10:00     2026-03-02 14:30  open: due today
 * L    ilce.osmangazi bb.fen-isleri   2026-03-01 10:00     new (routed); BİKOM sees the caller masked
 *
 * Period 2026-01-01 … 2026-02-28. Callback SLA (due in the period: A B C I D): on time A C I = 3,
 * ended 4, open overdue 1 → 3/5 = 60 %. Legal limit (registered in the period: A B C I D E F):
 * counted A B C I (informed) + D F (limit passed) = 6, compliant B C I = 3 → 50 %.
 */
forEachBackend('supervisor console', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const userIds: Record<string, string> = {};

  const callback = (
    owner: string,
    dueAt: string,
    state: Callback['state'],
    closedAt: string | null,
  ): Callback => ({
    ownerOrg: owner,
    state,
    origin: 'decision',
    createdAt: dueAt,
    dueAt,
    closedAt,
    attempts: state === 'unreachable' ? 3 : state === 'done' ? 1 : 0,
    lastAttemptAt: null,
    lastOutcome: null,
    claimedBy: null,
    claimedByName: null,
    claimUntil: null,
    escalation: 0,
  });

  let seq = 1000;
  const insert = async (
    key: string,
    f: {
      origin: string;
      target: string;
      created: string;
      status: string;
      district?: string;
      topic?: string;
      cb?: Callback;
    },
  ) => {
    const id = randomUUID();
    ids[key] = id;
    seq += 1;
    const row: Record<keyof SokTable, unknown> = {
      id,
      reg_no: `9000-${String(seq).padStart(4, '0')}`,
      type_code: 'sikayet',
      channel_code: f.origin === 'bikom' ? 'telefon' : 'web',
      topic_code: f.topic ?? 'yol.cukur',
      district_code: f.district ?? 'yildirim',
      mahalle: 'Değirmenönü',
      address: 'Çınar Sokak',
      description: `ŞÖK ${key}`,
      citizen_name: 'Ayşe Işık',
      citizen_phone: '+905321234567',
      status: f.status,
      origin_org: f.origin,
      target_org: f.target,
      created_by: userIds.ajan,
      created_at: f.created,
      updated_at: f.created,
      change_seq: seq,
      deleted: 0,
      citizen_email: null,
      preferred_contact: null,
      latitude: null,
      longitude: null,
      kvkk_notice_by: null,
      kvkk_notice_at: null,
      sms_consent: 0,
      route_rule_id: null,
      route_reason: null,
      accepted_by: null,
      accepted_at: null,
      decision: null,
      callback: f.cb ? JSON.stringify(f.cb) : null,
      callback_owner_org: f.cb?.ownerOrg ?? null,
      callback_state: f.cb?.state ?? null,
      callback_due_at: f.cb?.dueAt ?? null,
      callback_closed_at: f.cb?.closedAt ?? null,
      claimed_by: null,
      claim_until: null,
      escalation_level: f.cb ? 0 : null,
      anonymised_at: null,
      kvkk_notice_version: null,
      sms_consent_version: null,
      sms_consent_withdrawn_at: null,
    };
    await t.backend.db
      .insertInto('sok')
      .values(row as never)
      .execute();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const [username, role, orgCode] of [
      ['bsup', 'supervisor', 'bikom'],
      ['nsup', 'supervisor', 'ilce.nilufer'],
      ['ajan', 'agent', 'bikom'],
      ['yonetici', 'admin', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
      ['fen', 'desk', 'bb.fen-isleri'],
    ] as const) {
      userIds[username] = await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
    const y = 'ilce.yildirim';
    await insert('A', {
      origin: 'bikom',
      target: y,
      created: '2026-01-05T08:00:00.000Z',
      status: 'closed',
      cb: callback(y, '2026-02-10T14:30:00.000Z', 'done', '2026-02-10T10:00:00.000Z'),
    });
    await insert('B', {
      origin: 'bikom',
      target: y,
      created: '2026-02-05T08:00:00.000Z',
      status: 'closed',
      cb: callback(y, '2026-02-12T14:30:00.000Z', 'done', '2026-02-13T09:00:00.000Z'),
    });
    await insert('C', {
      origin: 'bikom',
      target: y,
      created: '2026-02-10T08:00:00.000Z',
      status: 'closed',
      cb: callback(y, '2026-02-20T14:30:00.000Z', 'unreachable', '2026-02-19T09:00:00.000Z'),
    });
    await insert('I', {
      origin: 'bikom',
      target: y,
      created: '2026-01-15T09:00:00.000Z',
      status: 'closed',
      topic: 'temizlik.cop-toplanmadi',
      cb: callback(y, '2026-02-14T14:30:00.000Z', 'done', '2026-02-14T09:00:00.000Z'),
    });
    await insert('D', {
      origin: 'bikom',
      target: 'bb.fen-isleri',
      created: '2026-01-20T10:00:00.000Z',
      status: 'decided',
      district: 'nilufer',
      cb: callback('bb.fen-isleri', '2026-02-25T14:30:00.000Z', 'open', null),
    });
    await insert('E', {
      origin: 'ilce.nilufer',
      target: 'bb.fen-isleri',
      created: '2026-02-20T10:00:00.000Z',
      status: 'decided',
      district: 'nilufer',
      cb: callback('bb.fen-isleri', '2026-03-05T14:30:00.000Z', 'open', null),
    });
    await insert('F', {
      origin: 'bikom',
      target: 'ilce.nilufer',
      created: '2026-01-10T10:00:00.000Z',
      status: 'accepted',
      district: 'nilufer',
      cb: callback(
        'ilce.nilufer',
        '2026-01-14T14:30:00.000Z',
        'cancelled',
        '2026-01-13T09:00:00.000Z',
      ),
    });
    await insert('G', {
      origin: 'bikom',
      target: y,
      created: '2025-12-20T10:00:00.000Z',
      status: 'routed',
    });
    await insert('J', {
      origin: 'bikom',
      target: y,
      created: '2026-03-01T10:00:00.000Z',
      status: 'routed',
    });
    await insert('K', {
      origin: 'bikom',
      target: y,
      created: '2026-03-01T10:00:00.000Z',
      status: 'decided',
      cb: callback(y, '2026-03-02T14:30:00.000Z', 'open', null),
    });
    await insert('L', {
      origin: 'ilce.osmangazi',
      target: 'bb.fen-isleri',
      created: '2026-03-01T10:00:00.000Z',
      status: 'routed',
      district: 'osmangazi',
    });
  });
  afterAll(() => t?.close());

  const get = async <T>(user: string, url: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(tokens[user]!) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const PERIOD = 'from=2026-01-01&to=2026-02-28';
  const pick = (r: SlaRow) => ({
    onTime: r.onTime,
    closed: r.closed,
    openOverdue: r.openOverdue,
    rate: r.rate,
    legalDue: r.legalDue,
    legalCompliant: r.legalCompliant,
    legalRate: r.legalRate,
  });

  it('SLA figures equal the hand-computed fixture, overall and per organisation, district and topic', async () => {
    const sla = await get<SlaResponse>('bsup', `/supervisor/sla?${PERIOD}`);
    expect(pick(sla.overall)).toEqual({
      onTime: 3,
      closed: 4,
      openOverdue: 1,
      rate: 0.6,
      legalDue: 6,
      legalCompliant: 3,
      legalRate: 0.5,
    });
    const org = (code: string) => sla.byOrg.find((r) => r.key === code)!;
    expect(pick(org('ilce.yildirim'))).toEqual({
      onTime: 3,
      closed: 4,
      openOverdue: 0,
      rate: 0.75,
      legalDue: 4,
      legalCompliant: 3,
      legalRate: 0.75,
    });
    expect(org('ilce.yildirim').name).toBe('Yıldırım Belediyesi');
    expect(pick(org('bb.fen-isleri'))).toMatchObject({ onTime: 0, openOverdue: 1, rate: 0 });
    expect(pick(org('ilce.nilufer'))).toMatchObject({ rate: null, legalDue: 1, legalCompliant: 0 });
    const district = (code: string) => sla.byDistrict.find((r) => r.key === code)!;
    expect(pick(district('nilufer'))).toMatchObject({ onTime: 0, openOverdue: 1, legalDue: 2 });
    expect(sla.byTopic.find((r) => r.key === 'temizlik.cop-toplanmadi')).toMatchObject({
      onTime: 1,
      closed: 1,
      rate: 1,
      legalCompliant: 1,
    });
    expect(sla.thresholds).toEqual({ goodPercent: 90, warnPercent: 75 });
    // Inbound calls from the call log: 3 in the period at BİKOM (one missed, answered after 4 s
    // and 10 s), an outbound one and one outside the period that do not count; a district's
    // call counts for BİKOM's supervisors (they see all) but not for Nilüfer's.
    const callRow = (
      id: string,
      org: string,
      direction: string,
      started: string,
      answerAfter: number | null,
    ) => ({
      id,
      org_code: org,
      agent_id: userIds.ajan!,
      client_id: 'c1',
      sip_call_id: `${id}@test`,
      direction: direction as 'inbound',
      number: '+905321234567',
      started_at: started,
      answered_at:
        answerAfter === null
          ? null
          : new Date(Date.parse(started) + answerAfter * 1000).toISOString(),
      ended_at: new Date(Date.parse(started) + 60_000).toISOString(),
      duration_seconds: answerAfter === null ? 0 : 60 - answerAfter,
      outcome: answerAfter === null ? 'missed' : 'answered',
      end_reason: '',
      disposition: null,
      sok_id: null,
      note: '',
      wrapped_up_at: null,
      callback_state: answerAfter === null ? 'owed' : null,
      recorded_at: started,
    });
    await t.backend.db
      .insertInto('call_log')
      .values([
        callRow('k1', 'bikom', 'inbound', '2026-01-10T09:00:00.000Z', 4),
        callRow('k2', 'bikom', 'inbound', '2026-01-11T09:00:00.000Z', 10),
        callRow('k3', 'bikom', 'inbound', '2026-02-01T09:00:00.000Z', null),
        callRow('k4', 'bikom', 'outbound', '2026-02-02T09:00:00.000Z', 3),
        callRow('k5', 'bikom', 'inbound', '2026-03-05T09:00:00.000Z', 2),
        callRow('k6', 'ilce.nilufer', 'inbound', '2026-02-03T09:00:00.000Z', 6),
      ])
      .execute();
    const withCalls = await get<SlaResponse>('bsup', `/supervisor/sla?${PERIOD}`);
    expect(withCalls.calls).toEqual({
      inbound: 4,
      answered: 3,
      missed: 1,
      answerRate: 0.75,
      avgAnswerSeconds: 6.7,
    });
    const nilufer = await get<SlaResponse>('nsup', `/supervisor/sla?${PERIOD}`);
    expect(nilufer.calls).toEqual({
      inbound: 1,
      answered: 1,
      missed: 0,
      answerRate: 1,
      avgAnswerSeconds: 6,
    });
    await t.backend.db.deleteFrom('call_log').execute();
  });

  it('queues count new, in evaluation, due today, overdue and unreachable per organisation', async () => {
    const q = await get<QueuesResponse>('bsup', '/supervisor/queues');
    const row = (code: string) => q.rows.find((r) => r.org === code);
    expect(row('ilce.yildirim')).toMatchObject({
      new: 2,
      accepted: 0,
      dueToday: 1,
      overdue: 0,
      later: 0,
      unreachable: 1,
      total: 4,
    });
    // E: an open callback due on 5 March is not due today, yet counted (issue #17 item 8).
    expect(row('bb.fen-isleri')).toMatchObject({
      new: 1,
      overdue: 1,
      dueToday: 0,
      later: 1,
      total: 3,
    });
    expect(row('ilce.nilufer')).toMatchObject({ accepted: 1, total: 1 });
    expect(q.totals).toMatchObject({
      new: 3,
      accepted: 1,
      dueToday: 1,
      overdue: 1,
      later: 1,
      unreachable: 1,
      total: 8,
    });
    const later = await get<QueueItemsResponse>(
      'bsup',
      '/supervisor/queues/items?queue=later&org=bb.fen-isleri',
    );
    expect(later.items.map((i) => i.id)).toEqual([ids.E]);
  });

  it('a drill-down lists who is waiting, masking callers the supervisor’s organisation may not see', async () => {
    const fen = await get<QueueItemsResponse>(
      'bsup',
      '/supervisor/queues/items?queue=new&org=bb.fen-isleri',
    );
    expect(fen.total).toBe(1);
    // L was sent by Osmangazi to a unit: BİKOM sees it, but not the caller's details.
    expect(fen.items[0]).toMatchObject({
      id: ids.L,
      citizenName: 'A. I.',
      citizenPhone: '+90 532 *** ** 67',
      contactMasked: true,
    });
    const overdue = await get<QueueItemsResponse>(
      'bsup',
      '/supervisor/queues/items?queue=overdue&org=bb.fen-isleri',
    );
    expect(overdue.items.map((i) => i.id)).toEqual([ids.D]);
    expect(overdue.items[0]).toMatchObject({ citizenName: 'Ayşe Işık', contactMasked: false });
  });

  it('a district supervisor sees only the ŞÖKs their organisation sent or was sent', async () => {
    const q = await get<QueuesResponse>('nsup', '/supervisor/queues');
    // F sent to Nilüfer; E sent by Nilüfer, its callback (owned by Fen İşleri) due on 5 March.
    expect(q.rows.map((r) => r.org).sort()).toEqual(['bb.fen-isleri', 'ilce.nilufer']);
    expect(q.rows.find((r) => r.org === 'bb.fen-isleri')).toMatchObject({ later: 1, total: 1 });
    expect(q.totals.total).toBe(2);
    const sla = await get<SlaResponse>('nsup', `/supervisor/sla?${PERIOD}`);
    // E (sent by Nilüfer, limit not passed) and F (sent to Nilüfer, limit passed, never informed).
    expect(pick(sla.overall)).toEqual({
      onTime: 0,
      closed: 0,
      openOverdue: 0,
      rate: null,
      legalDue: 1,
      legalCompliant: 0,
      legalRate: 0,
    });
    const volumes = await get<VolumesResponse>('nsup', `/supervisor/volumes?${PERIOD}`);
    expect(volumes.total).toBe(2);
    const hidden = await t.app.inject({
      method: 'GET',
      url: '/supervisor/queues/items?queue=new&org=bb.fen-isleri',
      headers: bearer(tokens.nsup!),
    });
    expect(hidden.json<QueueItemsResponse>().total).toBe(0);
    const staff = await t.app.inject({
      method: 'GET',
      url: '/supervisor/staff?org=ilce.yildirim',
      headers: bearer(tokens.nsup!),
    });
    expect(staff.statusCode).toBe(403);
  });

  it('volumes by month carry the flows between BİKOM, the units and the districts', async () => {
    const v = await get<VolumesResponse>('bsup', `/supervisor/volumes?${PERIOD}`);
    expect(v.months).toEqual([
      {
        month: '2026-01',
        total: 4,
        toCallCentre: 4,
        toMetropolitan: 1,
        toDistrictsAndInstitutions: 3,
        districtsToMetropolitan: 0,
      },
      {
        month: '2026-02',
        total: 3,
        toCallCentre: 2,
        toMetropolitan: 0,
        toDistrictsAndInstitutions: 2,
        districtsToMetropolitan: 1,
      },
    ]);
    expect(v.total).toBe(7);
    // The 59 days before 1 January hold G only.
    expect(v.previousTotal).toBe(1);
    expect(v.byChannel).toEqual([
      { key: 'telefon', name: 'Telefon (Alo 153)', count: 6, previous: 1 },
      { key: 'web', name: 'Web formu', count: 1, previous: 0 },
    ]);
  });

  it('serves months that are over from the monthly stats with the same figures', async () => {
    // Six weeks on, December to March are over: the refresher computes them once (April, the
    // month ŞÖKs are registered in now, stays live). January and February are also settled
    // (30 days past their end), so even their legal limit comes from the stats.
    const later = new Date('2026-04-15T09:00:00.000Z');
    expect(await refreshSupervisorStats(t.backend.db, later)).toEqual({
      refreshed: 7,
      changed: 0,
      pending: 0,
      busy: false,
      failed: [],
    });
    const names = namesOf(readReferenceFile(t.backend.config.referenceFile));
    const period = { from: '2026-01-01', to: '2026-02-28' };
    const thresholds = { goodPercent: 90, warnPercent: 75 };
    const ctx = (useStats: boolean): FigureContext => ({
      db: t.backend.db,
      user: { role: 'supervisor', orgKind: 'call-centre', orgCode: 'bikom' },
      now: later,
      names,
      useStats,
    });
    const sla = await slaFigures(ctx(true), period, thresholds);
    // As on 2 March, but E's limit has passed too: 7 counted, B C I compliant.
    expect(pick(sla.overall)).toEqual({
      onTime: 3,
      closed: 4,
      openOverdue: 1,
      rate: 0.6,
      legalDue: 7,
      legalCompliant: 3,
      legalRate: 3 / 7,
    });
    expect(sla).toEqual(await slaFigures(ctx(false), period, thresholds));
    const volumes = await volumeFigures(ctx(true), period);
    expect([volumes.total, volumes.previousTotal]).toEqual([7, 1]);
    expect(volumes).toEqual(await volumeFigures(ctx(false), period));
    // The months really come from the stats: a (deliberately) wrong stats row shows through.
    const tamper = (by: number) =>
      t.backend.db
        .updateTable('sok_stats')
        .set((eb) => ({ n: eb('n', '+', by) }))
        .where('basis', '=', 'created')
        .where('month', '=', '2026-01')
        .where('viewer', '=', '*')
        .where('dim', '=', 'channel')
        .where('key', '=', 'telefon')
        .execute();
    await tamper(10);
    expect((await volumeFigures(ctx(true), period)).total).toBe(17);
    await tamper(-10);
  });

  it('exports CSV and XLSX that parse back into the rows shown', async () => {
    const csv = await t.app.inject({
      method: 'GET',
      url: `/supervisor/export?report=sla&format=csv&${PERIOD}`,
      headers: bearer(tokens.bsup!),
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('alo153-sla-2026-01-01-2026-02-28.csv');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toContain('Yıldırım Belediyesi;3;4;0;75;4;3;75');
    expect(lines).toContain('Genel;3;4;1;60;6;3;50');

    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/supervisor/export?report=queue-items&format=xlsx&queue=new&org=ilce.yildirim',
      headers: bearer(tokens.bsup!),
    });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const values = sheet.getSheetValues().slice(1) as unknown[][];
    expect(values[0]).toContain('Kayıt no');
    // G and J, oldest first.
    expect(values.slice(1).map((row) => row[1])).toHaveLength(2);
    expect(values.slice(1).map((row) => row[6])).toEqual(['Ayşe Işık', 'Ayşe Işık']);
  });

  it('the monthly PDF embeds a font with Turkish glyphs', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/supervisor/report.pdf?month=2026-02',
      headers: bearer(tokens.bsup!),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  });

  describe('refuses', () => {
    it('other roles, missing tokens and bad periods with precise errors', async () => {
      for (const user of ['ajan', 'yonetici', 'masa1']) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/supervisor/queues',
          headers: bearer(tokens[user]!),
        });
        expect(res.statusCode).toBe(403);
      }
      expect((await t.app.inject({ method: 'GET', url: '/supervisor/sla' })).statusCode).toBe(401);
      const backwards = await t.app.inject({
        method: 'GET',
        url: '/supervisor/sla?from=2026-03-01&to=2026-02-01',
        headers: bearer(tokens.bsup!),
      });
      expect(backwards.statusCode).toBe(400);
      expect(apiError(backwards).fields).toEqual({ from: 'Başlangıç bitişten sonra olamaz.' });
      const unreadable = await t.app.inject({
        method: 'GET',
        url: '/supervisor/volumes?to=yarın',
        headers: bearer(tokens.bsup!),
      });
      expect(unreadable.statusCode).toBe(400);
      expect(apiError(unreadable).fields).toHaveProperty('to');
      const badQueue = await t.app.inject({
        method: 'GET',
        url: '/supervisor/queues/items?queue=someday&org=bikom',
        headers: bearer(tokens.bsup!),
      });
      expect(badQueue.statusCode).toBe(400);
      expect(apiError(badQueue).fields).toHaveProperty('queue');
      const badMonth = await t.app.inject({
        method: 'GET',
        url: '/supervisor/report.pdf?month=2026-13',
        headers: bearer(tokens.bsup!),
      });
      expect(badMonth.statusCode).toBe(400);
    });
  });

  it('a supervisor hands a callback to someone of the owning organisation', async () => {
    const assign = (user: string, userId: string, sokId = ids.K!) =>
      t.app.inject({
        method: 'POST',
        url: '/supervisor/callbacks/assign',
        headers: bearer(tokens[user]!),
        payload: { sokId, userId },
      });
    expect((await assign('bsup', userIds.fen!)).statusCode).toBe(400);
    // Nilüfer's supervisor cannot see Yıldırım's ŞÖK at all.
    expect((await assign('nsup', userIds.masa1!)).statusCode).toBe(404);
    expect((await assign('masa1', userIds.masa1!)).statusCode).toBe(403);
    const ok = await assign('bsup', userIds.masa1!);
    expect(ok.statusCode, ok.body).toBe(200);
    const due = await get<QueueItemsResponse>(
      'bsup',
      '/supervisor/queues/items?queue=due-today&org=ilce.yildirim',
    );
    expect(due.items[0]).toMatchObject({ id: ids.K, claimedByName: 'Test masa1' });
    const events = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'actor_id'])
      .where('sok_id', '=', ids.K!)
      .execute();
    expect(events).toEqual([{ kind: 'assigned', actor_id: userIds.bsup }]);
    const again = await assign('bsup', userIds.masa1!);
    expect(again.statusCode).toBe(409);
    expect(apiError(again).userMessage).toContain('zaten');
  });
});

forEachBackend('supervisor escalation', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const [username, role, orgCode] of [
      ['bsup', 'supervisor', 'bikom'],
      ['nsup', 'supervisor', 'ilce.nilufer'],
      ['ajan', 'agent', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
  });
  afterAll(() => t?.close());

  it('raises an open callback one level now, with the reason on the timeline', async () => {
    const push = async (user: string, id: number, kind: string, payload: unknown) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/sync/push',
        headers: bearer(tokens[user]!),
        payload: { mutations: [{ id, kind, payload }] },
      });
      expect(res.json<{ results: { status: string }[] }>().results[0]).toMatchObject({
        status: 'applied',
      });
    };
    const sokId = randomUUID();
    await push('ajan', 1, 'sok.create', {
      id: sokId,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: '',
      description: 'Sokakta derin bir çukur var.',
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      registeredAt: t.clock.now().toISOString(),
    });
    await push('masa1', 1, 'sok.decide', {
      sokId,
      kind: 'already-done',
      explanation: 'Çukur dün kapatıldı.',
    });
    const escalate = (user: string, reason: string) =>
      t.app.inject({
        method: 'POST',
        url: '/supervisor/callbacks/escalate',
        headers: bearer(tokens[user]!),
        payload: { sokId, reason },
      });
    expect((await escalate('bsup', 'kısa')).statusCode).toBe(400);
    expect((await escalate('nsup', 'Vatandaş üçüncü kez aradı')).statusCode).toBe(404);
    const ok = await escalate('bsup', 'Vatandaş üçüncü kez aradı');
    expect(ok.statusCode, ok.body).toBe(200);
    const events = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'note'])
      .where('sok_id', '=', sokId)
      .orderBy('change_seq')
      .execute();
    expect(events.map((e) => e.kind)).toContain('escalated');
    expect(events.find((e) => e.kind === 'escalated')!.note).toContain('üçüncü kez');
    const row = await t.backend.db
      .selectFrom('sok')
      .select('escalation_level')
      .where('id', '=', sokId)
      .executeTakeFirstOrThrow();
    expect(row.escalation_level).toBe(1);
  });
});

forEachBackend('monthly report e-mail', (kind) => {
  let t: TestApp;
  let smtp: SmtpProcess;
  beforeAll(async () => {
    smtp = await startSmtpProcess();
    t = await createTestApp(kind, {
      notifications: {
        workerEnabled: false,
        smtp: { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' },
      },
      supervisor: {
        monthlyReportTo: ['mudur@bursa.example', 'bikom-sup@bursa.example'],
        monthlyReportCheckSeconds: 0,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('goes out once per month, to the configured addresses, with the PDF attached', async () => {
    const deps = {
      db: t.backend.db,
      config: t.backend.config,
      names: namesOf(readReferenceFile(t.backend.config.referenceFile)),
    };
    const now = new Date('2026-03-01T06:00:00.000Z');
    const first = await sendMonthlyReportIfDue({ ...deps, now });
    const record = await t.backend.db.selectFrom('monthly_report').selectAll().execute();
    expect(first, JSON.stringify(record)).toBe('sent');
    expect(await sendMonthlyReportIfDue({ ...deps, now })).toBe('already-sent');
    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.subject).toBe('Alo 153 aylık rapor — Şubat 2026');
    expect((await smtp.messages())[0]!.envelope.to.sort()).toEqual([
      'bikom-sup@bursa.example',
      'mudur@bursa.example',
    ]);
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['alo153-rapor-2026-02.pdf', 'application/pdf'],
    ]);
    expect(mail!.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(mail!.text).toContain('30 günlük yasal süreye uyum');
  });
});
