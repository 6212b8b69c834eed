import { randomUUID } from 'node:crypto';
import { threadOfSok } from '../mailbox/thread';
import { systemClock, type Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { NotificationChannel } from '../db/schema';
import type { ChangeNotifier } from '../changefeed/notifier';
import { retryDelayMs } from './backoff';
import type { NotificationConfig } from './config';
import type { ChannelSender, SendResult } from './senders/types';
import {
  claimDue,
  markUnconfigured,
  nextDueAt,
  recordOutcome,
  recoverStaleClaims,
  type AttemptOutcome,
  type NotificationRow,
} from './store';

export type WorkerPolicy = Pick<
  NotificationConfig,
  'batchSize' | 'maxAttempts' | 'retryDelaysSeconds' | 'claimTimeoutSeconds' | 'pollIntervalSeconds'
>;

export type WorkerLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  details?: Record<string, unknown>,
) => void;

export interface NotificationWorkerOptions {
  db: ServerDb;
  /** A channel without a sender is "not configured": its rows wait, with a visible reason. */
  senders: Partial<Record<NotificationChannel, ChannelSender>>;
  policy: WorkerPolicy;
  clock?: Clock;
  /** For the backoff jitter; tests pass a constant. */
  random?: () => number;
  /**
   * Delivery-state changes are published here (clients pull them), and every change published
   * by anyone (e.g. a push that enqueued receipts, on any instance) wakes the worker.
   */
  notifier?: ChangeNotifier;
  log?: WorkerLog;
}

export interface PassStats {
  sent: number;
  retried: number;
  failed: number;
  recovered: number;
  /** Results not written because the claim had expired and been recovered meanwhile. */
  lost: number;
}

const CHANNELS: readonly NotificationChannel[] = ['sms', 'email'];
/** Most batches in one pass, so a large backlog does not starve the timer and stop(). */
const MAX_BATCHES_PER_PASS = 20;
/**
 * Wake-ups within this window are served by one pass: under a call centre's load every commit
 * wakes the worker, and a receipt a tenth of a second later is still at once to the citizen.
 */
const WAKE_COALESCE_MS = 100;

/**
 * Sends the outbox. Any number of server instances may run one against the same database:
 * rows are claimed atomically (claimDue), each attempt's result is written only while the claim
 * holds, and a claim left by a dead instance is recovered after `claimTimeoutSeconds`.
 *
 * Runs a pass when started, when nudged (`enqueued()`, or any change notification), and on a
 * timer: at the next due retry, at the latest every `pollIntervalSeconds`.
 */
export class NotificationWorker {
  readonly #db: ServerDb;
  readonly #senders: Partial<Record<NotificationChannel, ChannelSender>>;
  readonly #policy: WorkerPolicy;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #notifier: ChangeNotifier | undefined;
  readonly #log: WorkerLog;
  readonly #configured: NotificationChannel[];
  readonly #unconfigured: NotificationChannel[];

  #mutex: Promise<unknown> = Promise.resolve();
  #looping = false;
  #again = false;
  #stopped = false;
  #started = false;
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(options: NotificationWorkerOptions) {
    this.#db = options.db;
    this.#senders = options.senders;
    this.#policy = options.policy;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#notifier = options.notifier;
    this.#log = options.log ?? (() => undefined);
    this.#configured = CHANNELS.filter((c) => this.#senders[c] !== undefined);
    this.#unconfigured = CHANNELS.filter((c) => this.#senders[c] === undefined);
  }

  /** Starts the timer and the change subscription, and runs a first pass. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#unsubscribe = this.#notifier?.subscribe(() => this.enqueued()) ?? null;
    for (const channel of this.#unconfigured) {
      this.#log('warn', `${channel} notifications are not configured; they stay pending`);
    }
    this.#schedule(0);
  }

  /** Nudge: something was enqueued (or may have become due). */
  enqueued(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#looping) this.#again = true;
    else this.#schedule(WAKE_COALESCE_MS);
  }

  /** One pass now (tests; the running worker calls it too). Passes never overlap. */
  runOnce(): Promise<PassStats> {
    const pass = this.#mutex.then(() => this.#pass());
    this.#mutex = pass.catch(() => undefined);
    return pass;
  }

  /** Stops waking up, waits for the pass in progress, closes the senders. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#mutex.then(() => undefined);
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#mutex;
    for (const sender of Object.values(this.#senders)) {
      await sender.close?.().catch(() => undefined);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#loop();
    }, delayMs);
    this.#timer.unref();
  }

  async #loop(): Promise<void> {
    if (this.#looping || this.#stopped) return;
    this.#looping = true;
    let delay: number;
    try {
      for (;;) {
        do {
          this.#again = false;
          await this.runOnce().catch((error: unknown) =>
            this.#log('error', 'notification pass failed', { err: error }),
          );
        } while (this.#again && !this.#stopped);
        delay = await this.#nextDelay();
        // A nudge that came while the next due time was read must not be lost.
        if (!this.#again || this.#stopped) break;
      }
    } finally {
      this.#looping = false;
    }
    this.#schedule(delay);
  }

  async #nextDelay(): Promise<number> {
    const pollMs = this.#policy.pollIntervalSeconds * 1000;
    let delay = pollMs;
    try {
      const due = await nextDueAt(this.#db, this.#configured);
      if (due !== null) delay = Math.min(pollMs, due.getTime() - this.#clock().getTime());
    } catch (error) {
      this.#log('warn', 'could not read the next due notification', { err: error });
    }
    return Math.max(delay, WAKE_COALESCE_MS);
  }

  async #pass(): Promise<PassStats> {
    const stats: PassStats = { sent: 0, retried: 0, failed: 0, recovered: 0, lost: 0 };
    const seqs: number[] = [];
    const p = this.#policy;

    const recovered = await recoverStaleClaims(this.#db, this.#clock(), p.maxAttempts);
    stats.recovered = recovered.length;
    seqs.push(...recovered);
    if (recovered.length > 0) {
      this.#log('warn', 'recovered interrupted notification claims', { count: recovered.length });
    }
    seqs.push(...(await markUnconfigured(this.#db, this.#unconfigured, this.#clock())));
    await this.#publish(seqs);

    for (let batch = 0; batch < MAX_BATCHES_PER_PASS && !this.#stopped; batch++) {
      const claimed = await claimDue(this.#db, {
        now: this.#clock(),
        limit: p.batchSize,
        channels: this.#configured,
        claimTimeoutSeconds: p.claimTimeoutSeconds,
        token: randomUUID(),
      });
      if (claimed.length === 0) break;
      const results = await Promise.all(claimed.map((row) => this.#attempt(row, stats)));
      await this.#publish(results.filter((s): s is number => s !== null));
      if (claimed.length < p.batchSize) break;
    }
    return stats;
  }

  async #attempt(row: NotificationRow, stats: PassStats): Promise<number | null> {
    const sender = this.#senders[row.channel];
    let result: SendResult;
    try {
      if (sender === undefined) throw new Error(`no ${row.channel} sender`);
      result = await sender.send({
        id: row.id,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        thread: row.channel === 'email' ? await threadOfSok(this.#db, row.sok_id) : null,
      });
    } catch (error) {
      result = {
        ok: false,
        permanent: false,
        error: `Beklenmeyen gönderim hatası: ${(error as Error).message}`,
      };
    }
    const now = this.#clock();
    const attempts = Number(row.attempts);
    let outcome: AttemptOutcome;
    if (result.ok) {
      outcome = { kind: 'sent', providerMessageId: result.providerMessageId };
    } else if (result.permanent) {
      outcome = { kind: 'failed', error: result.error };
    } else if (attempts >= this.#policy.maxAttempts) {
      outcome = {
        kind: 'failed',
        error: `${result.error} (${attempts} denemeden sonra vazgeçildi)`,
      };
    } else {
      const delay = retryDelayMs(attempts, this.#policy.retryDelaysSeconds, this.#random);
      outcome = {
        kind: 'retry',
        error: result.error,
        nextAttemptAt: new Date(now.getTime() + delay),
      };
    }
    const seq = await recordOutcome(this.#db, row, outcome, now);
    const details = { notificationId: row.id, sokId: row.sok_id, channel: row.channel, attempts };
    if (seq === null) {
      stats.lost += 1;
      this.#log('warn', 'notification claim expired before its result was written', details);
      return null;
    }
    if (outcome.kind === 'sent') stats.sent += 1;
    else if (outcome.kind === 'retry') {
      stats.retried += 1;
      this.#log('warn', 'notification attempt failed; will retry', {
        ...details,
        error: outcome.error,
      });
    } else {
      stats.failed += 1;
      this.#log('error', 'notification failed', { ...details, error: outcome.error });
    }
    return seq;
  }

  async #publish(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0 || this.#notifier === undefined) return;
    await this.#notifier
      .publish(Math.max(...seqs))
      .catch((error: unknown) => this.#log('warn', 'publishing a change failed', { err: error }));
  }
}
