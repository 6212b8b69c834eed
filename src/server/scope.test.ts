import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganisationKind } from '../domain/reference';
import { insertUser } from './auth/users';
import { ROLES, type Role } from './db/schema';
import { readReferenceFile, seedReferenceData } from './reference-seed';
import { canSee, visibilityFor, visibilityRule, type ScopeUser } from './scope';
import { createTestBackend, forEachBackend, type TestBackend } from '../../test/support/backends';

/** Two organisations of every kind (BİKOM is the only call centre). */
const ORGS = [
  'bikom',
  'ilce.nilufer',
  'ilce.osmangazi',
  'bb.fen-isleri',
  'bb.zabita',
  'buski',
  'burulas',
  'uedas',
  'cimer',
];

/** The rule, written out independently of scope.ts. */
function oracle(user: ScopeUser, sok: { origin: string; target: string | null }): boolean {
  if (user.orgKind === 'call-centre' && user.role !== 'desk') return true;
  return sok.origin === user.orgCode || sok.target === user.orgCode;
}

describe('visibility rule', () => {
  it('gives BİKOM agents, supervisors and admins everything, and nobody else', () => {
    for (const role of ROLES) {
      expect(visibilityRule({ role, orgCode: 'bikom', orgKind: 'call-centre' }).kind).toBe(
        role === 'desk' ? 'organisation' : 'all',
      );
    }
    const others: OrganisationKind[] = [
      'district-municipality',
      'metropolitan-unit',
      'municipal-company',
      'institution',
    ];
    for (const orgKind of others) {
      for (const role of ROLES) {
        expect(visibilityRule({ role, orgCode: 'x', orgKind })).toEqual({
          kind: 'organisation',
          orgCode: 'x',
        });
      }
    }
  });
});

forEachBackend('ŞÖK visibility matrix', (kind) => {
  let backend: TestBackend;
  const soks: { id: string; origin: string; target: string | null }[] = [];
  const kinds = new Map<string, OrganisationKind>();

  beforeAll(async () => {
    backend = await createTestBackend(kind);
    const db = backend.db;
    await seedReferenceData(db, readReferenceFile(backend.config.referenceFile));
    for (const o of await db.selectFrom('organisation').select(['code', 'kind']).execute()) {
      kinds.set(o.code, o.kind);
    }
    const creator = await insertUser(db, {
      username: 'olusturan',
      displayName: 'Oluşturan',
      passwordHash: 'x',
      role: 'agent',
      orgCode: 'bikom',
      now: '2026-01-01T00:00:00.000Z',
    });
    let seq = 0;
    for (const origin of ORGS) {
      for (const target of [null, ...ORGS]) {
        seq++;
        const id = randomUUID();
        soks.push({ id, origin, target });
        await db
          .insertInto('sok')
          .values({
            id,
            reg_no: `R${seq}`,
            type_code: 'sikayet',
            channel_code: 'telefon',
            topic_code: 'yol',
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
            deleted: seq % 7 === 0 ? 1 : 0,
          })
          .execute();
      }
    }
  });
  afterAll(async () => {
    await backend?.drop();
  });

  it('shows each role in each organisation exactly the ŞÖKs it may see: zero leaks', async () => {
    let cases = 0;
    let visibleTotal = 0;
    for (const orgCode of ORGS) {
      for (const role of ROLES) {
        const user: ScopeUser = { role: role as Role, orgCode, orgKind: kinds.get(orgCode)! };
        const rows = await backend.db
          .selectFrom('sok')
          .select('id')
          .where(visibilityFor(user))
          .execute();
        const got = new Set(rows.map((r) => r.id));
        const expected = new Set(soks.filter((s) => oracle(user, s)).map((s) => s.id));
        const leaks = [...got].filter((id) => !expected.has(id));
        const missing = [...expected].filter((id) => !got.has(id));
        expect({ user, leaks, missing }).toEqual({ user, leaks: [], missing: [] });
        for (const s of soks) {
          expect(canSee(user, { origin_org: s.origin, target_org: s.target })).toBe(got.has(s.id));
        }
        cases++;
        visibleTotal += got.size;
      }
    }
    expect(cases).toBe(ORGS.length * ROLES.length);
    // Sanity: the matrix is neither all-visible nor all-hidden.
    expect(visibleTotal).toBeGreaterThan(0);
    expect(visibleTotal).toBeLessThan(cases * soks.length);
  });

  it('sees 18 of 90 ŞÖKs as a district desk: those it sent or was sent', async () => {
    const user: ScopeUser = {
      role: 'desk',
      orgCode: 'ilce.nilufer',
      orgKind: 'district-municipality',
    };
    const rows = await backend.db
      .selectFrom('sok')
      .select(['origin_org', 'target_org'])
      .where(visibilityFor(user))
      .execute();
    // 10 with origin ilce.nilufer (any target, null included) + 8 sent to it by the others.
    expect(rows).toHaveLength(18);
    expect(
      rows.every((r) => r.origin_org === 'ilce.nilufer' || r.target_org === 'ilce.nilufer'),
    ).toBe(true);
  });

  it('combines with joins and other conditions', async () => {
    const user: ScopeUser = { role: 'agent', orgCode: 'buski', orgKind: 'municipal-company' };
    const rows = await backend.db
      .selectFrom('sok')
      .innerJoin('organisation', 'organisation.code', 'sok.origin_org')
      .select(['sok.id', 'organisation.kind'])
      .where(visibilityFor(user))
      .where('organisation.kind', '=', 'district-municipality')
      .where('sok.deleted', '=', 0)
      .execute();
    const expected = soks.filter(
      (s) =>
        s.origin.startsWith('ilce.') &&
        s.target === 'buski' &&
        kinds.get(s.origin) === 'district-municipality',
    );
    const deletedIds = new Set(
      (await backend.db.selectFrom('sok').select('id').where('deleted', '=', 1).execute()).map(
        (r) => r.id,
      ),
    );
    expect(rows.map((r) => r.id).sort()).toEqual(
      expected
        .map((s) => s.id)
        .filter((id) => !deletedIds.has(id))
        .sort(),
    );
  });
});
