import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler, type RunOutcome } from './scheduler';

const config = { auto: true, pollIntervalMs: 30_000, backoffMinMs: 1_000, backoffMaxMs: 8_000 };

/**
 * A scheduler whose runs answer with the given outcomes in turn (then `synced`), each run
 * resolved at once unless `hold` keeps it open until released.
 */
function rig(outcomes: RunOutcome[], options: { auto?: boolean; random?: number } = {}) {
  const answers = [...outcomes];
  let hold: (() => void) | null = null;
  let holding = false;
  const runs: number[] = [];
  let idle = 0;
  const scheduler = new SyncScheduler({
    run: async () => {
      runs.push(Date.now());
      if (holding) await new Promise<void>((resolve) => (hold = resolve));
      return answers.shift() ?? 'synced';
    },
    config: { ...config, auto: options.auto ?? true },
    onIdle: () => idle++,
    random: () => options.random ?? 0.5,
  });
  return {
    scheduler,
    runs,
    idle: () => idle,
    /** Runs started from now on stay open until `release`. */
    holdRuns: () => (holding = true),
    release: () => {
      holding = false;
      hold?.();
      hold = null;
    },
  };
}

/** Lets the scheduler's promises settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('sync scheduling and back-off', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a failed sync after a back-off instead of giving up', async () => {
    const { scheduler, runs } = rig(['failed']);
    scheduler.start();
    await settle();
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    await scheduler.stop();
  });

  it('waits longer after each failure, up to the maximum, and starts over after a success', async () => {
    const { scheduler, runs } = rig([...Array<RunOutcome>(5).fill('failed'), 'synced', 'failed']);
    scheduler.start();
    await settle();
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = runs.length;
      const at = Date.now();
      while (runs.length === before) await vi.advanceTimersByTimeAsync(100);
      gaps.push(Date.now() - at);
    }
    // 1 s, 2 s, 4 s, 8 s, then no longer than the maximum.
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    // That run succeeded; the next one fails, and backs off from 1 s again.
    scheduler.trigger();
    await settle();
    expect(runs).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(8);
    await scheduler.stop();
  });

  it('spreads retries around the back-off so desks do not return in lock-step', async () => {
    for (const [random, delay] of [
      [0, 750],
      [0.999, 1_249],
    ] as const) {
      const { scheduler, runs } = rig(['failed'], { random });
      scheduler.start();
      await settle();
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(runs).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toHaveLength(2);
      await scheduler.stop();
    }
  });

  it('syncs again after the poll interval when all went well', async () => {
    const { scheduler, runs } = rig([]);
    scheduler.start();
    await settle();
    await vi.advanceTimersByTimeAsync(config.pollIntervalMs - 1);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    await scheduler.stop();
  });

  it('a local change does not wait for the poll: it syncs at once', async () => {
    const { scheduler, runs } = rig([]);
    scheduler.start();
    await settle();
    scheduler.trigger();
    await settle();
    expect(runs).toHaveLength(2);
    await scheduler.stop();
  });

  it('never runs two syncs at once: changes made during a sync make exactly one more', async () => {
    const r = rig([]);
    r.holdRuns();
    r.scheduler.start();
    await settle();
    expect(r.scheduler.busy()).toBe(true);
    r.scheduler.trigger();
    r.scheduler.trigger();
    r.scheduler.trigger();
    await settle();
    expect(r.runs).toHaveLength(1);
    r.release();
    await settle();
    expect(r.runs).toHaveLength(2);
    expect(r.scheduler.busy()).toBe(false);
    await r.scheduler.stop();
  });

  it('indexing waits until the syncs queued one behind the other are all over', async () => {
    const r = rig([]);
    r.holdRuns();
    r.scheduler.start();
    await settle();
    r.scheduler.trigger();
    r.release();
    await settle();
    expect(r.runs).toHaveLength(2);
    expect(r.idle()).toBe(1);
    await r.scheduler.stop();
  });

  it('"sync now" returns once the sync in progress and the one asked for are done', async () => {
    const r = rig([]);
    r.holdRuns();
    r.scheduler.start();
    await settle();
    let done = false;
    void r.scheduler.syncNow().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    r.release();
    await settle();
    expect(r.runs).toHaveLength(2);
    expect(done).toBe(true);
    await r.scheduler.stop();
  });

  it('signed out, it does not retry by itself: the next sign-in triggers', async () => {
    const { scheduler, runs } = rig(['idle']);
    scheduler.start();
    await settle();
    await vi.advanceTimersByTimeAsync(10 * config.pollIntervalMs);
    expect(runs).toHaveLength(1);
    scheduler.trigger();
    await settle();
    expect(runs).toHaveLength(2);
    await scheduler.stop();
  });

  it('once stopped, nothing runs any more, and stopping waits for the sync in progress', async () => {
    const r = rig(['failed']);
    r.holdRuns();
    r.scheduler.start();
    await settle();
    let stopped = false;
    void r.scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    r.release();
    await settle();
    expect(stopped).toBe(true);
    r.scheduler.trigger();
    await vi.advanceTimersByTimeAsync(10 * config.backoffMaxMs);
    expect(r.runs).toHaveLength(1);
  });

  it('with automatic sync off, only "sync now" syncs, and a failure is not retried', async () => {
    const { scheduler, runs } = rig(['failed'], { auto: false });
    scheduler.start();
    scheduler.trigger();
    await settle();
    expect(runs).toHaveLength(0);
    await scheduler.syncNow();
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * config.backoffMaxMs);
    expect(runs).toHaveLength(1);
    await scheduler.stop();
  });
});
