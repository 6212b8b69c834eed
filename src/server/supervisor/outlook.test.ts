import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Callback } from '../../domain/workflow';
import type { OutlookResponse } from '../../domain/supervisor';
import type { SokTable } from '../db/schema';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * Issue #17 item 11: where the city stands — open and late ŞÖKs per district, and the ŞÖKs whose
 * 30-day legal limit falls on each of the next 7 Istanbul days. Clock: Monday 2 March 2026,
 * 12:00 Istanbul (09:00 UTC).
 *
 * A nilufer  routed   registered 20 Jan                 open, late (legal limit passed)
 * B nilufer  decided  callback due 1 Mar, open           open, late (callback overdue)
 * C nilufer  routed   registered 28 Feb                 open
 * H nilufer  routed   registered 31 Jan 15:00 Istanbul  open; limit today 15:00, still ahead: risk today
 * D yildirim closed                                     not open
 * E yildirim accepted registered 1 Feb 13:00 Istanbul   limit 3 Mar: risk
 * G yildirim routed   registered 1 Feb 01:30 Istanbul   (31 Jan 22:30 UTC) limit 3 Mar: risk
 * F osmangazi informed, callback done, registered 1 Feb  open (not closed), no risk: informed
 */
forEachBackend('supervisor outlook', (kind) => {
  let t: TestApp;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(kind);
    const author = await createUser(t, { username: 'bsup', role: 'supervisor', orgCode: 'bikom' });
    token = (await login(t, 'bsup')).accessToken;
    let seq = 0;
    const insert = async (
      district: string,
      status: string,
      created: string,
      cb?: { state: Callback['state']; due: string; closed: string | null },
    ) => {
      seq += 1;
      const callback: Callback | null = cb
        ? {
            ownerOrg: `ilce.${district}`,
            state: cb.state,
            origin: 'decision',
            createdAt: created,
            dueAt: cb.due,
            closedAt: cb.closed,
            attempts: 0,
            lastAttemptAt: null,
            lastOutcome: null,
            claimedBy: null,
            claimedByName: null,
            claimUntil: null,
            escalation: 0,
          }
        : null;
      const row: Record<keyof SokTable, unknown> = {
        id: randomUUID(),
        reg_no: `9300-${String(seq).padStart(4, '0')}`,
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'yol.cukur',
        district_code: district,
        mahalle: 'Merkez',
        address: '',
        description: 'Durum',
        citizen_name: 'Ayşe Işık',
        citizen_phone: '+905321234567',
        status,
        origin_org: 'bikom',
        target_org: `ilce.${district}`,
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
        callback: callback ? JSON.stringify(callback) : null,
        callback_owner_org: callback?.ownerOrg ?? null,
        callback_state: callback?.state ?? null,
        callback_due_at: callback?.dueAt ?? null,
        callback_closed_at: callback?.closedAt ?? null,
        claimed_by: null,
        claim_until: null,
        escalation_level: callback ? 0 : null,
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
    await insert('nilufer', 'routed', '2026-01-20T08:00:00.000Z');
    await insert('nilufer', 'decided', '2026-02-25T08:00:00.000Z', {
      state: 'open',
      due: '2026-03-01T14:30:00.000Z',
      closed: null,
    });
    await insert('nilufer', 'routed', '2026-02-28T08:00:00.000Z');
    await insert('nilufer', 'routed', '2026-01-31T12:00:00.000Z');
    await insert('yildirim', 'closed', '2026-02-01T10:00:00.000Z');
    await insert('yildirim', 'accepted', '2026-02-01T10:00:00.000Z');
    await insert('yildirim', 'routed', '2026-01-31T22:30:00.000Z');
    await insert('osmangazi', 'informed', '2026-02-01T10:00:00.000Z', {
      state: 'done',
      due: '2026-02-05T14:30:00.000Z',
      closed: '2026-02-04T10:00:00.000Z',
    });
  });
  afterAll(() => t?.close());

  it('counts open and late ŞÖKs per district and the legal-limit risk of the next 7 days', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/supervisor/outlook',
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json<OutlookResponse>();
    expect(o.byDistrict.map((d) => [d.key, d.open, d.late])).toEqual([
      ['nilufer', 4, 2],
      ['yildirim', 2, 0],
      ['osmangazi', 1, 0],
    ]);
    expect(o.byDistrict[0]!.name).toBe('Nilüfer');
    expect(o.legalRisk).toEqual([
      { day: '2026-03-02', count: 1 },
      { day: '2026-03-03', count: 2 },
      { day: '2026-03-04', count: 0 },
      { day: '2026-03-05', count: 0 },
      { day: '2026-03-06', count: 0 },
      { day: '2026-03-07', count: 0 },
      { day: '2026-03-08', count: 0 },
    ]);
    expect(o.legalRiskByOrg).toEqual([
      { key: 'ilce.yildirim', name: 'Yıldırım Belediyesi', count: 2 },
      { key: 'ilce.nilufer', name: 'Nilüfer Belediyesi', count: 1 },
    ]);
  });
});
