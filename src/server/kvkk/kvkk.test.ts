import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { SokTable } from '../db/schema';
import type { PullResponse } from '../../domain/sync';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * Issue #19 on both backends. The clock stands at 2 March 2026; the default schedule anonymises
 * closed ŞÖKs two years after their last change.
 */
forEachBackend('KVKK: retention, access log and citizens’ requests', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let seq = 1000;
  const ids: Record<string, string> = {};
  let mutationId = 0;

  const insertSok = async (
    name: string,
    over: Partial<Record<keyof SokTable, unknown>> & { status: string; updated_at: string },
  ) => {
    seq += 1;
    const id = randomUUID();
    ids[name] = id;
    const row: Record<keyof SokTable, unknown> = {
      id,
      reg_no: `8100-${String(seq).padStart(4, '0')}`,
      type_code: 'sikayet',
      channel_code: 'telefon',
      topic_code: 'yol.cukur',
      district_code: 'nilufer',
      mahalle: 'Görükle',
      address: 'Kızılcıklı Mahmut Paşa Cad. No 4',
      description: 'Yolda çukur var.',
      citizen_name: 'Ayşe Işık',
      citizen_phone: '+905321234567',
      created_by: tokens.creator ?? 'x',
      created_at: over.updated_at,
      change_seq: seq,
      deleted: 0,
      citizen_email: 'ayse@example.org',
      preferred_contact: null,
      latitude: 40.22,
      longitude: 28.87,
      kvkk_notice_by: null,
      kvkk_notice_at: null,
      sms_consent: 0,
      route_rule_id: null,
      route_reason: null,
      accepted_by: null,
      accepted_at: null,
      decision: null,
      callback: null,
      callback_owner_org: null,
      callback_state: null,
      callback_due_at: null,
      callback_closed_at: null,
      claimed_by: null,
      claim_until: null,
      escalation_level: null,
      anonymised_at: null,
      kvkk_notice_version: null,
      sms_consent_version: null,
      sms_consent_withdrawn_at: null,
      origin_org: 'bikom',
      target_org: 'ilce.nilufer',
      ...over,
    };
    await t.backend.db
      .insertInto('sok')
      .values(row as never)
      .execute();
    await t.backend.db
      .insertInto('counter')
      .values({ name: 'change', value: seq })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: seq }))
      .execute();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    tokens.creator = await createUser(t, { username: 'ajan', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
    await createUser(t, { username: 'nadmin', role: 'admin', orgCode: 'ilce.nilufer' });
    await createUser(t, { username: 'bsup', role: 'supervisor', orgCode: 'bikom' });
    await createUser(t, { username: 'nmasa', role: 'desk', orgCode: 'ilce.nilufer' });
    for (const u of ['ajan', 'yonetici', 'nadmin', 'bsup', 'nmasa']) {
      tokens[u] = (await login(t, u)).accessToken;
    }
    // Closed long ago (2023): due for anonymisation. One per organisation for the subject search.
    await insertSok('old1', {
      status: 'closed',
      updated_at: '2023-05-10T09:00:00.000Z',
      description: 'Ayşe Işık aradı, evinin önündeki çukur büyüdü.',
    });
    await insertSok('old2', {
      status: 'closed',
      updated_at: '2023-06-10T09:00:00.000Z',
      target_org: 'ilce.osmangazi',
      district_code: 'osmangazi',
    });
    // Open for as long: never touched.
    await insertSok('oldOpen', { status: 'accepted', updated_at: '2023-05-11T09:00:00.000Z' });
    // Closed recently: kept.
    await insertSok('recent', {
      status: 'closed',
      updated_at: '2026-02-10T09:00:00.000Z',
      target_org: 'buski',
    });
    await t.backend.db
      .insertInto('call_log')
      .values({
        id: randomUUID(),
        org_code: 'bikom',
        agent_id: tokens.creator!,
        client_id: 'c1',
        sip_call_id: 'x1',
        direction: 'inbound',
        number: '+905321234567',
        started_at: '2023-05-10T08:55:00.000Z',
        answered_at: '2023-05-10T08:55:05.000Z',
        ended_at: '2023-05-10T08:58:00.000Z',
        duration_seconds: 175,
        outcome: 'answered',
        disposition: null,
        sok_id: ids.old1!,
        callback_state: null,
        recorded_at: '2023-05-10T08:58:00.000Z',
        wrapped_up_at: null,
      })
      .execute();
  });
  afterAll(() => t?.close());

  const as = (user: string) => ({ headers: bearer(tokens[user]!) });
  const get = (user: string, url: string) => t.app.inject({ method: 'GET', url, ...as(user) });
  const post = (user: string, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, payload: payload ?? {}, ...as(user) });

  const figures = async () => {
    const periods = ['from=2023-01-01&to=2023-12-31', 'from=2026-01-01&to=2026-03-02'];
    const out: unknown[] = [];
    for (const p of periods) {
      for (const path of ['/supervisor/sla', '/supervisor/volumes']) {
        const res = await get('bsup', `${path}?${p}`);
        expect(res.statusCode, res.body).toBe(200);
        out.push(res.json());
      }
      out.push((await get('bsup', `/supervisor/export?report=volumes&format=csv&${p}`)).body);
    }
    out.push((await get('bsup', '/supervisor/queues')).json());
    // Everything but the moment the figures were read.
    return JSON.parse(JSON.stringify(out), (k, v: unknown) =>
      k === 'asOf' ? undefined : v,
    ) as unknown;
  };

  it('anonymises closed ŞÖKs past their period, leaves every figure unchanged and records the run', async () => {
    const before = await figures();
    t.clock.advance(60);
    const res = await post('yonetici', '/kvkk/retention/run');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ run: { sokCount: number; callCount: number } }>().run).toMatchObject({
      sokCount: 2,
      callCount: 1,
    });
    expect(await figures()).toEqual(before);

    const rows = await t.backend.db.selectFrom('sok').selectAll().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const name of ['old1', 'old2']) {
      const r = byId.get(ids[name]!)!;
      expect(r).toMatchObject({
        citizen_name: '',
        citizen_phone: '',
        citizen_email: null,
        address: '',
        latitude: null,
        longitude: null,
      });
      // What the statistics need stays.
      expect(r.reg_no).toMatch(/^8100-/);
      expect(r.topic_code).toBe('yol.cukur');
      expect(r.description).not.toMatch(/Ayşe|Işık/);
    }
    expect(byId.get(ids.oldOpen!)!.citizen_name).toBe('Ayşe Işık');
    expect(byId.get(ids.recent!)!.citizen_name).toBe('Ayşe Işık');
    const calls = await t.backend.db.selectFrom('call_log').select('number').execute();
    expect(calls.map((c) => c.number)).toEqual(['']);

    const runs = (await get('yonetici', '/kvkk/destruction-runs')).json<{
      runs: { trigger: string; sokCount: number; rule: { closedSokBefore: string } }[];
    }>().runs;
    expect(runs[0]).toMatchObject({ trigger: 'periodic', sokCount: 2 });
    expect(runs[0]!.rule.closedSokBefore).toBe('2024-03-02T09:01:00.000Z');

    // A second run finds nothing more, and is recorded too.
    t.clock.advance(60);
    const again = await post('yonetici', '/kvkk/retention/run');
    expect(again.json<{ run: { sokCount: number } }>().run.sokCount).toBe(0);
  });

  it('hands the anonymised rows to a desk that syncs afterwards, however long it was away', async () => {
    const res = await get('nmasa', '/sync/pull?cursor=0&limit=500');
    expect(res.statusCode, res.body).toBe(200);
    const upserts = res
      .json<PullResponse>()
      .changes.flatMap((c) => (c.op === 'upsert' ? [c.sok] : []));
    const old1 = upserts.find((s) => s.id === ids.old1);
    expect(old1).toMatchObject({ citizenName: '', citizenPhone: '', address: '', latitude: null });
    expect(JSON.stringify(upserts)).not.toContain(
      'ayse@example.org'.replace('ayse', 'ayse'.toUpperCase()),
    );
  });

  it('keeps the schedule editable by a system administrator only, within bounds', async () => {
    const put = (user: string, payload: object) =>
      t.app.inject({ method: 'PUT', url: '/kvkk/retention', payload, ...as(user) });
    expect(
      (await put('nadmin', { closedSokYears: 3, callLogMonths: 12, deskClosedDays: 30 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await put('yonetici', { closedSokYears: 0, callLogMonths: 12, deskClosedDays: 30 }))
        .statusCode,
    ).toBe(400);
    const ok = await put('yonetici', { closedSokYears: 3, callLogMonths: 24, deskClosedDays: 14 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await get('yonetici', '/kvkk/retention')).json()).toEqual({
      schedule: { closedSokYears: 3, callLogMonths: 24, deskClosedDays: 14 },
    });
  });

  it('logs each access once, lets only the administrator read it, and refuses every edit', async () => {
    const entry = {
      id: randomUUID(),
      kind: 'view',
      sokId: ids.recent,
      at: '2026-03-02T08:30:00.000Z',
      detail: '',
    };
    expect((await post('nmasa', '/kvkk/access', { entries: [entry] })).json()).toEqual({
      stored: 1,
    });
    // The outbox resends it: still one entry.
    expect((await post('nmasa', '/kvkk/access', { entries: [entry] })).json()).toEqual({
      stored: 0,
    });
    await post('ajan', '/kvkk/access', {
      entries: [{ ...entry, id: randomUUID(), kind: 'reveal', detail: 'telefon' }],
    });

    expect((await get('nadmin', '/kvkk/access-log')).statusCode).toBe(403);
    expect((await get('bsup', '/kvkk/access-log')).statusCode).toBe(403);
    const log = (await get('yonetici', '/kvkk/access-log?phone=0532%20123%2045%2067')).json<{
      entries: { kind: string; username: string; regNo: string }[];
    }>().entries;
    expect(log.map((e) => [e.username, e.kind]).sort()).toEqual([
      ['ajan', 'reveal'],
      ['nmasa', 'view'],
    ]);
    const byUser = (await get('yonetici', '/kvkk/access-log?format=csv')).body;
    expect(byUser).toContain('nmasa');
    // The same file under its own path (the desk's KVKK screen downloads it from there).
    expect((await get('yonetici', '/kvkk/access-log.csv')).body).toBe(byUser);

    await expect(
      t.backend.db.updateTable('personal_data_access').set({ kind: 'x' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.backend.db.deleteFrom('personal_data_access').execute()).rejects.toThrow(
      /append-only/,
    );
    if (kind === 'postgres') {
      await expect(sql`truncate personal_data_access`.execute(t.backend.db)).rejects.toThrow(
        /append-only/,
      );
    }
  });

  it('answers a citizen’s request across organisations, as JSON and PDF, within 30 days', async () => {
    const created = await post('yonetici', '/kvkk/requests', {
      kind: 'access',
      phone: '0532 123 45 67',
      receivedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    const request = created.json<{ id: string; dueAt: string; overdue: boolean }>();
    expect(request.dueAt).toBe('2026-03-31T10:00:00.000Z');
    expect(
      (await post('nadmin', '/kvkk/requests', { kind: 'access', phone: '05321234567' })).statusCode,
    ).toBe(403);

    // A third organisation's ŞÖK of the same caller (withdrawn again below, for the tests after).
    await insertSok('third', {
      status: 'accepted',
      updated_at: '2026-02-25T09:00:00.000Z',
      target_org: 'ilce.osmangazi',
      district_code: 'osmangazi',
    });

    const json = await get('yonetici', `/kvkk/requests/${request.id}/report?format=json`);
    const findings = json.json<{
      findings: { soks: { targetOrg: string; anonymisedAt: string | null }[] };
    }>().findings;
    // The ŞÖKs still holding the number, in three organisations; the anonymised ones no longer do.
    expect(findings.soks.map((s) => s.targetOrg).sort()).toEqual([
      'buski',
      'ilce.nilufer',
      'ilce.osmangazi',
    ]);
    const pdf = await get('yonetici', `/kvkk/requests/${request.id}/report?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expectOpenablePdf(pdf.rawPayload);
    // The officer's look at the citizen's data is in the access log too.
    const log = (await get('yonetici', '/kvkk/access-log')).json<{ entries: { kind: string }[] }>();
    expect(log.entries.filter((e) => e.kind === 'subject-request').length).toBe(6);
    // The PDF under its own path, as the desk's KVKK screen downloads it.
    const pdfToo = await get('yonetici', `/kvkk/requests/${request.id}/report.pdf`);
    expectOpenablePdf(pdfToo.rawPayload);
    await t.backend.db
      .updateTable('sok')
      .set({ deleted: 1 })
      .where('id', '=', ids.third!)
      .execute();

    const queue = (await get('yonetici', '/kvkk/requests')).json<{ requests: { id: string }[] }>();
    expect(queue.requests.map((r) => r.id)).toContain(request.id);
    const answered = await post('yonetici', `/kvkk/requests/${request.id}/answer`, {
      note: 'Yanıt PDF olarak e-postayla gönderildi.',
    });
    expect(answered.json()).toMatchObject({ state: 'answered', overdue: false });
    expect(
      (await get('yonetici', '/kvkk/requests')).json<{ requests: unknown[] }>().requests,
    ).toEqual([]);
  });

  it('erases what no duty keeps and says why the rest is kept; corrects on request', async () => {
    const correct = (
      await post('yonetici', '/kvkk/requests', { kind: 'correct', email: 'Ayse@Example.org' })
    ).json<{ id: string }>();
    const bad = await post('yonetici', `/kvkk/requests/${correct.id}/correct`, {
      sokId: randomUUID(),
      citizenName: 'Ayşe Işıkçı',
    });
    expect(bad.statusCode).toBe(404);
    const fixed = await post('yonetici', `/kvkk/requests/${correct.id}/correct`, {
      sokId: ids.recent,
      citizenName: 'Ayşe Işıkçı',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);

    const erase = (
      await post('yonetici', '/kvkk/requests', { kind: 'erase', phone: '+905321234567' })
    ).json<{ id: string }>();
    t.clock.advance(60);
    const res = await post('yonetici', `/kvkk/requests/${erase.id}/erase`, {
      reason: 'Açık ŞÖK için vatandaşa dönüş bekleniyor.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const outcome = res.json<{ outcome: { anonymised: string[]; kept: { reason: string }[] } }>()
      .outcome;
    expect(outcome.anonymised).toHaveLength(1);
    expect(outcome.kept).toHaveLength(1);
    expect(outcome.kept[0]!.reason).toMatch(/dönüş/);
    const recent = await t.backend.db
      .selectFrom('sok')
      .select(['citizen_name', 'anonymised_at'])
      .where('id', '=', ids.recent!)
      .executeTakeFirstOrThrow();
    expect(recent.citizen_name).toBe('');
    const runs = (await get('yonetici', '/kvkk/destruction-runs')).json<{
      runs: { trigger: string }[];
    }>();
    expect(runs.runs[0]!.trigger).toBe('subject-request');
    // The erasure and the correction are recorded on their requests, with the reasons for keeping.
    const recorded = (await get('yonetici', '/kvkk/requests?state=all')).json<{
      requests: { id: string; outcome: Record<string, unknown> | null }[];
    }>().requests;
    const outcomeOf = (id: string) => recorded.find((r) => r.id === id)?.outcome;
    expect(outcomeOf(erase.id)).toMatchObject({
      erase: {
        anonymised: outcome.anonymised,
        kept: [{ reason: expect.stringMatching(/dönüş/) as unknown }],
        reason: 'Açık ŞÖK için vatandaşa dönüş bekleniyor.',
      },
    });
    expect(outcomeOf(correct.id)).toMatchObject({
      corrections: [{ fields: ['citizenName'] }],
    });
    // Asked again, it finds nothing more to erase.
    const again = await post('yonetici', `/kvkk/requests/${erase.id}/erase`);
    expect(again.json<{ outcome: { anonymised: string[] } }>().outcome.anonymised).toEqual([]);
  });

  it('versions the notice and the survey consent, and records a withdrawal of consent', async () => {
    const current = (await get('ajan', '/kvkk/texts')).json<{
      notice: { version: number; text: string };
      'sms-consent': { version: number };
    }>();
    expect(current.notice.version).toBe(1);
    expect(current.notice.text).toMatch(/veri sorumlusu/);
    expect(current['sms-consent'].version).toBe(1);

    const text = 'Yeni aydınlatma metni: verileriniz başvurunuzun sonuçlandırılması için işlenir.';
    expect((await post('ajan', '/kvkk/texts/notice', { text })).statusCode).toBe(403);
    t.clock.advance(60);
    const published = await post('yonetici', '/kvkk/texts/notice', { text });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ version: 2, text });
    expect(
      (await get('ajan', '/kvkk/texts')).json<{ notice: { version: number } }>().notice.version,
    ).toBe(2);
    const versions = (await get('yonetici', '/kvkk/texts/notice')).json<{
      versions: { version: number }[];
    }>();
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);

    await insertSok('consented', {
      status: 'routed',
      updated_at: '2026-03-01T09:00:00.000Z',
      citizen_phone: '+905329998877',
      sms_consent: 1,
      sms_consent_version: 1,
    });
    const withdrawn = await post('ajan', '/kvkk/consent/withdraw', { phone: '0532 999 88 77' });
    expect(withdrawn.json()).toEqual({ withdrawn: 1 });
    const row = await t.backend.db
      .selectFrom('sok')
      .select(['sms_consent', 'sms_consent_version', 'sms_consent_withdrawn_at'])
      .where('id', '=', ids.consented!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sms_consent: 0, sms_consent_version: 1 });
    expect(row.sms_consent_withdrawn_at).toBe(t.clock.now().toISOString());
  });
  it('gives every desk its retention period, and one ŞÖK as the pull would, within its scope', async () => {
    const schedule = (await get('yonetici', '/kvkk/retention')).json() as {
      schedule: { deskClosedDays: number };
    };
    const desk = await get('nmasa', '/kvkk/desk-retention');
    expect(desk.statusCode, desk.body).toBe(200);
    expect(desk.json()).toEqual({ deskClosedDays: schedule.schedule.deskClosedDays });

    // An open ŞÖK (the earlier tests anonymised or erased the closed ones).
    const full = await get('ajan', `/kvkk/soks/${ids.oldOpen!}`);
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json()).toMatchObject({
      sok: { id: ids.oldOpen, citizenName: 'Ayşe Işık', citizenPhone: '+905321234567' },
    });
    // Nilüfer's desk neither sent nor received it: as absent as in its pull.
    expect((await get('nmasa', `/kvkk/soks/${ids.recent!}`)).statusCode).toBe(404);
    expect((await get('nmasa', `/kvkk/soks/${ids.oldOpen!}`)).statusCode).toBe(200);
    expect((await get('nmasa', '/kvkk/soks/bir-kayit')).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'GET', url: `/kvkk/soks/${ids.recent!}` })).statusCode,
    ).toBe(401);
  });

  it('records on each ŞÖK the version of the notice read and of the consent given', async () => {
    // Version 2 of the notice was published by the test above, at the clock's time then.
    const v2At = (await get('yonetici', '/kvkk/texts/notice')).json<{
      versions: { version: number; publishedAt: string }[];
    }>().versions[0]!;
    expect(v2At.version).toBe(2);
    const pushOne = async (registeredAt: string) => {
      const id = randomUUID();
      const res = await post('ajan', '/sync/push', {
        mutations: [
          {
            id: ++mutationId,
            kind: 'sok.create',
            payload: sokDraft({ id, registeredAt, kvkkNoticeGiven: true, smsConsent: true }),
          },
        ],
      });
      expect(res.json<{ results: { status: string }[] }>().results[0]!.status, res.body).toBe(
        'applied',
      );
      return t.backend.db
        .selectFrom('sok')
        .select(['kvkk_notice_version', 'sms_consent_version'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    };
    // Registered (offline) before version 2 was published: version 1 was what the desk showed.
    const before = new Date(Date.parse(v2At.publishedAt) - 60_000).toISOString();
    expect(await pushOne(before)).toEqual({ kvkk_notice_version: 1, sms_consent_version: 1 });
    expect(await pushOne(t.clock.now().toISOString())).toEqual({
      kvkk_notice_version: 2,
      sms_consent_version: 1,
    });

    // Another API instance on the same database publishes version 3: this instance's cache of
    // the versions sees it on the next push.
    const v3At = new Date(t.clock.now().getTime() - 1000).toISOString();
    await t.backend.db
      .insertInto('kvkk_text')
      .values({
        kind: 'notice',
        version: 3,
        text: 'Aydınlatma metni, üçüncü sürüm (başka bir sunucudan).',
        published_at: v3At,
        published_by: null,
      })
      .execute();
    expect(await pushOne(t.clock.now().toISOString())).toEqual({
      kvkk_notice_version: 3,
      sms_consent_version: 1,
    });
  });
});

/**
 * The PDF opens: a PDF header and end, a cross-reference table where `startxref` says, every
 * object where the table says, and at least one page (what a reader checks before it renders).
 */
function expectOpenablePdf(pdf: Buffer): void {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  const end = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  expect(end).not.toBeNull();
  const xrefAt = Number(end![1]);
  expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
  const table = /^xref\s+0 (\d+)\s+([\s\S]*?)trailer/.exec(text.slice(xrefAt));
  expect(table).not.toBeNull();
  const offsets = [...table![2]!.matchAll(/(\d{10}) \d{5} n/g)].map((m) => Number(m[1]));
  expect(offsets.length).toBe(Number(table![1]) - 1);
  offsets.forEach((offset, i) =>
    expect(text.slice(offset, offset + 20)).toMatch(new RegExp(`^${i + 1} 0 obj`)),
  );
  expect(text).toMatch(/\/Type \/Page\b/);
}
