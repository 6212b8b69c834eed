import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatRegNo } from '../../domain/regno';
import { ROLES, type Role } from '../../domain/session';
import type { PullResponse, PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';

/**
 * Authorisation matrix through the real HTTP API: every role in every kind of organisation,
 * against every sync and admin operation. Expected outcomes are written out here, independently
 * of src/server/scope.ts, so a change to the rule shows up as a failing cell.
 */
const ORGS = ['bikom', 'bb.fen-isleri', 'ilce.nilufer', 'ilce.gemlik', 'buski', 'uedas'] as const;

/** Who may see a ŞÖK, as the product owner wrote it. */
function maySee(role: Role, org: string, sok: { origin: string; target: string | null }): boolean {
  if (org === 'bikom' && role !== 'desk') return true;
  return sok.origin === org || sok.target === org;
}

forEachBackend('authorisation matrix', (kind) => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const soks: { id: string; origin: string; target: string | null }[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const org of ORGS) {
      for (const role of ROLES) {
        const username = `${role}.${org}`.replace(/[^a-z0-9._-]/g, '-');
        await createUser(t, { username, role, orgCode: org });
        tokens.set(`${role}|${org}`, (await login(t, username)).accessToken);
      }
    }
    const creator = await createUser(t, { username: 'kaynak', role: 'agent', orgCode: 'bikom' });
    let seq = 0;
    for (const origin of ORGS) {
      for (const target of [null, ...ORGS]) {
        seq++;
        const id = randomUUID();
        soks.push({ id, origin, target });
        await t.backend.db
          .insertInto('sok')
          .values({
            id,
            reg_no: formatRegNo(900_000 + seq),
            type_code: 'sikayet',
            channel_code: 'telefon',
            topic_code: 'yol.cukur',
            district_code: 'nilufer',
            mahalle: '',
            address: '',
            description: 'matris',
            citizen_name: 'Vatandaş',
            citizen_phone: '+905321234567',
            status: 'registered',
            origin_org: origin,
            target_org: target,
            created_by: creator,
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
            change_seq: seq,
          })
          .execute();
      }
    }
    await t.backend.db
      .updateTable('counter')
      .set({ value: seq })
      .where('name', '=', 'change')
      .execute();
  });
  afterAll(() => t.close());

  const cells = ORGS.flatMap((org) => ROLES.map((role) => ({ org, role })));

  it('pulls exactly the ŞÖKs each role in each organisation may see: zero leaks', async () => {
    for (const { org, role } of cells) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/sync/pull?cursor=0&limit=5000',
        headers: bearer(tokens.get(`${role}|${org}`) as string),
      });
      expect(res.statusCode).toBe(200);
      const got = res
        .json<PullResponse>()
        .changes.flatMap((c) => (c.op === 'upsert' ? [c.sok.id] : c.op === 'remove' ? [c.id] : []))
        .sort();
      const expected = soks
        .filter((s) => maySee(role, org, s))
        .map((s) => s.id)
        .sort();
      expect(got, `${role} @ ${org}`).toEqual(expected);
    }
  });

  it('lets only agents, desks and supervisors register ŞÖKs and lease numbers', async () => {
    for (const { org, role } of cells) {
      const headers = bearer(tokens.get(`${role}|${org}`) as string);
      const registering = role !== 'admin';
      const lease = await t.app.inject({
        method: 'POST',
        url: '/sync/number-blocks',
        headers,
        payload: {},
      });
      expect(lease.statusCode, `lease ${role} @ ${org}`).toBe(registering ? 200 : 403);
      const push = await t.app.inject({
        method: 'POST',
        url: '/sync/push',
        headers,
        payload: {
          mutations: [
            {
              id: 1,
              kind: 'sok.create',
              payload: {
                id: randomUUID(),
                regNo: null,
                typeCode: 'oneri',
                channelCode: 'telefon',
                topicCode: 'yol.cukur',
                districtCode: 'gemlik',
                mahalle: '',
                address: '',
                description: 'Matris denemesi için bir öneri.',
                citizenName: 'Ali Veli',
                citizenPhone: '+905321234567',
                registeredAt: '2026-03-02T08:00:00.000Z',
              },
            },
          ],
        },
      });
      expect(push.statusCode).toBe(200);
      const status = push.json<PushResponse>().results[0]?.status;
      expect(status, `push ${role} @ ${org}`).toBe(registering ? 'applied' : 'rejected');
    }
  });

  it('lets only admins manage users, each its own organisation’s', async () => {
    for (const { org, role } of cells) {
      const headers = bearer(tokens.get(`${role}|${org}`) as string);
      const list = await t.app.inject({ method: 'GET', url: '/admin/users', headers });
      expect(list.statusCode, `${role} @ ${org}`).toBe(role === 'admin' ? 200 : 403);
      const create = await t.app.inject({
        method: 'POST',
        url: '/admin/users',
        headers,
        payload: {
          username: `yeni-${role}-${org}`.replace(/[^a-z0-9._-]/g, '-'),
          displayName: 'Yeni Kişi',
          password: 'uzun-bir-parola-1',
          role: 'agent',
          orgCode: 'bikom',
        },
      });
      // Only the call centre's admins administer other organisations (admin/authority.ts).
      const mayCreate = role === 'admin' && org === 'bikom';
      expect(create.statusCode, `${role} @ ${org}`).toBe(mayCreate ? 201 : 403);
      const own = await t.app.inject({
        method: 'POST',
        url: '/admin/users',
        headers,
        payload: {
          username: `kendi-${role}-${org}`.replace(/[^a-z0-9._-]/g, '-'),
          displayName: 'Yeni Kişi',
          password: 'uzun-bir-parola-1',
          role: 'agent',
          orgCode: org,
        },
      });
      expect(own.statusCode, `${role} @ ${org}, own organisation`).toBe(
        role === 'admin' ? 201 : 403,
      );
    }
  });

  it('refuses every sync and admin operation without a valid token', async () => {
    for (const [method, url] of [
      ['GET', '/sync/pull?cursor=0'],
      ['POST', '/sync/push'],
      ['POST', '/sync/number-blocks'],
      ['GET', '/admin/users'],
      ['GET', '/sync/live'],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode, url).toBe(401);
      expect((await t.app.inject({ method, url, headers: bearer('bogus') })).statusCode, url).toBe(
        401,
      );
    }
  });
});
