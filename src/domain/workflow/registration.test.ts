import { describe, expect, it } from 'vitest';
import type { RoutingRule } from '../routing';
import { refusalText } from './refusal';
import { register, type RegisterContext, type RegisterInput } from './registration';
import type { Actor } from './state';

/** Registration: the one rule for who may register, which codes exist and where a ŞÖK goes. */

const agent: Actor = {
  userId: 'u1',
  displayName: 'Ajan Bir',
  orgCode: 'bikom',
  orgKind: 'call-centre',
  role: 'agent',
};
const known = new Set(['sikayet', 'telefon', 'cop', 'yildirim', 'bikom', 'ilce.yildirim', 'fen']);
const rules: RoutingRule[] = [
  {
    id: 'r-cop',
    topic: 'cop',
    district: null,
    place: null,
    target: 'ilce.yildirim',
    priority: 100,
    note: '',
  },
];
const ctx = (over: Partial<RegisterContext> = {}): RegisterContext => ({
  actor: agent,
  knows: {
    type: (c) => known.has(c),
    channel: (c) => known.has(c),
    topic: (c) => known.has(c),
    district: (c) => known.has(c),
    org: (c) => known.has(c),
  },
  rules,
  routing: { districtOrg: new Map(), topicParent: new Map([['cop', null]]) },
  orgName: (c) => c,
  ...over,
});
const input: RegisterInput = {
  typeCode: 'sikayet',
  channelCode: 'telefon',
  topicCode: 'cop',
  districtCode: 'yildirim',
  mahalle: '',
  address: '',
  targetOrg: null,
  routeRuleId: null,
  routeReason: '',
  kvkkNoticeGiven: true,
};

describe('registering a ŞÖK', () => {
  it('follows the rules’ suggestion without a reason', () => {
    const r = register(input, ctx());
    expect(r).toMatchObject({
      ok: true,
      state: {
        status: 'routed',
        targetOrg: 'ilce.yildirim',
        routeRuleId: 'r-cop',
        routeReason: '',
      },
    });
    if (r.ok) expect(r.events('0001-0001').map((e) => e.kind)).toEqual(['registered', 'routed']);
  });

  it('needs a reason to go elsewhere, and keeps it', () => {
    expect(register({ ...input, targetOrg: 'fen' }, ctx())).toMatchObject({
      ok: false,
      code: 'validation',
      fields: { routeReason: expect.any(String) },
    });
    expect(
      register({ ...input, targetOrg: 'fen', routeReason: 'Ana yol üzerinde' }, ctx()),
    ).toMatchObject({ ok: true, state: { targetOrg: 'fen', routeRuleId: null } });
  });

  it('needs a reason when no rule matches and nobody chose a target (desk and server agree)', () => {
    const refused = register(input, ctx({ rules: [] }));
    expect(refused.ok || refusalText(refused)).toMatchObject({
      fields: { routeReason: expect.stringContaining('nedenini yazın') },
    });
  });

  it('names every unknown code with one message per field', () => {
    const refused = register({ ...input, topicCode: 'yok', targetOrg: 'yok' }, ctx());
    expect(refused.ok || refusalText(refused)).toEqual({
      code: 'validation',
      message: 'Girilen bilgiler geçersiz.',
      fields: { topicCode: 'Seçilen konu bulunamadı.', targetOrg: 'Seçilen kurum bulunamadı.' },
    });
  });

  it('is refused to administrators', () => {
    expect(register(input, ctx({ actor: { ...agent, role: 'admin' } }))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });
});
