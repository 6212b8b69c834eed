import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PullResponse } from '../../domain/sync';
import { bearer, createUser, login, type TestApp } from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import type { Open311Request } from './requests';
import {
  countRows,
  createOpen311App,
  issueKey,
  open311Errors,
  parseXml,
  postForm,
  setUpWebForm,
  webForm,
  type Open311Fixture,
} from '../../../test/support/open311';

/** Everything that identifies the citizen in `webForm`, in the forms it could appear. */
const PERSONAL = ['Ayşe', 'Işık', '5321234567', '532 123', 'ayse.isik', 'example.com'];

forEachBackend('Open311 requests', (kind) => {
  let t: TestApp;
  let f: Open311Fixture;
  beforeAll(async () => {
    t = await createOpen311App(kind);
    f = await setUpWebForm(t);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311/v2${url}` });

  it('registers a web request as a routed ŞÖK and reports it in XML and JSON without personal data', async () => {
    const res = await postForm(t, webForm(f.apiKey), 'xml');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const [created] = (parseXml(res.body).service_requests as { request: Record<string, string>[] })
      .request;
    const id = created?.service_request_id ?? '';
    expect(id).toMatch(/^\d{4}-\d{4}$/);
    expect(created?.service_notice).toContain(id);
    expect(created?.service_notice).toContain('Yıldırım Belediyesi');
    expect(created?.account_id).toBe('');

    // The ŞÖK went through the desk path: channel web, the service account, routed by the rules.
    const sok = await t.backend.db
      .selectFrom('sok')
      .selectAll()
      .where('reg_no', '=', id)
      .executeTakeFirstOrThrow();
    expect(sok).toMatchObject({
      channel_code: 'web',
      type_code: 'sikayet',
      topic_code: 'temizlik.cop-toplanmadi',
      district_code: 'yildirim',
      mahalle: 'Değirmenönü',
      citizen_name: 'Ayşe Işık',
      citizen_phone: '+905321234567',
      citizen_email: 'ayse.isik@example.com',
      origin_org: 'bikom',
      target_org: 'ilce.yildirim',
      status: 'routed',
      created_by: f.serviceUserId,
      created_at: '2026-03-02T09:00:00.000Z',
    });
    const events = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'actor_id'])
      .where('sok_id', '=', sok.id)
      .orderBy('change_seq')
      .execute();
    expect(events).toEqual([
      { kind: 'registered', actor_id: f.serviceUserId },
      { kind: 'routed', actor_id: f.serviceUserId },
    ]);

    const expected = {
      service_request_id: id,
      status: 'open',
      status_notes: 'Başvurunuz ilgili birime iletildi.',
      service_name: 'Çöp toplanmadı',
      service_code: 'temizlik.cop-toplanmadi',
      agency_responsible: 'Yıldırım Belediyesi',
      requested_datetime: '2026-03-02T12:00:00+03:00',
      updated_datetime: '2026-03-02T12:00:00+03:00',
      expected_datetime: null,
      address: 'Ankara Yolu Cd. No: 12, Değirmenönü, Yıldırım',
      lat: 40.1885,
      long: 29.0961,
    };
    const one = await get(`/requests/${id}.json`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual([expect.objectContaining(expected)]);

    const oneXml = await get(`/requests/${id}.xml`);
    expect(oneXml.statusCode).toBe(200);
    const [fromXml] = (
      parseXml(oneXml.body).service_requests as { request: Record<string, string>[] }
    ).request;
    expect(fromXml).toMatchObject({
      ...expected,
      expected_datetime: '',
      lat: '40.1885',
      long: '29.0961',
    });

    const all = await get('/requests.json');
    expect(all.json<Open311Request[]>().map((r) => r.service_request_id)).toContain(id);
    for (const body of [one.body, oneXml.body, all.body, (await get('/requests.xml')).body]) {
      for (const personal of PERSONAL) expect(body).not.toContain(personal);
      // The free text stays out too (citizens write personal details into it).
      expect(body).not.toContain('Sokağımızdaki');
    }
  });

  it('finds the district in the address text and makes the ŞÖK visible to that desk', async () => {
    await createUser(t, { username: 'masa.nilufer', role: 'desk', orgCode: 'ilce.nilufer' });
    const desk = (await login(t, 'masa.nilufer')).accessToken;
    const res = await postForm(
      t,
      webForm(f.apiKey, {
        'attribute[ilce]': undefined,
        address_string: 'FETHİYE MAH. ŞEHİT ASIM SK. NO:3 NILUFER / BURSA',
        lat: undefined,
        long: undefined,
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const [created] = res.json<{ service_request_id: string; account_id: null }[]>();
    expect(created?.account_id).toBeNull();

    const pull = await t.app.inject({
      method: 'GET',
      url: '/sync/pull?cursor=0',
      headers: bearer(desk),
    });
    expect(pull.statusCode, pull.body).toBe(200);
    const upserts = pull
      .json<PullResponse>()
      .changes.flatMap((c) => (c.op === 'upsert' ? [c.sok] : []));
    expect(upserts).toEqual([
      expect.objectContaining({
        regNo: created?.service_request_id,
        channelCode: 'web',
        districtCode: 'nilufer',
        targetOrg: 'ilce.nilufer',
        originOrg: 'bikom',
      }),
    ]);
    const events = pull.json<PullResponse>().changes.filter((c) => c.op === 'event');
    expect(events).toHaveLength(2);
  });

  it('routes by topic as a desk would: water faults go to BUSKİ', async () => {
    const res = await postForm(
      t,
      webForm(f.apiKey, { service_code: 'su.ariza', 'attribute[tur]': 'talep' }),
      'json',
    );
    expect(res.statusCode, res.body).toBe(201);
    const [created] = res.json<{ service_request_id: string }[]>();
    const [request] = (await get(`/requests/${created?.service_request_id ?? ''}.json`)).json<
      Open311Request[]
    >();
    expect(request?.agency_responsible).toBe('Bursa Su ve Atıksu İdaresi Genel Müdürlüğü (BUSKİ)');
    const sok = await t.backend.db
      .selectFrom('sok')
      .select(['type_code', 'target_org'])
      .where('reg_no', '=', created?.service_request_id ?? '')
      .executeTakeFirstOrThrow();
    expect(sok).toEqual({ type_code: 'talep', target_org: 'buski' });
  });

  it('also takes JSON, with the attributes as an object', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: {
        api_key: f.apiKey,
        service_code: 'aydinlatma.sokak-lambasi',
        attribute: { ilce: 'gemlik', tur: 'talep' },
        lat: 40.4318,
        long: 29.1586,
        first_name: 'Ayşe',
        last_name: 'Işık',
        phone: '+90 532 123 45 67',
        description: 'İskele caddesindeki lamba yanmıyor.',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const [created] = res.json<{ service_request_id: string }[]>();
    const sok = await t.backend.db
      .selectFrom('sok')
      .select(['district_code', 'type_code', 'latitude', 'address'])
      .where('reg_no', '=', created?.service_request_id ?? '')
      .executeTakeFirstOrThrow();
    expect({ ...sok, latitude: Number(sok.latitude) }).toEqual({
      district_code: 'gemlik',
      type_code: 'talep',
      latitude: 40.4318,
      address: '',
    });
  });

  it('refuses bad input with the field at fault and writes nothing', async () => {
    const revoked = await issueKey(t, f.adminToken, f.serviceUserId, 'Eski anahtar');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/admin/api-keys/${revoked.apiKey.id}`,
      headers: bearer(f.adminToken),
    });
    expect(del.statusCode, del.body).toBe(204);

    const cases: { name: string; form: Record<string, string>; status: number; field: string }[] = [
      {
        name: 'unknown service',
        form: webForm(f.apiKey, { service_code: 'yok.boyle' }),
        status: 400,
        field: 'service_code',
      },
      {
        name: 'a service group',
        form: webForm(f.apiKey, { service_code: 'temizlik' }),
        status: 400,
        field: 'service_code',
      },
      {
        name: 'missing service',
        form: webForm(f.apiKey, { service_code: undefined }),
        status: 400,
        field: 'service_code',
      },
      {
        name: 'wrong key',
        form: webForm(`a153k_${'x'.repeat(43)}`),
        status: 403,
        field: 'api_key',
      },
      {
        name: 'missing key',
        form: webForm(f.apiKey, { api_key: undefined }),
        status: 403,
        field: 'api_key',
      },
      { name: 'revoked key', form: webForm(revoked.key), status: 403, field: 'api_key' },
      {
        name: 'no location',
        form: webForm(f.apiKey, { lat: undefined, long: undefined, address_string: undefined }),
        status: 400,
        field: 'location',
      },
      {
        name: 'lat without long',
        form: webForm(f.apiKey, { long: undefined }),
        status: 400,
        field: 'long',
      },
      {
        name: 'latitude out of range',
        form: webForm(f.apiKey, { lat: '140.2' }),
        status: 400,
        field: 'lat',
      },
      {
        name: 'invalid phone',
        form: webForm(f.apiKey, { phone: '0532 12' }),
        status: 400,
        field: 'phone',
      },
      {
        name: 'invalid e-mail',
        form: webForm(f.apiKey, { email: 'ayse@' }),
        status: 400,
        field: 'email',
      },
      {
        name: 'no way to reach the citizen',
        form: webForm(f.apiKey, { phone: undefined, email: undefined }),
        status: 400,
        field: 'phone',
      },
      {
        name: 'no name',
        form: webForm(f.apiKey, { first_name: undefined, last_name: undefined }),
        status: 400,
        field: 'first_name',
      },
      {
        name: 'description too short',
        form: webForm(f.apiKey, { description: 'Çöp var' }),
        status: 400,
        field: 'description',
      },
      {
        name: 'description too long',
        form: webForm(f.apiKey, { description: 'ç'.repeat(4001) }),
        status: 400,
        field: 'description',
      },
      {
        name: 'no district anywhere',
        form: webForm(f.apiKey, { 'attribute[ilce]': undefined }),
        status: 400,
        field: 'attribute[ilce]',
      },
      {
        name: 'two districts in the address',
        form: webForm(f.apiKey, {
          'attribute[ilce]': undefined,
          address_string: 'Osmangazi Mah. Gemlik Cd.',
        }),
        status: 400,
        field: 'attribute[ilce]',
      },
      {
        name: 'unknown district',
        form: webForm(f.apiKey, { 'attribute[ilce]': 'ankara' }),
        status: 400,
        field: 'attribute[ilce]',
      },
      {
        name: 'unknown attribute',
        form: webForm(f.apiKey, { 'attribute[oncelik]': 'yuksek' }),
        status: 400,
        field: 'attribute[oncelik]',
      },
      {
        name: 'media link that is not http',
        form: webForm(f.apiKey, { media_url: 'javascript:alert(1)' }),
        status: 400,
        field: 'media_url',
      },
    ];

    const before = [await countRows(t, 'sok'), await countRows(t, 'sok_event')];
    for (const c of cases) {
      const res = await postForm(t, c.form);
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(c.status);
      const errors = open311Errors(res);
      expect(errors.length, c.name).toBeGreaterThan(0);
      expect(
        errors.every((e) => e.code === c.status),
        c.name,
      ).toBe(true);
      expect(
        errors.some((e) => e.description.startsWith(`${c.field}: `)),
        `${c.name}: ${res.body}`,
      ).toBe(true);
    }
    expect([await countRows(t, 'sok'), await countRows(t, 'sok_event')]).toEqual(before);
  });

  it('refuses a 10 MB description at the body limit, in the Open311 shape', async () => {
    const before = await countRows(t, 'sok');
    const res = await postForm(
      t,
      webForm(f.apiKey, { description: 'a'.repeat(10 * 1024 * 1024) }),
      'xml',
    );
    expect(res.statusCode).toBe(413);
    expect(parseXml(res.body).errors).toEqual({
      error: [{ code: '413', description: expect.any(String) as string }],
    });
    expect(await countRows(t, 'sok')).toBe(before);
  });

  it('reports every problem of one request at once, in XML too', async () => {
    const res = await postForm(
      t,
      webForm(f.apiKey, { phone: '12', description: 'kısa', 'attribute[ilce]': 'xyz' }),
      'xml',
    );
    expect(res.statusCode).toBe(400);
    const errors = (parseXml(res.body).errors as { error: { code: string; description: string }[] })
      .error;
    expect(errors.map((e) => e.description.split(':')[0]).sort()).toEqual([
      'attribute[ilce]',
      'description',
      'phone',
    ]);
    expect(errors.every((e) => e.code === '400')).toBe(true);
  });

  it('needs a key whose service account can still register ŞÖKs', async () => {
    const userId = await createUser(t, { username: 'eski-form', role: 'agent', orgCode: 'bikom' });
    const { key } = await issueKey(t, f.adminToken, userId);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${userId}`,
      headers: bearer(f.adminToken),
      payload: { active: false },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const res = await postForm(t, webForm(key));
    expect(res.statusCode).toBe(403);
  });

  it('answers unknown request ids with 404', async () => {
    for (const url of ['/requests/0099-9990.json', '/requests/12.json', '/requests/abc.xml']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
    }
  });
});

forEachBackend('Open311 rate limit', (kind) => {
  let t: TestApp;
  let f: Open311Fixture;
  beforeAll(async () => {
    t = await createOpen311App(kind, { postRateLimit: { max: 2, timeWindowMs: 60_000 } });
    f = await setUpWebForm(t);
  });
  afterAll(() => t.close());

  it('limits POSTs per key and address, answering 429 in the Open311 shape', async () => {
    const invalid = webForm(f.apiKey, { description: 'kısa' });
    expect((await postForm(t, invalid)).statusCode).toBe(400);
    expect((await postForm(t, invalid, 'xml')).statusCode).toBe(400);
    const limited = await postForm(t, webForm(f.apiKey));
    expect(limited.statusCode).toBe(429);
    expect(open311Errors(limited)).toEqual([{ code: 429, description: expect.any(String) }]);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another key from the same address has its own budget.
    expect((await postForm(t, webForm(`a153k_${'y'.repeat(43)}`))).statusCode).toBe(403);
  });
});
