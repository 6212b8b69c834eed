import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineConfig, lineFigures, type LineCallerState } from './call-queue';
import {
  figuresAddUp,
  lineLiveRow,
  liveCallers,
  sumLineFigures,
  toLineCall,
  type LineCallerRow,
} from './line-console';

const line = lineConfig({ number: '153', orgCode: 'bikom' });
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const row = (
  arrived: number,
  state: LineCallerState,
  answered: number | null = null,
  ended: number | null = null,
  number = '05321234567',
): LineCallerRow => ({
  number,
  state,
  arrivedAt: at(arrived),
  answeredAt: answered === null ? null : at(answered),
  endedAt: ended === null ? null : at(ended),
});

describe('the callers on the line now', () => {
  it('numbers the waiting in arrival order, the one ringing at an agent has no place', () => {
    const callers = liveCallers(
      [
        row(0, 'offered', null, null, '05321110001'),
        row(10, 'waiting', null, null, '05321110002'),
        row(25, 'answered', 30),
        row(40, 'waiting', null, null, '+905321110003'),
      ],
      at(100),
    );
    expect(callers).toEqual([
      {
        position: 0,
        number: '+90 532 *** ** 01',
        state: 'offered',
        arrivedAt: at(0),
        waitSeconds: 100,
      },
      {
        position: 1,
        number: '+90 532 *** ** 02',
        state: 'waiting',
        arrivedAt: at(10),
        waitSeconds: 90,
      },
      {
        position: 2,
        number: '+90 532 *** ** 03',
        state: 'waiting',
        arrivedAt: at(40),
        waitSeconds: 60,
      },
    ]);
  });

  it('never shows a caller’s full number', () => {
    for (const c of liveCallers([row(0, 'waiting', null, null, '05329876543')], at(1))) {
      expect(c.number).not.toContain('9876543');
      expect(c.number).not.toContain('987');
    }
  });

  it('a line row: waiting and ringing counted apart, the longest wait of those on the line', () => {
    const onLine = [row(0, 'offered'), row(30, 'waiting'), row(50, 'waiting')];
    const today = [...onLine, row(-100, 'ended', -95, -10), row(-60, 'abandoned', null, -58)];
    const r = lineLiveRow(line, 'BİKOM', onLine, today, at(90));
    expect(r).toMatchObject({
      line: '153',
      orgName: 'BİKOM',
      serviceLevelSeconds: 20,
      waiting: 2,
      ringing: 1,
      longestWaitNowSeconds: 90,
    });
    expect(r.today).toMatchObject({ offered: 5, answered: 1, abandoned: 1, inProgress: 3 });
    expect(figuresAddUp(r.today)).toBe(true);
  });
});

describe('figures of several lines together', () => {
  it('recomputes the rates from the sums, not as an average of the lines’ rates', () => {
    // Line A: 1 of 1 answered within 20 s; line B: 1 of 3 decided within 20 s.
    const a = lineFigures([toLineCall(row(0, 'ended', 5, 60))], line, at(1000));
    const b = lineFigures(
      [
        toLineCall(row(0, 'ended', 10, 60)),
        toLineCall(row(0, 'ended', 60, 90)),
        toLineCall(row(0, 'abandoned', null, 40)),
      ],
      line,
      at(1000),
    );
    const total = sumLineFigures([a, b]);
    expect(total).toMatchObject({
      offered: 4,
      answered: 3,
      answeredWithinThreshold: 2,
      abandoned: 1,
      serviceLevel: 2 / 4,
      asaSeconds: (5 + 10 + 60) / 3,
      abandonmentRate: 1 / 4,
      longestWaitSeconds: 60,
    });
    expect(figuresAddUp(total)).toBe(true);
  });

  it('no lines, or no calls: counts 0 and no rates', () => {
    expect(sumLineFigures([])).toMatchObject({
      offered: 0,
      serviceLevel: null,
      asaSeconds: null,
      abandonmentRate: null,
      longestWaitSeconds: 0,
    });
  });

  const callArb = fc
    .record({
      arrived: fc.integer({ min: 0, max: 3600 }),
      state: fc.constantFrom<LineCallerState>(
        'waiting',
        'offered',
        'answered',
        'ended',
        'abandoned',
        'timed-out',
      ),
      wait: fc.integer({ min: 0, max: 400 }),
      talk: fc.integer({ min: 1, max: 600 }),
    })
    .map(({ arrived, state, wait, talk }) =>
      row(
        arrived,
        state,
        state === 'answered' || state === 'ended' ? arrived + wait : null,
        state === 'ended'
          ? arrived + wait + talk
          : state === 'abandoned' || state === 'timed-out'
            ? arrived + wait
            : null,
      ),
    );

  it('the total of the lines is the figures of all their calls, and both add up (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(callArb, { maxLength: 30 }), { maxLength: 5 }), (lines) => {
        const now = at(5000);
        const each = lines.map((calls) => lineFigures(calls.map(toLineCall), line, now));
        const total = sumLineFigures(each);
        const all = lineFigures(lines.flat().map(toLineCall), line, now);
        expect(figuresAddUp(total)).toBe(true);
        for (const f of each) expect(figuresAddUp(f)).toBe(true);
        expect({ ...total, asaSeconds: null }).toEqual({ ...all, asaSeconds: null });
        if (all.asaSeconds === null) expect(total.asaSeconds).toBeNull();
        else expect(total.asaSeconds).toBeCloseTo(all.asaSeconds, 9);
      }),
    );
  });

  it('notices figures that do not add up', () => {
    const f = lineFigures([toLineCall(row(0, 'waiting'))], line, at(10));
    expect(figuresAddUp(f)).toBe(true);
    expect(figuresAddUp({ ...f, offered: f.offered + 1 })).toBe(false);
    expect(figuresAddUp({ ...f, answeredWithinThreshold: f.answered + 1 })).toBe(false);
  });
});
