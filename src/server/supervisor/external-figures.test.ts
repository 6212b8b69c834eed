import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExternalFiguresResponse, ExternalOrgRow } from '../../domain/supervisor';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { readReferenceFile } from '../reference-seed';
import { namesOf } from './figures';

/**
 * The supervisor's figure of how long organisations outside the app take to answer (issue #18
 * item 3), on both backends. The clock stands at Monday 2 March 2026, 12:00 Istanbul; office
 * hours 08:30–17:30 (540 minutes a working day); organisations are reminded after 3 working days.
 *
 * ŞÖK  sent to   request (Istanbul)   answer (Istanbul)            answer time
 * U1   uedas     Mon 23 Feb 09:30     Tue 24 Feb 09:30 (UEDAŞ)     480 + 60 min = 1 working day
 * U2   uedas     Wed 25 Feb 08:30     Fri 27 Feb 13:00 (UEDAŞ)     540 + 540 + 270 = 2.5
 * U3   uedas     Thu 26 Feb 10:00     —                            reminder due Tue 3 Mar: not yet
 * U4   uedas     Mon 16 Feb 10:00     —                            reminder due Thu 19 Feb: overdue
 * U5   uedas     Mon 23 Feb 10:00     Tue 24 Feb (Bursagaz!)       not UEDAŞ's answer: overdue
 * B1   bursagaz  Fri 27 Feb 16:30     Mon 2 Mar 09:30 (Bursagaz)   60 + 60 = 0.2; sent again
 *                                                                  Mon 2 Mar 09:00: counted once
 * B2   bursagaz  Sat 10 Jan 10:00     —                            outside the period
 */
forEachBackend('supervisor figure: outside organisations’ answer times', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const PERIOD = 'from=2026-02-01&to=2026-03-02';
  let seq = 0;

  /** Istanbul wall time → UTC ISO. */
  const ist = (local: string) => new Date(`${local}:00.000+03:00`).toISOString();

  let agentId = '';
  const sok = async (id: string, targetOrg: string) =>
    t.backend.db
      .insertInto('sok')
      .values({
        id,
        reg_no: `0000-${String(++seq).padStart(4, '0')}`,
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'temizlik.cop-toplanmadi',
        district_code: 'yildirim',
        mahalle: 'Mimar Sinan',
        address: 'Çınar Sokak 4',
        description: 'Direk yan yatmış.',
        citizen_name: 'Şükrü Öztürk',
        citizen_phone: '+905321234567',
        status: 'routed',
        origin_org: 'bikom',
        target_org: targetOrg,
        created_by: agentId,
        created_at: ist('2026-01-10T09:00'),
        updated_at: ist('2026-01-10T09:00'),
        change_seq: ++seq,
      })
      .execute();

  const request = async (sokId: string, org: string, at: string) =>
    t.backend.db
      .insertInto('notification')
      .values({
        id: `n-${++seq}`,
        sok_id: sokId,
        channel: 'email',
        purpose: 'external-request',
        recipient: `${org}@example.org`,
        subject: 'Alo 153 başvurusu',
        body: '…',
        state: 'sent',
        attempts: 1,
        next_attempt_at: ist(at),
        last_error: null,
        provider_message_id: null,
        claim_token: null,
        claimed_until: null,
        created_at: ist(at),
        updated_at: ist(at),
        sent_at: ist(at),
        change_seq: ++seq,
        to_org: org,
      })
      .execute();

  const answer = async (sokId: string, org: string, at: string) =>
    t.backend.db
      .insertInto('sok_event')
      .values({
        id: `e-${++seq}`,
        sok_id: sokId,
        change_seq: ++seq,
        kind: 'organisation-email',
        actor_id: null,
        actor_org: org,
        at: ist(at),
        note: 'Yanıt.',
        data: null,
      })
      .execute();

  const get = async (who: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(tokens[who]!) });

  beforeAll(async () => {
    t = await createTestApp(kind);
    seq = 1000;
    for (const [username, role, orgCode] of [
      ['bsup', 'supervisor', 'bikom'],
      ['fsup', 'supervisor', 'bb.fen-isleri'],
      ['agent', 'agent', 'bikom'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
    agentId = (
      await t.backend.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'agent')
        .executeTakeFirstOrThrow()
    ).id;
    for (const id of ['U1', 'U2', 'U3', 'U4', 'U5']) await sok(id, 'uedas');
    for (const id of ['B1', 'B2']) await sok(id, 'bursagaz');
    await request('U1', 'uedas', '2026-02-23T09:30');
    await answer('U1', 'uedas', '2026-02-24T09:30');
    await request('U2', 'uedas', '2026-02-25T08:30');
    await answer('U2', 'uedas', '2026-02-27T13:00');
    await request('U3', 'uedas', '2026-02-26T10:00');
    await request('U4', 'uedas', '2026-02-16T10:00');
    await request('U5', 'uedas', '2026-02-23T10:00');
    await answer('U5', 'bursagaz', '2026-02-24T10:00');
    await request('B1', 'bursagaz', '2026-02-27T16:30');
    await answer('B1', 'bursagaz', '2026-03-02T09:30');
    await request('B1', 'bursagaz', '2026-03-02T09:00');
    await request('B2', 'bursagaz', '2026-01-10T10:00');
  });
  afterAll(async () => t.close());

  const uedas: Partial<ExternalOrgRow> = {
    key: 'uedas',
    sent: 5,
    answered: 2,
    overdue: 2,
    medianWorkingDays: 1.8,
    averageWorkingDays: 1.8,
  };
  const bursagaz: Partial<ExternalOrgRow> = {
    key: 'bursagaz',
    sent: 1,
    answered: 1,
    overdue: 0,
    medianWorkingDays: 0.2,
    averageWorkingDays: 0.2,
  };

  it('counts per organisation the ŞÖKs sent, answered, the answer time and the overdue', async () => {
    const res = await get('bsup', `/supervisor/external-orgs?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const e = res.json<ExternalFiguresResponse>();
    expect(e.replyWorkingDays).toBe(3);
    expect(e.byOrg.map((r) => r.key).sort()).toEqual(['bursagaz', 'uedas']);
    expect(e.byOrg.find((r) => r.key === 'uedas')).toMatchObject(uedas);
    expect(e.byOrg.find((r) => r.key === 'bursagaz')).toMatchObject(bursagaz);
    // Answer times 1, 2.5 and 0.22 working days: median 1, average 1.2.
    expect(e.overall).toMatchObject({
      sent: 6,
      answered: 3,
      overdue: 2,
      medianWorkingDays: 1,
      averageWorkingDays: 1.2,
    });
  });

  it('counts only the ŞÖKs the supervisor may see', async () => {
    const e = (
      await get('fsup', `/supervisor/external-orgs?${PERIOD}`)
    ).json<ExternalFiguresResponse>();
    expect(e.byOrg).toEqual([]);
    expect(e.overall).toMatchObject({ sent: 0, answered: 0, medianWorkingDays: null });
  });

  it('is for supervisors only', async () => {
    expect((await get('agent', `/supervisor/external-orgs?${PERIOD}`)).statusCode).toBe(403);
  });

  it('exports what the console shows as CSV', async () => {
    const names = namesOf(readReferenceFile(t.backend.config.referenceFile));
    const csv = await get('bsup', `/supervisor/export?report=external-orgs&format=csv&${PERIOD}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('dis-kurumlar-2026-02-01-2026-03-02');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toContain('Yanıt süresi, ortanca (iş günü)');
    expect(lines).toContain(`${names.org('uedas')};5;2;1,8;1,8;2`);
    expect(lines).toContain(`${names.org('bursagaz')};1;1;0,2;0,2;0`);
    expect(lines).toContain('Toplam;6;3;1;1,2;2');
  });
});
