import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Mutation, PullResponse, PushResponse } from '../../domain/sync';
import type { AuthUser } from '../auth/context';
import { findUserByUsername, toAuthUser } from '../auth/users';
import { visibilityRule } from '../scope';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { maskPersonalData } from './privacy-filter';
import { pullBody, serialisePullPage } from './pull-body';
import { readPullPage } from './pull-query';
import { scopeFingerprint } from './routes';

describe('serialised pull page', () => {
  it('is byte for byte JSON.stringify of the answer, whatever the strings hold', () => {
    const awkward = [
      '',
      '"',
      '\\',
      '\u2028\u2029',
      'Işık Çağlar – ğüşöç İ',
      '\u0000\u001f',
      '😀',
      '\ud800',
    ];
    const changes: Change[] = awkward.map((s, i) => ({ seq: i + 1, op: 'remove', id: s }));
    const pages: [{ head: number; changes: Change[]; cursor: number; more: boolean }, string][] = [
      [{ head: 9, changes, cursor: 8, more: true }, 'all:u-1'],
      [{ head: 3, changes: [], cursor: 3, more: false }, `org:ilce.nilüfer:"${awkward.join('')}`],
    ];
    for (const [page, scope] of pages) {
      const body = pullBody(serialisePullPage(page), scope);
      const answer: PullResponse = {
        changes: page.changes,
        cursor: page.cursor,
        more: page.more,
        scope,
      };
      expect(body.bytes.toString('utf8')).toBe(JSON.stringify(answer));
      expect(body.bytes.equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
    }
  });
});

/**
 * What GET /sync/pull sends (serialised once per page and organisation, from the page cache) is
 * exactly what it sent before: JSON.stringify of the page read for the user, masked for the
 * user's organisation (ŞÖKs, contact events, receipts), with the user's scope.
 */
forEachBackend('pull answer as sent', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const users: Record<string, AuthUser> = {};
  let mutationId = 0;

  beforeEach(async () => {
    t = await createTestApp(kind, { workflow: { minAttemptIntervalMinutes: 0 } });
    // A second call centre: its agents see every ŞÖK, like BİKOM's, but BİKOM's citizens masked.
    await t.backend.db
      .insertInto('organisation')
      .values({
        code: 'cagri.iki',
        name: 'İkinci Çağrı Merkezi',
        short_name: 'Çağrı 2',
        kind: 'call-centre',
        district_code: null,
        public_phone: null,
        email: null,
      })
      .execute();
    for (const [username, role, orgCode] of [
      ['cagri', 'agent', 'cagri.iki'],
      ['ajan', 'agent', 'bikom'],
      ['ajan2', 'agent', 'bikom'],
      ['bsup', 'supervisor', 'bikom'],
      ['fen', 'desk', 'bb.fen-isleri'],
      ['nilufer', 'desk', 'ilce.nilufer'],
      ['yildirim', 'desk', 'ilce.yildirim'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
      const row = await findUserByUsername(t.backend.db, username);
      users[username] = toAuthUser(row!);
    }
  });
  afterEach(() => t.close());

  const applied = async (user: string, kind_: Mutation['kind'], payload: unknown) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens[user]!),
      payload: { mutations: [{ id: ++mutationId, kind: kind_, payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PushResponse>().results[0]).toMatchObject({ status: 'applied' });
  };
  const register = async (by: string, overrides: Record<string, unknown>) => {
    const id = randomUUID();
    await applied(by, 'sok.create', {
      id,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: 'Çınar Sokak',
      description: 'Sokakta derin bir "çukur" var.\n',
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      citizenEmail: 'ayse.isik@example.com',
      registeredAt: t.clock.now().toISOString(),
      ...overrides,
    });
    return id;
  };

  /** The answer as the route made it before it was serialised once per page. */
  const expected = async (user: string, cursor: number, limit: number) => {
    const u = users[user]!;
    const page = await readPullPage(t.backend.db, visibilityRule(u), u, cursor, limit);
    const answer: PullResponse = {
      changes: await maskPersonalData(t.backend.db, u.orgCode, page.changes),
      cursor: page.cursor,
      more: page.more,
      scope: scopeFingerprint({ user: u, sessionId: '', clientId: '' }),
    };
    return JSON.stringify(answer);
  };
  const sent = async (user: string, cursor: number, limit: number) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/sync/pull?cursor=${cursor}&limit=${limit}`,
      headers: bearer(tokens[user]!),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    return res.body;
  };

  it('sends what JSON.stringify of the masked page gives, per reader, cached or not', async () => {
    // Taken by a district for the metropolitan unit: masked for BİKOM, with a contact event
    // and the citizen's receipt (masked for BİKOM too).
    const toUnit = await register('nilufer', {
      districtCode: 'nilufer',
      mahalle: 'Beşevler',
      address: 'İzmir Yolu Bulvarı',
      targetOrg: 'bb.fen-isleri',
      routeReason: 'Bulvar üzerinde, Büyükşehir’in yolu.',
    });
    await applied('nilufer', 'sok.addContact', {
      sokId: toUnit,
      citizenName: 'Mehmet Kaya',
      citizenPhone: '+905339998877',
      note: 'Aynı çukur',
    });
    await applied('fen', 'sok.decide', {
      sokId: toUnit,
      kind: 'will-do',
      plannedDate: '2026-03-20',
      explanation: 'Ekip yönlendirildi.',
    });
    // Taken by BİKOM for a district.
    await register('ajan', { targetOrg: 'ilce.yildirim', routeReason: 'İlçe yolu.' });

    const masked = JSON.parse(await sent('ajan', 0, 1000)) as PullResponse;
    expect(masked.changes.some((c) => c.op === 'upsert' && c.sok.contactMasked)).toBe(true);
    expect(masked.changes.some((c) => c.op === 'upsert' && c.sok.decision !== null)).toBe(true);
    expect(masked.changes.some((c) => c.op === 'event' && c.event.kind === 'contact')).toBe(true);

    // Same page key but for the organisation: BİKOM's own ŞÖK is masked for the other centre.
    const other = JSON.parse(await sent('cagri', 0, 1000)) as PullResponse;
    expect(other.changes.filter((c) => c.op === 'upsert' && !c.sok.contactMasked)).toEqual([]);

    for (const user of ['ajan', 'ajan2', 'bsup', 'cagri', 'fen', 'nilufer', 'yildirim']) {
      for (const [cursor, limit] of [
        [0, 1000],
        [0, 2],
        [2, 3],
      ] as const) {
        const want = await expected(user, cursor, limit);
        // The first ask reads the page, the second one is answered from the cache.
        expect(await sent(user, cursor, limit), `${user} ${cursor} ${limit}`).toBe(want);
        expect(await sent(user, cursor, limit), `${user} ${cursor} ${limit} again`).toBe(want);
      }
    }
  });
});
