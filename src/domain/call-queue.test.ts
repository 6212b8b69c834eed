import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseAgent,
  rankAgents,
  lineConfig,
  lineFigures,
  maskCallerNumber,
  skipReason,
  type LineAgent,
  type LineCall,
} from './call-queue';

const line = lineConfig({ number: '153', orgCode: 'bikom' });
const agent = (userId: string, overrides: Partial<LineAgent> = {}): LineAgent => ({
  userId,
  orgCode: 'bikom',
  state: 'available',
  extension: userId.replace(/\D/g, '') || '1000',
  busy: false,
  idleSince: '2026-03-02T09:00:00.000Z',
  skills: [],
  ...overrides,
});

describe('line configuration', () => {
  it('defaults: 15 s ring, 300 s wait, 20 s service level, 5 s short abandon, no skills', () => {
    expect(line).toEqual({
      number: '153',
      orgCode: 'bikom',
      ringTimeoutSeconds: 15,
      maxWaitSeconds: 300,
      serviceLevelSeconds: 20,
      shortAbandonSeconds: 5,
      skills: [],
    });
    expect(() => lineConfig({ number: '15a', orgCode: 'bikom' })).toThrow();
  });
});

describe('choosing the agent', () => {
  it('rings the agent idle longest', () => {
    const chosen = chooseAgent(
      [
        agent('a1001', { idleSince: '2026-03-02T09:05:00.000Z' }),
        agent('a1002', { idleSince: '2026-03-02T09:01:00.000Z' }),
        agent('a1003', { idleSince: '2026-03-02T09:03:00.000Z' }),
      ],
      line,
    );
    expect(chosen?.userId).toBe('a1002');
  });

  it('skips busy, on-break, wrap-up, do-not-disturb, offline, extension-less, other-organisation and already-offered agents', () => {
    const early = '2026-03-02T08:00:00.000Z';
    const skipped = [
      agent('a1', { busy: true, idleSince: early }),
      agent('a2', { state: 'break', idleSince: early }),
      agent('a3', { state: 'wrap-up', idleSince: early }),
      agent('a4', { state: 'dnd', idleSince: early }),
      agent('a5', { state: 'offline', idleSince: early }),
      agent('a6', { state: null, idleSince: early }),
      agent('a7', { extension: null, idleSince: early }),
      agent('a8', { orgCode: 'buski', idleSince: early }),
      agent('a9', { idleSince: early }),
    ];
    expect(skipped.map((a) => skipReason(a, line, new Set(['a9'])))).toEqual([
      'busy',
      'not-available',
      'not-available',
      'not-available',
      'not-available',
      'not-available',
      'no-extension',
      'other-organisation',
      'already-offered',
    ]);
    expect(chooseAgent(skipped, line, new Set(['a9']))).toBeNull();
    expect(chooseAgent([...skipped, agent('a1010')], line, new Set(['a9']))?.userId).toBe('a1010');
  });

  it('offers a line with skills only to agents who have them all', () => {
    const english = lineConfig({ number: '4441153', orgCode: 'bikom', skills: ['en'] });
    const agents = [
      agent('a1', { idleSince: '2026-03-02T08:00:00.000Z' }),
      agent('a2', { skills: ['en', 'ar'] }),
    ];
    expect(skipReason(agents[0]!, english, new Set())).toBe('missing-skill');
    expect(chooseAgent(agents, english)?.userId).toBe('a2');
    expect(chooseAgent(agents, line)?.userId).toBe('a1');
  });

  it('always picks an eligible agent no other eligible agent was idle longer than (property)', () => {
    const agentArb = fc.record({
      userId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      orgCode: fc.constantFrom('bikom', 'buski'),
      state: fc.constantFrom('available', 'break', 'wrap-up', 'dnd', 'offline', null),
      extension: fc.option(fc.constantFrom('1001', '1002'), { nil: null }),
      busy: fc.boolean(),
      idleSince: fc
        .integer({ min: 0, max: 3600 })
        .map((s) => new Date(Date.parse('2026-03-02T08:00:00.000Z') + s * 1000).toISOString()),
      skills: fc.constant([] as string[]),
    });
    fc.assert(
      fc.property(
        fc.array(
          agentArb.map((a): LineAgent => a),
          { maxLength: 8 },
        ),
        fc.subarray(['a', 'b', 'c']),
        (agents, offered) => {
          const already = new Set(offered);
          const chosen = chooseAgent(agents, line, already);
          const eligible = agents.filter((a) => skipReason(a, line, already) === null);
          if (chosen === null) return eligible.length === 0;
          return (
            eligible.includes(chosen) && eligible.every((a) => a.idleSince >= chosen.idleSince)
          );
        },
      ),
    );
  });
});

it('ranks every eligible agent longest idle first, the first being the chosen one', () => {
  const agents = [
    agent('a3', { idleSince: '2026-03-02T09:03:00.000Z' }),
    agent('a1', { idleSince: '2026-03-02T09:01:00.000Z' }),
    agent('a0', { state: 'break', idleSince: '2026-03-02T08:00:00.000Z' }),
    agent('a2', { idleSince: '2026-03-02T09:01:00.000Z' }),
  ];
  expect(rankAgents(agents, line).map((a) => a.userId)).toEqual(['a1', 'a2', 'a3']);
  expect(chooseAgent(agents, line)?.userId).toBe('a1');
});

describe('line figures', () => {
  const at = (s: number) =>
    new Date(Date.parse('2026-03-02T09:00:00.000Z') + s * 1000).toISOString();
  const answered = (arrive: number, answer: number): LineCall => ({
    arrivedAt: at(arrive),
    answeredAt: at(answer),
    endedAt: at(answer + 60),
    state: 'ended',
  });
  const gone = (
    arrive: number,
    end: number,
    state: 'abandoned' | 'timed-out' = 'abandoned',
  ): LineCall => ({
    arrivedAt: at(arrive),
    answeredAt: null,
    endedAt: at(end),
    state,
  });

  it('counts service level, ASA, abandonment (short abandons left out of the rates) and the longest wait', () => {
    const calls: LineCall[] = [
      answered(0, 5), // within 20 s
      answered(0, 20), // within (20 s is within)
      answered(0, 45), // late
      gone(10, 12), // short abandon (2 s)
      gone(10, 70), // abandoned after 60 s
      gone(0, 300, 'timed-out'),
      { arrivedAt: at(500), answeredAt: null, endedAt: null, state: 'waiting' },
    ];
    const f = lineFigures(calls, line, at(530));
    expect(f).toEqual({
      offered: 7,
      answered: 3,
      answeredWithinThreshold: 2,
      abandoned: 3,
      shortAbandoned: 1,
      timedOut: 1,
      inProgress: 1,
      serviceLevel: 2 / 5,
      asaSeconds: (5 + 20 + 45) / 3,
      abandonmentRate: 2 / 5,
      longestWaitSeconds: 300,
    });
  });

  it('has no rates before any call is decided', () => {
    const f = lineFigures([], line, at(0));
    expect(f).toMatchObject({
      offered: 0,
      serviceLevel: null,
      asaSeconds: null,
      abandonmentRate: null,
      longestWaitSeconds: 0,
    });
  });

  it('adds up: offered = answered + abandoned + in progress; rates within [0, 1] (property)', () => {
    const callArb = fc
      .tuple(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom('answered', 'abandoned', 'timed-out', 'waiting'),
      )
      .map(([a, d, kind]): LineCall =>
        kind === 'answered'
          ? answered(a, a + d)
          : kind === 'waiting'
            ? { arrivedAt: at(a), answeredAt: null, endedAt: null, state: 'waiting' }
            : gone(a, a + d, kind as 'abandoned' | 'timed-out'),
      );
    fc.assert(
      fc.property(fc.array(callArb, { maxLength: 30 }), (calls) => {
        const f = lineFigures(calls, line, at(1300));
        const rates = [f.serviceLevel, f.abandonmentRate].filter((r) => r !== null);
        return (
          f.offered === f.answered + f.abandoned + f.inProgress &&
          f.answeredWithinThreshold <= f.answered &&
          rates.every((r) => r >= 0 && r <= 1)
        );
      }),
    );
  });
});

it('masks the caller number for the live line', () => {
  expect(maskCallerNumber('05321234567')).toBe('+90 532 *** ** 67');
});
