import { describe, expect, it } from 'vitest';
import {
  checkOffsetMs,
  decideUpdate,
  nextCheckDelayMs,
  updateCheckHours,
  type UpdateSituation,
} from './update-policy';

const idle: UpdateSituation = { downloaded: '0.2.0', ringing: false, inCall: false, answer: null };

describe('installing a downloaded update', () => {
  it('does nothing until an update is downloaded', () => {
    expect(decideUpdate({ ...idle, downloaded: null })).toBe('nothing');
  });

  it('asks the agent when no call is on, and installs only when they agree', () => {
    expect(decideUpdate(idle)).toBe('ask-agent');
    expect(decideUpdate({ ...idle, answer: 'install-now' })).toBe('install-now');
  });

  it('never restarts during a call, even after the agent agreed', () => {
    expect(decideUpdate({ ...idle, ringing: true })).toBe('wait-for-call-end');
    expect(decideUpdate({ ...idle, inCall: true, answer: 'install-now' })).toBe(
      'wait-for-call-end',
    );
  });

  it('leaves it for the next start when the agent says later', () => {
    expect(decideUpdate({ ...idle, answer: 'later' })).toBe('install-at-quit');
  });
});

describe('when desks check', () => {
  it('checks soon after start, then every few hours, spread by installation', () => {
    const first = nextCheckDelayMs({ installId: 'pc-1', checksDone: 0 });
    expect(first).toBeGreaterThanOrEqual(60_000);
    expect(first).toBeLessThan(120_000);
    const later = nextCheckDelayMs({ installId: 'pc-1', checksDone: 1, everyHours: 4 });
    expect(later).toBeGreaterThanOrEqual(4 * 3_600_000);
    expect(later).toBeLessThan(4 * 3_600_000 + 30 * 60_000);
  });

  it('spreads a hundred desks over the half hour', () => {
    const offsets = new Set(
      Array.from({ length: 100 }, (_, i) => Math.floor(checkOffsetMs(`pc-${i}`) / 60_000)),
    );
    expect(offsets.size).toBeGreaterThan(20);
  });

  it('reads ALO153_UPDATE_CHECK_HOURS, 0 turning checks off, nonsense keeping the default', () => {
    expect(updateCheckHours(undefined)).toBe(4);
    expect(updateCheckHours('0')).toBe(0);
    expect(updateCheckHours('12')).toBe(12);
    expect(updateCheckHours('sık')).toBe(4);
  });
});
