import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import type { Open311Request } from './requests';
import {
  createOpen311App,
  open311Errors,
  parseXml,
  postForm,
  setUpWebForm,
  webForm,
} from '../../../test/support/open311';

const DAY = 24 * 3600;

forEachBackend('Open311 request filters', (kind) => {
  let t: TestApp;
  /** Registration numbers by what the test made them. */
  const ids: Record<'old' | 'pothole' | 'litter' | 'closed', string> = {
    old: '',
    pothole: '',
    litter: '',
    closed: '',
  };

  beforeAll(async () => {
    t = await createOpen311App(kind);
    const f = await setUpWebForm(t);
    const post = async (form: Record<string, string>) => {
      const res = await postForm(t, form);
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json<{ service_request_id: string }[]>()[0]?.service_request_id ?? '';
    };
    // 2026-03-02 09:00Z: one ŞÖK 100 days ago, three now (one of them closed since).
    t.clock.advance(-100 * DAY);
    ids.old = await post(webForm(f.apiKey));
    t.clock.advance(100 * DAY);
    ids.pothole = await post(webForm(f.apiKey, { service_code: 'yol.cukur' }));
    ids.litter = await post(webForm(f.apiKey));
    ids.closed = await post(webForm(f.apiKey));
    await t.backend.db
      .updateTable('sok')
      .set({ status: 'closed', updated_at: '2026-03-02T10:30:00.000Z' })
      .where('reg_no', '=', ids.closed)
      .execute();
  });
  afterAll(() => t.close());

  const list = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Open311Request[]>();
  };
  const idsOf = async (query: string) =>
    (await list(query)).map((r) => r.service_request_id).sort();

  it('defaults to the last 90 days, newest first', async () => {
    const requests = await list('');
    expect(requests.map((r) => r.service_request_id).sort()).toEqual(
      [ids.pothole, ids.litter, ids.closed].sort(),
    );
    const times = requests.map((r) => r.requested_datetime);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('maps the closed status and keeps its Turkish note', async () => {
    const [closed] = await list(`service_request_id=${ids.closed}`);
    expect(closed).toMatchObject({
      status: 'closed',
      status_notes: 'Başvurunuz kapatıldı.',
      updated_datetime: '2026-03-02T13:30:00+03:00',
    });
    expect(await idsOf('status=closed')).toEqual([ids.closed]);
    expect(await idsOf('status=open')).toEqual([ids.pothole, ids.litter].sort());
    expect(await idsOf('status=open,closed')).toHaveLength(3);
  });

  it('filters by service code, one or a comma list', async () => {
    expect(await idsOf('service_code=yol.cukur')).toEqual([ids.pothole]);
    expect(await idsOf('service_code=yol.cukur,temizlik.cop-toplanmadi')).toHaveLength(3);
    expect(await idsOf('service_code=yol.cukur&service_code=temizlik.cop-toplanmadi')).toHaveLength(
      3,
    );
  });

  it('lets a service_request_id list override every other filter', async () => {
    expect(
      await idsOf(
        `service_request_id=${ids.old},${ids.pothole.replace('-', '')}&status=closed&service_code=su.ariza`,
      ),
    ).toEqual([ids.old, ids.pothole].sort());
  });

  it('takes a zoned window of up to 90 days', async () => {
    const from = encodeURIComponent('2025-11-20T00:00:00+03:00');
    const to = encodeURIComponent('2025-11-25T00:00:00+03:00');
    expect(await idsOf(`start_date=${from}&end_date=${to}`)).toEqual([ids.old]);
    // A start alone reaches 90 days forward; an end alone 90 days back.
    expect(await idsOf(`start_date=${from}`)).toEqual([ids.old]);
    expect(await idsOf(`end_date=${encodeURIComponent('2026-03-02T23:59:59Z')}`)).toHaveLength(3);
  });

  it('refuses windows over 90 days, reversed or unzoned dates, and unknown filter values', async () => {
    const bad = [
      'start_date=2025-01-01T00:00:00Z&end_date=2025-04-02T00:00:00Z',
      'start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z',
      'start_date=2026-03-01',
      'start_date=2026-03-01T10:00:00',
      'status=pending',
      'service_code=yol',
      'service_request_id=1234-5678',
    ];
    for (const query of bad) {
      const res = await t.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(open311Errors(res)[0]?.code).toBe(400);
    }
    const xml = await t.app.inject({
      method: 'GET',
      url: '/open311/v2/requests.xml?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z',
    });
    expect(xml.statusCode).toBe(400);
    expect(parseXml(xml.body).errors).toEqual({
      error: [{ code: '400', description: 'end_date: Tarih aralığı en fazla 90 gün olabilir.' }],
    });
  });
});
