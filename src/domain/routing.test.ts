import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReferenceDataSchema } from './reference';
import {
  RoutingRulesFileSchema,
  ruleProblems,
  suggestRoute,
  type RoutingContext,
  type RoutingRule,
} from './routing';

const root = path.resolve(__dirname, '../..');
const reference = ReferenceDataSchema.parse(
  JSON.parse(fs.readFileSync(path.join(root, 'resources/reference/bursa.json'), 'utf8')),
);
const bursa = RoutingRulesFileSchema.parse(
  JSON.parse(fs.readFileSync(path.join(root, 'resources/routing/bursa.json'), 'utf8')),
).rules;
const ctx: RoutingContext = {
  districtOrg: new Map(
    reference.organisations.flatMap((o) =>
      o.districtCode ? [[o.districtCode, o.code] as const] : [],
    ),
  ),
  topicParent: new Map(reference.topics.map((t) => [t.code, t.parentCode])),
};
const at = (topicCode: string, districtCode: string, address = '', mahalle = '') => ({
  topicCode,
  districtCode,
  address,
  mahalle,
});

describe('the shipped Bursa routing rules', () => {
  it('are consistent with the reference data', () => {
    expect(
      ruleProblems(bursa, {
        orgs: new Set(reference.organisations.map((o) => o.code)),
        topics: new Set(reference.topics.map((t) => t.code)),
        districts: new Set(reference.districts.map((d) => d.code)),
      }),
    ).toEqual([]);
  });

  it('send uncollected rubbish to the district municipality of the place', () => {
    expect(suggestRoute(bursa, at('temizlik.cop-toplanmadi', 'yildirim'), ctx)?.targetOrg).toBe(
      'ilce.yildirim',
    );
    expect(suggestRoute(bursa, at('temizlik.cop-toplanmadi', 'inegol'), ctx)?.targetOrg).toBe(
      'ilce.inegol',
    );
  });

  it('send a pothole on a boulevard to the metropolitan roads unit, in a street to the district', () => {
    expect(
      suggestRoute(
        bursa,
        at('yol.cukur', 'nilufer', 'İzmir Yolu, Fatih Sultan Mehmet BULVARI'),
        ctx,
      )?.targetOrg,
    ).toBe('bb.fen-isleri');
    expect(suggestRoute(bursa, at('yol.cukur', 'nilufer', 'Lale Sokak No 3'), ctx)?.targetOrg).toBe(
      'ilce.nilufer',
    );
  });

  it('refer water, electricity and gas to the bodies responsible, whatever the district', () => {
    const water = bursa.length && reference.topics.find((t) => t.parentCode === 'su')?.code;
    expect(suggestRoute(bursa, at(String(water), 'gemlik'), ctx)?.targetOrg).toBe('buski');
    const power = reference.topics.find((t) => t.parentCode === 'elektrik')?.code;
    expect(suggestRoute(bursa, at(String(power), 'keles'), ctx)?.targetOrg).toBe('uedas');
    const gas = reference.topics.find((t) => t.parentCode === 'dogalgaz')?.code;
    expect(suggestRoute(bursa, at(String(gas), 'mudanya'), ctx)?.targetOrg).toBe('bursagaz');
  });

  it('explain the suggestion to the agent', () => {
    expect(
      suggestRoute(bursa, at('temizlik.cop-toplanmadi', 'yildirim'), ctx)?.explanation,
    ).toContain('temizlik-ilce');
  });
});

describe('suggestRoute', () => {
  const rules: RoutingRule[] = [
    {
      id: 'any',
      topic: '*',
      district: null,
      place: null,
      target: 'bikom',
      priority: 900,
      note: '',
    },
    {
      id: 'root',
      topic: 'yol',
      district: null,
      place: null,
      target: '@ilce',
      priority: 100,
      note: '',
    },
    {
      id: 'leaf',
      topic: 'yol.cukur',
      district: null,
      place: null,
      target: 'bb.fen-isleri',
      priority: 100,
      note: '',
    },
    {
      id: 'district',
      topic: 'yol',
      district: 'keles',
      place: null,
      target: 'kgm-14-bolge',
      priority: 100,
      note: '',
    },
    {
      id: 'low',
      topic: 'yol.kaldirim',
      district: null,
      place: null,
      target: 'a',
      priority: 50,
      note: '',
    },
    {
      id: 'high',
      topic: 'yol.kaldirim',
      district: null,
      place: null,
      target: 'b',
      priority: 10,
      note: '',
    },
  ];

  it('prefers place over district over a leaf topic over a root topic over anything', () => {
    expect(suggestRoute(rules, at('yol.cukur', 'gemlik'), ctx)?.ruleId).toBe('leaf');
    expect(suggestRoute(rules, at('yol.cukur', 'keles'), ctx)?.ruleId).toBe('district');
    expect(suggestRoute(rules, at('yol.kar-buz', 'gemlik'), ctx)?.ruleId).toBe('root');
    expect(suggestRoute(rules, at('park.bakim', 'gemlik'), ctx)?.ruleId).toBe('any');
  });

  it('breaks ties by priority', () => {
    expect(suggestRoute(rules, at('yol.kaldirim', 'gemlik'), ctx)?.targetOrg).toBe('b');
  });

  it('matches place words with Turkish folding', () => {
    const placed: RoutingRule[] = [
      ...rules,
      {
        id: 'square',
        topic: 'yol',
        district: null,
        place: ['meydanı'],
        target: 'bb.fen-isleri',
        priority: 100,
        note: '',
      },
    ];
    expect(
      suggestRoute(placed, at('yol.kar-buz', 'osmangazi', '', 'KENT MEYDANI'), ctx)?.ruleId,
    ).toBe('square');
  });

  it('skips a district rule whose district has no municipality and falls back', () => {
    const broken: RoutingRule[] = [
      {
        id: 'any',
        topic: '*',
        district: null,
        place: null,
        target: 'bikom',
        priority: 900,
        note: '',
      },
      {
        id: 'root',
        topic: 'yol',
        district: null,
        place: null,
        target: '@ilce',
        priority: 100,
        note: '',
      },
    ];
    expect(suggestRoute(broken, at('yol.cukur', 'atlantis'), ctx)?.targetOrg).toBe('bikom');
  });

  it('reports rule sets that would leave a ŞÖK nowhere or point at unknown bodies', () => {
    const problems = ruleProblems(
      [
        {
          id: 'x',
          topic: 'yok',
          district: 'atlantis',
          place: null,
          target: 'kimse',
          priority: 1,
          note: '',
        },
      ],
      { orgs: new Set(['bikom']), topics: new Set(['yol']), districts: new Set(['nilufer']) },
    );
    expect(problems).toHaveLength(4);
  });
});
