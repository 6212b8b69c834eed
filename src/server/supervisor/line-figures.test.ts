import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LineLiveResponse, LineWaitingResponse } from '../../domain/line-console';
import { issueKey } from '../../../test/support/open311';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { readReferenceFile } from '../reference-seed';
import { lineConfig, lineFigures, type LineCallerState } from '../../domain/call-queue';
import { linePeriodFigures, namesOf } from './figures';
import { buildMonthlyReport } from './monthly';

/**
 * The call line on the supervisor console, in the exports and the monthly report, and the
 * agents' header count (issue #20 item 6): callers made through the SIP front's API exactly as
 * Kamailio makes them, figures read back as supervisors and agents read them.
 */
const BIKOM = 'Bursa Büyükşehir Belediyesi İletişim Koordinasyon Merkezi (BİKOM)';

forEachBackend('the call line for supervisors and agents', (kind) => {
  let t: TestApp;
  let key: string;
  let bikomSupervisor: string;
  let gemlikSupervisor: string;
  let agent1001: string;

  const setAvailable = async (userId: string, orgCode: string) => {
    const since = t.clock.now().toISOString();
    const row = { org_code: orgCode, state: 'available', reason: null, since, updated_at: since };
    await t.backend.db
      .insertInto('agent_state')
      .values({ user_id: userId, ...row })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
      .execute();
  };

  beforeEach(async () => {
    t = await createTestApp(kind, {
      // 153 takes the setting's threshold, the district desk's number its own.
      supervisor: { lineServiceLevelSeconds: 10 },
      lines: [
        { number: '153', orgCode: 'bikom' },
        { number: '2245153', orgCode: 'ilce.gemlik', serviceLevelSeconds: 30 },
      ],
    });
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    const admin = (await login(t, 'yonetici')).accessToken;
    const santral = await createUser(t, { username: 'santral', role: 'agent', orgCode: 'bikom' });
    key = (await issueKey(t, admin, santral, 'SIP santrali')).key;
    await createUser(t, { username: 'sef', role: 'supervisor', orgCode: 'bikom' });
    bikomSupervisor = (await login(t, 'sef')).accessToken;
    await createUser(t, { username: 'gemliksef', role: 'supervisor', orgCode: 'ilce.gemlik' });
    gemlikSupervisor = (await login(t, 'gemliksef')).accessToken;
    agent1001 = await createUser(t, { username: 'temsilci1001', role: 'agent', orgCode: 'bikom' });
    const res = await t.app.inject({
      method: 'PUT',
      url: `/line/agents/${agent1001}`,
      headers: bearer(bikomSupervisor),
      payload: { extension: '1001' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await setAvailable(agent1001, 'bikom');
  });
  afterEach(() => t.close());

  /** The SIP front's requests, with its API key. */
  const sip = async (url: string, body: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'x-api-key': key },
      payload: body,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ action?: string; offerId?: string; position?: number }>();
  };
  const arrive = (line: string, sipCallId: string, number: string) =>
    sip('/line/calls', { line, sipCallId, number });
  const get = async (token: string, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const live = async (token = bikomSupervisor) =>
    (await get(token, '/supervisor/line')).json<LineLiveResponse>();
  const waitingFor = async (token: string) =>
    (await get(token, '/agents/me/line-waiting')).json<LineWaitingResponse>();

  /**
   * On 153 (threshold 10 s): A answered after 8 s; B, C, D wait; D hangs up after 2 s (a short
   * abandon); B is answered after 27 s; C gives up after 66 s. On Gemlik's line one caller waits.
   */
  const playTheDay = async () => {
    const a = await arrive('153', 'call-a', '05320000001');
    expect(a.action).toBe('ring');
    t.clock.advance(8);
    await sip('/line/calls/answered', { sipCallId: 'call-a', offerId: a.offerId });
    expect(await arrive('153', 'call-b', '05320000002')).toMatchObject({ position: 1 });
    t.clock.advance(1);
    expect(await arrive('153', 'call-c', '05320000003')).toMatchObject({ position: 2 });
    t.clock.advance(1);
    expect(await arrive('153', 'call-d', '05320000004')).toMatchObject({ position: 3 });
    await arrive('2245153', 'call-g', '05359990011');
  };

  it('shows who waits on each line now, masked, in order, with their wait, and the agents’ count', async () => {
    await playTheDay();
    t.clock.advance(2);
    const view = await live();
    expect(view.lines.map((l) => [l.line, l.orgName, l.serviceLevelSeconds])).toEqual([
      ['153', BIKOM, 10],
      ['2245153', 'Gemlik Belediyesi', 30],
    ]);
    const main = view.lines[0]!;
    expect(main.waiting).toBe(3);
    expect(main.ringing).toBe(0);
    expect(main.callers).toEqual([
      expect.objectContaining({ position: 1, number: '+90 532 *** ** 02', waitSeconds: 4 }),
      expect.objectContaining({ position: 2, number: '+90 532 *** ** 03', waitSeconds: 3 }),
      expect.objectContaining({ position: 3, number: '+90 532 *** ** 04', waitSeconds: 2 }),
    ]);
    expect(JSON.stringify(view)).not.toContain('5320000002');
    expect(main.longestWaitNowSeconds).toBe(4);
    expect(main.today).toMatchObject({ offered: 4, answered: 1, inProgress: 3 });
    expect(view.lines[1]).toMatchObject({ waiting: 1, today: { offered: 1, inProgress: 1 } });

    // A district supervisor sees their own line only.
    expect((await live(gemlikSupervisor)).lines.map((l) => l.line)).toEqual(['2245153']);

    // Agents: how many wait on the line their organisation answers.
    const agentToken = (await login(t, 'temsilci1001')).accessToken;
    expect(await waitingFor(agentToken)).toEqual({
      waiting: 3,
      lines: [{ line: '153', waiting: 3 }],
      setByLine: null,
    });
    expect((await waitingFor(gemlikSupervisor)).waiting).toBe(1);
    // An agent is not shown the supervisors' view.
    const refused = await t.app.inject({
      method: 'GET',
      url: '/supervisor/line',
      headers: bearer(agentToken),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('tells the agent, with the waiting count, that the line set them not ready and why, until they choose again', async () => {
    const agentToken = (await login(t, 'temsilci1001')).accessToken;
    const a = await arrive('153', 'call-a', '05320000001');
    expect(a.action).toBe('ring');
    t.clock.advance(15);
    const ringOut = t.clock.now().toISOString();
    await sip('/line/calls/next', { sipCallId: 'call-a', offerId: a.offerId, result: 'no-answer' });
    expect(await waitingFor(agentToken)).toEqual({
      waiting: 1,
      lines: [{ line: '153', waiting: 1 }],
      setByLine: {
        state: 'break',
        reason: 'cevapsiz',
        reasonText: 'Çağrı cevaplanmadı — hazır değil',
        since: ringOut,
      },
    });
    // The agent chooses Hazır again on the desk (its agent.state push): nothing more to tell.
    t.clock.advance(5);
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(agentToken),
      payload: {
        mutations: [
          {
            id: 1,
            kind: 'agent.state',
            payload: {
              id: randomUUID(),
              state: 'available',
              reason: null,
              at: t.clock.now().toISOString(),
            },
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await waitingFor(agentToken)).setByLine).toBeNull();
  });

  it('counts the day: offered = answered + abandoned + on the line; service level, ASA and abandonment', async () => {
    await playTheDay();
    t.clock.advance(2);
    await sip('/line/calls/ended', { sipCallId: 'call-d' });
    t.clock.advance(18);
    await sip('/line/calls/ended', { sipCallId: 'call-a' });
    const b = await sip('/line/calls/next', { sipCallId: 'call-b' });
    expect(b).toMatchObject({ action: 'ring' });
    t.clock.advance(5);
    await sip('/line/calls/answered', { sipCallId: 'call-b', offerId: b.offerId });
    t.clock.advance(40);
    await sip('/line/calls/ended', { sipCallId: 'call-c' });

    const main = (await live()).lines[0]!;
    expect(main.callers).toEqual([]);
    expect(main.today).toEqual({
      offered: 4,
      answered: 2,
      answeredWithinThreshold: 1,
      abandoned: 2,
      shortAbandoned: 1,
      timedOut: 0,
      inProgress: 0,
      // D's 2 s hang-up is left out of the rates: 1 of 3.
      serviceLevel: 1 / 3,
      asaSeconds: (8 + 27) / 2,
      abandonmentRate: 1 / 3,
      longestWaitSeconds: 66,
    });
    expect(main.today.offered).toBe(
      main.today.answered + main.today.abandoned + main.today.inProgress,
    );

    // The same figures in the export of the period, per line and in total.
    const csv = (
      await get(
        bikomSupervisor,
        '/supervisor/export?report=line&format=csv&from=2026-03-02&to=2026-03-02',
      )
    ).body.split('\r\n');
    expect(csv).toContain(`153;${BIKOM};10;4;2;1;2;1;0;0;33,3;17,5;33,3;66`);
    expect(csv.find((l) => l.startsWith('2245153;'))).toMatch(
      /^2245153;Gemlik Belediyesi;30;1;0;0;0;0;0;1;;;;\d+$/,
    );
    expect(csv).toContain('Toplam;;;5;2;1;2;1;0;1;33,3;17,5;33,3;66');

    const xlsx = await get(
      bikomSupervisor,
      '/supervisor/export?report=line&format=xlsx&from=2026-03-02&to=2026-03-02',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues() as unknown[][];
    const row153 = rows.find((r) => Array.isArray(r) && r[1] === '153')!;
    expect(row153.slice(3, 8)).toEqual([10, 4, 2, 1, 2]);

    // A district supervisor's export holds their line only.
    const gemlik = (
      await get(
        gemlikSupervisor,
        '/supervisor/export?report=line&format=csv&from=2026-03-02&to=2026-03-02',
      )
    ).body;
    expect(gemlik).toContain('2245153;');
    expect(gemlik).not.toContain('\r\n153;');

    // And in the monthly report.
    const report = await buildMonthlyReport(
      {
        db: t.backend.db,
        user: { role: 'supervisor', orgCode: 'bikom', orgKind: 'call-centre' },
        now: t.clock.now(),
        names: namesOf(readReferenceFile(t.backend.config.referenceFile)),
      },
      '2026-03',
      { goodPercent: 90, warnPercent: 75 },
      'Tüm kurumlar',
      t.backend.config,
    );
    expect(report.summary).toContain(
      'Hat 153: gelen 4, cevaplanan 2, vazgeçen 2; hizmet düzeyi (10 sn) %33.3, ortalama cevaplama 18 sn, vazgeçme oranı %33.3, en uzun bekleme 66 sn',
    );
    const table = report.tables.find((x) => x.title === 'Çağrı hattı')!;
    expect(table.rows.at(-1)).toEqual(['Toplam', 5, 2, 2, 1, 33.3, 17.5, 33.3, 66]);
    const pdf = await get(bikomSupervisor, '/supervisor/report.pdf?month=2026-03');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('counts a period in SQL exactly as the console counts a day (boundaries to the millisecond)', async () => {
    // Waits on and around each threshold (153: 10 s, short abandon 5 s), answered, ended,
    // abandoned, timed out and still on the line, on two lines and a line no longer configured.
    const states: LineCallerState[] = [
      'answered',
      'ended',
      'abandoned',
      'timed-out',
      'waiting',
      'offered',
    ];
    const waits = [0, 4.999, 5, 5.001, 9.999, 10, 10.001, 29.999, 30, 30.001, 65.5, 301];
    const now = t.clock.now().getTime();
    const rows = [];
    let i = 0;
    for (const line of ['153', '2245153', '4441153']) {
      for (const state of states) {
        for (const wait of waits) {
          i += 1;
          const arrived = now - 3_600_000 + i * 7_001;
          const on = state === 'waiting' || state === 'offered';
          // Those still on the line arrived `wait` seconds ago.
          const at = on ? now - wait * 1000 : arrived;
          const answered = state === 'answered' || state === 'ended';
          rows.push({
            id: `row-${i}`,
            line,
            org_code: line === '2245153' ? 'ilce.gemlik' : 'bikom',
            sip_call_id: `sip-${i}`,
            number: '+905321234567',
            state,
            arrived_at: new Date(at).toISOString(),
            answered_at: answered ? new Date(at + wait * 1000).toISOString() : null,
            ended_at:
              state === 'ended'
                ? new Date(at + wait * 1000 + 60_000).toISOString()
                : state === 'abandoned' || state === 'timed-out'
                  ? new Date(at + wait * 1000).toISOString()
                  : null,
            last_seen_at: new Date(at).toISOString(),
          });
        }
      }
    }
    await t.backend.db.insertInto('line_caller').values(rows).execute();
    const fromSql = await linePeriodFigures(
      {
        db: t.backend.db,
        user: { role: 'supervisor', orgCode: 'bikom', orgKind: 'call-centre' },
        now: t.clock.now(),
        names: namesOf(readReferenceFile(t.backend.config.referenceFile)),
      },
      t.backend.config.lines,
      { from: '2026-03-02', to: '2026-03-02' },
      t.backend.config.supervisor.lineServiceLevelSeconds,
    );
    const config = new Map(t.backend.config.lines.map((l) => [l.number, l]));
    expect(fromSql.lines.map((l) => l.line)).toEqual(['153', '2245153', '4441153']);
    for (const result of fromSql.lines) {
      const line =
        config.get(result.line) ??
        lineConfig({ number: result.line, orgCode: 'bikom', serviceLevelSeconds: 10 });
      const expected = lineFigures(
        rows
          .filter((r) => r.line === result.line)
          .map((r) => ({
            arrivedAt: r.arrived_at,
            answeredAt: r.answered_at,
            endedAt: r.ended_at,
            state: r.state,
          })),
        line,
        t.clock.now().toISOString(),
      );
      expect({ ...result.figures, asaSeconds: null }).toEqual({ ...expected, asaSeconds: null });
      expect(result.figures.asaSeconds).toBeCloseTo(expected.asaSeconds!, 6);
    }
    // The line no longer configured is shown with the default threshold under its organisation.
    expect(fromSql.lines[2]).toMatchObject({ orgCode: 'bikom', serviceLevelSeconds: 10 });
  });

  it('a day with no call on the line: zero counts and no rates, not 0 %', async () => {
    const main = (await live()).lines[0]!;
    expect(main).toMatchObject({ waiting: 0, callers: [], longestWaitNowSeconds: 0 });
    expect(main.today).toMatchObject({
      offered: 0,
      serviceLevel: null,
      asaSeconds: null,
      abandonmentRate: null,
    });
    const csv = (
      await get(
        bikomSupervisor,
        '/supervisor/export?report=line&format=csv&from=2026-03-01&to=2026-03-02',
      )
    ).body;
    expect(csv.split('\r\n')).toContain('Toplam;;;0;0;0;0;0;0;0;;;;0');
  });
});
