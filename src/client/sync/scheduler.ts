import type { SyncConfig } from './config';

/**
 * How a sync run ended: `synced` polls again after `pollIntervalMs`; `failed` retries after a
 * back-off; `idle` (signed out, session ended) waits for the next trigger.
 */
export type RunOutcome = 'synced' | 'failed' | 'idle';

export interface SyncSchedulerDeps {
  /** One sync run; the scheduler never runs two at a time. */
  run: () => Promise<RunOutcome>;
  config: Pick<SyncConfig, 'auto' | 'pollIntervalMs' | 'backoffMinMs' | 'backoffMaxMs'>;
  /** Called when a run ends and no other is queued behind it. */
  onIdle?: () => void;
  /** Source of the back-off's jitter, in [0, 1); tests fix it. */
  random?: () => number;
}

/**
 * When the sync runs: one run at a time; triggers that arrive during a run schedule one more
 * run; a successful run polls again later, a failed one backs off exponentially (with jitter)
 * and retries. Nothing is ever dropped: a failed run's work is the next run's.
 */
export class SyncScheduler {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private backoff = 0;
  private stopped = true;

  constructor(private readonly deps: SyncSchedulerDeps) {}

  /** Whether the scheduler is stopped (before `start`, after `stop`). */
  isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a run is in progress. */
  busy(): boolean {
    return this.running !== null;
  }

  start(): void {
    this.stopped = false;
    this.trigger();
  }

  /** Stops scheduling at once, then waits for the run in progress (if any) to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Ask for a run as soon as possible (after a local change, a poke, a sign-in). */
  trigger(): void {
    if (!this.stopped && this.deps.config.auto) this.kick();
  }

  /** Runs now (or right after the current run) and waits for it. */
  async syncNow(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Triggers a run after `ms` (replacing any run already scheduled). */
  schedule(ms: number): void {
    if (this.stopped || !this.deps.config.auto) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.trigger(), ms);
    this.timer.unref();
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.runOnce().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.deps.onIdle?.();
      }
    });
  }

  private async runOnce(): Promise<void> {
    const { config } = this.deps;
    const outcome = await this.deps.run();
    if (outcome === 'synced') {
      this.backoff = 0;
      this.schedule(config.pollIntervalMs);
    } else if (outcome === 'failed') {
      this.backoff = Math.min(config.backoffMaxMs, Math.max(config.backoffMinMs, this.backoff * 2));
      // Jitter keeps 200 desks from returning in lock-step after an outage.
      const random = this.deps.random ?? Math.random;
      this.schedule(this.backoff * (0.75 + random() * 0.5));
    }
  }
}
