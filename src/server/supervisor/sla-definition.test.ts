import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Callback } from '../../domain/workflow';
import type { SlaResponse } from '../../domain/supervisor';
import type { SokTable } from '../db/schema';
import { readReferenceFile } from '../reference-seed';
import type { ScopeUser } from '../scope';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { namesOf } from './figures';
import { buildMonthlyReport } from './monthly';
import { renderMonthlyPdf, reportFontPath } from './pdf';

/**
 * Issue #17 item 9: the on-time rate has one definition (docs/supervisor.md) — a callback counts
 * in the period it was settled: when it ended, or, still open, once its due time passed — and the
 * console, the CSV/XLSX export and the monthly PDF give the same figure. The clock stands at
 * Monday 2 March 2026, 12:00 Istanbul.
 *
 * P Q R  ended 1–2 March, before their due time (6 March): on time, counted now
 * S      open, was due 1 March: late
 * T      ended 27 February, due 5 March: counts in February, not March
 * U      open, due 4 March: not settled yet, counted nowhere
 */
forEachBackend('one on-time rate in console, export and PDF', (kind) => {
  let t: TestApp;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(kind);
    const author = await createUser(t, { username: 'bsup', role: 'supervisor', orgCode: 'bikom' });
    token = (await login(t, 'bsup')).accessToken;
    let seq = 0;
    const insert = async (due: string, state: Callback['state'], closed: string | null) => {
      seq += 1;
      const created = '2026-02-20T08:00:00.000Z';
      const cb: Callback = {
        ownerOrg: 'ilce.nilufer',
        state,
        origin: 'decision',
        createdAt: created,
        dueAt: due,
        closedAt: closed,
        attempts: state === 'open' ? 0 : 1,
        lastAttemptAt: null,
        lastOutcome: null,
        claimedBy: null,
        claimedByName: null,
        claimUntil: null,
        escalation: 0,
      };
      const row: Record<keyof SokTable, unknown> = {
        id: randomUUID(),
        reg_no: `9200-${String(seq).padStart(4, '0')}`,
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'yol.cukur',
        district_code: 'nilufer',
        mahalle: 'Görükle',
        address: '',
        description: 'Geri arama',
        citizen_name: 'Ayşe Işık',
        citizen_phone: '+905321234567',
        status: state === 'open' ? 'decided' : 'informed',
        origin_org: 'bikom',
        target_org: 'ilce.nilufer',
        created_by: author,
        created_at: created,
        updated_at: created,
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
        callback: JSON.stringify(cb),
        callback_owner_org: cb.ownerOrg,
        callback_state: cb.state,
        callback_due_at: cb.dueAt,
        callback_closed_at: cb.closedAt,
        claimed_by: null,
        claim_until: null,
        escalation_level: 0,
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
    await insert('2026-03-06T14:30:00.000Z', 'done', '2026-03-01T09:00:00.000Z');
    await insert('2026-03-06T14:30:00.000Z', 'done', '2026-03-02T07:00:00.000Z');
    await insert('2026-03-06T14:30:00.000Z', 'unreachable', '2026-03-02T08:00:00.000Z');
    await insert('2026-03-01T14:30:00.000Z', 'open', null);
    await insert('2026-03-05T14:30:00.000Z', 'done', '2026-02-27T09:00:00.000Z');
    await insert('2026-03-04T14:30:00.000Z', 'open', null);
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('counts callbacks finished before they were due at once, the same in every output', async () => {
    // The console's default period: the last 30 days up to today.
    const console_ = (await get('/supervisor/sla')).json<SlaResponse>();
    expect(console_.overall).toMatchObject({ onTime: 4, closed: 4, openOverdue: 1, rate: 0.8 });
    // March alone: P Q R on time, S late; T belongs to February.
    const march = (await get('/supervisor/sla?from=2026-03-01&to=2026-03-31')).json<SlaResponse>();
    expect(march.overall).toMatchObject({ onTime: 3, closed: 3, openOverdue: 1, rate: 0.75 });
    const feb = (await get('/supervisor/sla?from=2026-02-01&to=2026-02-28')).json<SlaResponse>();
    expect(feb.overall).toMatchObject({ onTime: 1, closed: 1, openOverdue: 0, rate: 1 });

    const csv = await get('/supervisor/export?report=sla&format=csv&from=2026-03-01&to=2026-03-31');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body.split('\r\n')).toContain('Genel;3;3;1;75;0;0;');

    const xlsx = await get(
      '/supervisor/export?report=sla&format=xlsx&from=2026-03-01&to=2026-03-31',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues() as unknown[][];
    const overall = rows.find((r) => Array.isArray(r) && r[1] === 'Genel')!;
    expect(overall.slice(2, 6)).toEqual([3, 3, 1, 75]);

    const user: ScopeUser = { role: 'supervisor', orgCode: 'bikom', orgKind: 'call-centre' };
    const report = await buildMonthlyReport(
      {
        db: t.backend.db,
        user,
        now: t.clock.now(),
        names: namesOf(readReferenceFile(t.backend.config.referenceFile)),
      },
      '2026-03',
      { goodPercent: 90, warnPercent: 75 },
      'Tüm kurumlar',
      t.backend.config,
    );
    expect(report.summary).toContain('Zamanında geri arama: %75 (3 / 4)');
    // The PDF carries the console's charts from the same figures: 12 months of registrations
    // and the district map (issue #17 item 11).
    expect(report.charts!.trend).toHaveLength(12);
    expect(report.charts!.trend.slice(-2)).toEqual([
      { label: '2026-02', value: 6 },
      { label: '2026-03', value: 0 },
    ]);
    expect(report.charts!.districts).toEqual([
      { key: 'nilufer', name: 'Nilüfer', open: 6, late: 1 },
    ]);
    expect(report.charts!.tiles).toHaveLength(17);
    const pdf = await renderMonthlyPdf(report, reportFontPath());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
