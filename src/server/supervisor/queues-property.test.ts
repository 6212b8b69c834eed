import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Callback } from '../../domain/workflow';
import {
  QUEUE_COLUMNS,
  UNREACHABLE_QUEUE_DAYS,
  type QueueItemsResponse,
  type QueuesResponse,
} from '../../domain/supervisor';
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
 * Issue #17 item 8, for random data on both backends: every open item (a ŞÖK waiting for
 * acceptance or a decision, an open callback whatever its due time, a callback that ended
 * unreachable in the last 30 days) is in exactly one queue column, and the columns add up to the
 * row total and to the grand total. The clock stands at 2 March 2026 12:00 Istanbul.
 */
const ORGS = ['ilce.nilufer', 'ilce.yildirim', 'bb.fen-isleri'] as const;
const STATUSES = ['routed', 'accepted', 'decided', 'informed', 'closed'] as const;
const CB_STATES = ['open', 'done', 'unreachable', 'cancelled'] as const;
const HOUR = 3_600_000;

interface Item {
  status: (typeof STATUSES)[number];
  target: number;
  cb: {
    owner: number;
    state: (typeof CB_STATES)[number];
    dueHours: number;
    closedHours: number;
  } | null;
}

const itemArb: fc.Arbitrary<Item> = fc.record({
  status: fc.constantFrom(...STATUSES),
  target: fc.nat({ max: ORGS.length - 1 }),
  cb: fc.option(
    fc.record({
      owner: fc.nat({ max: ORGS.length - 1 }),
      state: fc.constantFrom(...CB_STATES),
      // From 40 days ago to 20 days ahead, so today, overdue, later and old all occur.
      dueHours: fc.integer({ min: -40 * 24, max: 20 * 24 }),
      closedHours: fc.integer({ min: -40 * 24, max: 0 }),
    }),
    { nil: null },
  ),
});

forEachBackend('queue columns add up', (kind) => {
  let t: TestApp;
  let token = '';
  let author = '';
  beforeAll(async () => {
    t = await createTestApp(kind);
    author = await createUser(t, { username: 'bsup', role: 'supervisor', orgCode: 'bikom' });
    token = (await login(t, 'bsup')).accessToken;
  });
  afterAll(() => t?.close());

  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('counts every open item in exactly one column, for random ŞÖKs', async () => {
    const now = t.clock.now().getTime();
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 30 }), async (items) => {
        await t.backend.db.deleteFrom('sok').execute();
        const expected = new Map<string, number>();
        const add = (org: string) => expected.set(org, (expected.get(org) ?? 0) + 1);
        for (const item of items) {
          const target = ORGS[item.target]!;
          let cb: Callback | null = null;
          if (item.cb) {
            const state = item.cb.state;
            const closed = state === 'open' ? null : new Date(now + item.cb.closedHours * HOUR);
            cb = {
              ownerOrg: ORGS[item.cb.owner]!,
              state,
              origin: 'decision',
              createdAt: new Date(now - 41 * 24 * HOUR).toISOString(),
              dueAt: new Date(now + item.cb.dueHours * HOUR).toISOString(),
              closedAt: closed?.toISOString() ?? null,
              attempts: 0,
              lastAttemptAt: null,
              lastOutcome: null,
              claimedBy: null,
              claimedByName: null,
              claimUntil: null,
              escalation: 0,
            };
          }
          // What a person would count by hand.
          if (item.status === 'routed' || item.status === 'accepted') add(target);
          if (cb?.state === 'open') add(cb.ownerOrg);
          if (
            cb?.state === 'unreachable' &&
            Date.parse(cb.closedAt!) >= now - UNREACHABLE_QUEUE_DAYS * 24 * HOUR
          ) {
            add(cb.ownerOrg);
          }
          seq += 1;
          const created = new Date(now - 45 * 24 * HOUR).toISOString();
          const row: Record<keyof SokTable, unknown> = {
            id: randomUUID(),
            reg_no: `9100-${String(seq).padStart(6, '0')}`,
            type_code: 'sikayet',
            channel_code: 'telefon',
            topic_code: 'yol.cukur',
            district_code: 'nilufer',
            mahalle: 'Görükle',
            address: '',
            description: 'Rastgele ŞÖK',
            citizen_name: 'Ayşe Işık',
            citizen_phone: '+905321234567',
            status: item.status,
            origin_org: 'bikom',
            target_org: target,
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
            callback: cb ? JSON.stringify(cb) : null,
            callback_owner_org: cb?.ownerOrg ?? null,
            callback_state: cb?.state ?? null,
            callback_due_at: cb?.dueAt ?? null,
            callback_closed_at: cb?.closedAt ?? null,
            claimed_by: null,
            claim_until: null,
            escalation_level: cb ? 0 : null,
            anonymised_at: null,
            kvkk_notice_version: null,
            sms_consent_version: null,
            sms_consent_withdrawn_at: null,
          };
          await t.backend.db
            .insertInto('sok')
            .values(row as never)
            .execute();
        }
        const q = await get<QueuesResponse>('/supervisor/queues');
        for (const r of q.rows) {
          expect(QUEUE_COLUMNS.reduce((s, c) => s + r[c.field], 0)).toBe(r.total);
          expect(r.total, r.org).toBe(expected.get(r.org) ?? 0);
        }
        expect(q.rows.map((r) => r.org).sort()).toEqual([...expected.keys()].sort());
        const all = [...expected.values()].reduce((s, v) => s + v, 0);
        expect(q.totals.total).toBe(all);
        for (const c of QUEUE_COLUMNS) {
          expect(q.totals[c.field]).toBe(q.rows.reduce((s, r) => s + r[c.field], 0));
        }
        // Each count is the number of ŞÖKs its drill-down lists.
        const first = q.rows[0];
        if (first) {
          for (const c of QUEUE_COLUMNS) {
            const page = await get<QueueItemsResponse>(
              `/supervisor/queues/items?queue=${c.queue}&org=${first.org}&limit=1`,
            );
            expect(page.total, c.queue).toBe(first[c.field]);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
