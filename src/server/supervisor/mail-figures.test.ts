import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Calendar } from '../../domain/calendar/calendar';
import type { MailFiguresResponse, MailRow } from '../../domain/supervisor';
import type { MailItemState } from '../db/schema';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { configFromEnv } from '../config';
import { readReferenceFile } from '../reference-seed';
import { namesOf, workingMinutesBetween } from './figures';

/**
 * The supervisor's "E-posta" figure (issue #18 item 6) on both backends. The clock stands at
 * Monday 2 March 2026, 12:00 Istanbul; office hours 08:30–17:30; target: 1 working day (by the
 * close of business of the next working day).
 *
 * Mail  organisation   received (Istanbul)   state       handled (Istanbul)   target
 * Y1    ilce.yildirim  Fri 27 Feb 10:00      new                              Mon 2 Mar 17:30, in time
 * Y2    ilce.yildirim  Thu 26 Feb 10:00      new                              Fri 27 Feb 17:30, past (20 working hours)
 * Y3    ilce.yildirim  Wed 25 Feb 10:00      registered  Thu 26 Feb 17:00     on time
 * Y4    ilce.yildirim  Mon 23 Feb 10:00      set_aside   Wed 25 Feb 10:00     late
 * Y5    ilce.yildirim  Sat 10 Jan 10:00      registered  Mon 12 Jan 10:00     outside the period
 * N1    ilce.nilufer   Fri 27 Feb 18:00      linked      Mon 2 Mar 09:00      on time
 * N2    ilce.nilufer   Mon 2 Mar 11:00       new                              in time (1 working hour)
 */
forEachBackend('supervisor E-posta figure', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const PERIOD = 'from=2026-02-01&to=2026-03-02';

  const mail = async (
    uid: number,
    org: string,
    receivedAt: string,
    state: MailItemState,
    handledAt: string | null,
  ) =>
    t.backend.db
      .insertInto('mail_item')
      .values({
        id: `mail-${uid}`,
        mailbox: `box-${org}`,
        org_code: org,
        uid_validity: 1,
        uid,
        message_id: `<m${uid}@example.org>`,
        kind: 'citizen',
        state,
        from_address: 'vatandas@example.org',
        from_name: null,
        subject: `Konu ${uid}`,
        sent_at: null,
        received_at: receivedAt,
        body_text: 'Merhaba',
        in_reply_to: null,
        refs: '[]',
        from_org_code: null,
        mentioned_reg_no: null,
        mentioned_sok_id: null,
        quarantine_reason: null,
        set_aside_reason: state === 'set_aside' ? 'spam' : null,
        set_aside_note: null,
        bounced_notification_id: null,
        sok_id: null,
        handled_by: null,
        handled_at: handledAt,
        raw_size: 10,
        raw: null,
        change_seq: uid,
      })
      .execute();

  const get = async (who: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(tokens[who]!) });

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const [username, role, orgCode] of [
      ['bsup', 'supervisor', 'bikom'],
      ['nsup', 'supervisor', 'ilce.nilufer'],
      ['agent', 'agent', 'bikom'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
    await mail(1, 'ilce.yildirim', '2026-02-27T07:00:00.000Z', 'new', null);
    await mail(2, 'ilce.yildirim', '2026-02-26T07:00:00.000Z', 'new', null);
    await mail(
      3,
      'ilce.yildirim',
      '2026-02-25T07:00:00.000Z',
      'registered',
      '2026-02-26T14:00:00.000Z',
    );
    await mail(
      4,
      'ilce.yildirim',
      '2026-02-23T07:00:00.000Z',
      'set_aside',
      '2026-02-25T07:00:00.000Z',
    );
    await mail(
      5,
      'ilce.yildirim',
      '2026-01-10T07:00:00.000Z',
      'registered',
      '2026-01-12T07:00:00.000Z',
    );
    await mail(6, 'ilce.nilufer', '2026-02-27T15:00:00.000Z', 'linked', '2026-03-02T06:00:00.000Z');
    await mail(7, 'ilce.nilufer', '2026-03-02T08:00:00.000Z', 'new', null);
  });
  afterAll(async () => t.close());

  const yildirim: Partial<MailRow> = {
    key: 'ilce.yildirim',
    unhandled: 2,
    overdue: 1,
    oldestUnhandledAt: '2026-02-26T07:00:00.000Z',
    oldestWorkingHours: 20,
    oldestOverdue: true,
    received: 4,
    handled: 2,
    handledOnTime: 1,
  };
  const nilufer: Partial<MailRow> = {
    key: 'ilce.nilufer',
    unhandled: 1,
    overdue: 0,
    oldestUnhandledAt: '2026-03-02T08:00:00.000Z',
    oldestWorkingHours: 1,
    oldestOverdue: false,
    received: 2,
    handled: 1,
    handledOnTime: 1,
    rate: 1,
  };

  it('counts what waits, the oldest against the target and the period handled in time', async () => {
    const res = await get('bsup', `/supervisor/mail?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const m = res.json<MailFiguresResponse>();
    expect(m.targetWorkingDays).toBe(1);
    // The oldest waits longest: first.
    expect(m.byOrg.map((r) => r.key)).toEqual(['ilce.yildirim', 'ilce.nilufer']);
    expect(m.byOrg[0]).toMatchObject(yildirim);
    // On time Y3 of handled Y3 Y4 and Y2 (unhandled, past the target).
    expect(m.byOrg[0]!.rate).toBeCloseTo(1 / 3);
    expect(m.byOrg[1]).toMatchObject(nilufer);
    expect(m.overall).toMatchObject({
      unhandled: 3,
      overdue: 1,
      oldestUnhandledAt: '2026-02-26T07:00:00.000Z',
      oldestWorkingHours: 20,
      oldestOverdue: true,
      received: 6,
      handled: 3,
      handledOnTime: 2,
      rate: 0.5,
    });
  });

  it("shows a unit's supervisor only their own organisation's mail", async () => {
    const m = (await get('nsup', `/supervisor/mail?${PERIOD}`)).json<MailFiguresResponse>();
    expect(m.byOrg).toEqual([expect.objectContaining(nilufer)]);
    expect(m.overall).toMatchObject({ unhandled: 1, received: 2, rate: 1 });
  });

  it('is for supervisors only and checks the period', async () => {
    expect((await get('agent', `/supervisor/mail?${PERIOD}`)).statusCode).toBe(403);
    expect((await get('bsup', '/supervisor/mail?from=2026-03-02&to=2026-02-01')).statusCode).toBe(
      400,
    );
  });

  it('exports what the console shows as CSV and XLSX', async () => {
    const names = namesOf(readReferenceFile(t.backend.config.referenceFile));
    const csv = await get('bsup', `/supervisor/export?report=mail&format=csv&${PERIOD}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('e-posta-2026-02-01-2026-03-02');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toContain('Hedefi aşan');
    expect(lines[1]).toBe(`${names.org('ilce.yildirim')};2;1;26.02.2026 10:00;20;4;2;1;33,3`);
    expect(lines[3]).toBe('Toplam;3;1;26.02.2026 10:00;20;6;3;2;50');

    const xlsx = await get('bsup', `/supervisor/export?report=mail&format=xlsx&${PERIOD}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe(names.org('ilce.yildirim'));
    expect(sheet.getRow(2).getCell(3).value).toBe(1);
  });
});

describe('E-posta target', () => {
  it('is a setting of the server, 1 working day unless set', () => {
    expect(configFromEnv({}).supervisor.mailTargetWorkingDays).toBe(1);
    expect(
      configFromEnv({ ALO153_MAIL_TARGET_WORKING_DAYS: '3' }).supervisor.mailTargetWorkingDays,
    ).toBe(3);
    expect(() => configFromEnv({ ALO153_MAIL_TARGET_WORKING_DAYS: 'bir' })).toThrow(
      /ALO153_MAIL_TARGET_WORKING_DAYS/,
    );
  });

  it('counts only office hours of working days as age', () => {
    const calendar = new Calendar();
    // Friday 17:00 to Monday 09:00 (Istanbul): half an hour on Friday, half an hour on Monday.
    expect(
      workingMinutesBetween(
        calendar,
        new Date('2026-02-27T14:00:00.000Z'),
        new Date('2026-03-02T06:00:00.000Z'),
      ),
    ).toBe(60);
  });
});
