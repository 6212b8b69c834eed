import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startSmsCapture, type SmsCapture } from '../../../test/support/sms-capture';
import { openServerDb, type ServerDb } from '../db/open';
import { withWriteLock } from '../db/write-lock';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import { forEachBackend } from '../../../test/support/backends';
import { parseNotificationConfig, type SmsConfig } from './config';
import { enqueueReceipts } from './enqueue';
import { HttpSmsSender } from './senders/sms';
import { claimDue, INTERRUPTED_FINAL_ERROR, recordOutcome, type NotificationRow } from './store';
import {
  createNotificationBackend,
  insertSok,
  manualClock,
  testWorker,
  type NotificationBackend,
} from '../../../test/support/notifications';

/** Polls `probe` until it returns a value (every 10 ms, at most `timeoutMs`). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

forEachBackend('notification worker', (kind) => {
  let b: NotificationBackend;
  let second: ServerDb;
  let capture: SmsCapture;
  beforeAll(async () => {
    b = await createNotificationBackend(kind);
    // PostgreSQL: a second connection pool, i.e. another server instance. SQLite runs in one
    // process with one connection (a second handle in the same process would busy-wait on the
    // file lock and block the event loop), so there the two workers share it.
    second = kind === 'postgres' ? await openServerDb(b.config) : b.db;
    capture = await startSmsCapture({ delayMs: 3 });
  });
  afterAll(async () => {
    await capture?.close();
    if (second !== b?.db) await second?.close();
    await b?.drop();
  });
  beforeEach(async () => {
    await b.db.deleteFrom('notification').execute();
    capture.requests.length = 0;
  });

  const sms = () =>
    new HttpSmsSender(
      parseNotificationConfig({ sms: { url: capture.url, sender: 'ALO 153' } }).sms as SmsConfig,
    );
  const enqueueMany = async (count: number, now: Date) => {
    for (let i = 0; i < count; i++) {
      const sok = await insertSok(b);
      await withWriteLock(b.db, (trx) => enqueueReceipts(trx, { sok, topicName: 'Yol', now }));
    }
  };
  const states = async () =>
    b.db.selectFrom('notification').select(['id', 'state', 'attempts']).execute();

  it('never lets two instances send the same notification (claim race)', async () => {
    const clock = manualClock();
    const workers = [b.db, second].map((db) =>
      testWorker({ db, clock: clock.now, policy: { batchSize: 3 }, senders: { sms: sms() } }),
    );
    // Warm up both (connections open) so neither starts late and the race is a real one.
    await Promise.all(workers.map((w) => w.runOnce()));
    await enqueueMany(40, clock.now());
    const results = await Promise.all(
      workers.map(async (w) => {
        let sent = 0;
        for (let pass = 0; pass < 10; pass++) sent += (await w.runOnce()).sent;
        return sent;
      }),
    );
    await Promise.all(workers.map((w) => w.stop()));

    expect(results.reduce((sum, n) => sum + n, 0)).toBe(40);
    // Both instances did take part in the race.
    expect(results.every((n) => n > 0)).toBe(true);
    const keys = capture.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    expect((await states()).every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('hands out disjoint rows to many concurrent claims', async () => {
    const clock = manualClock();
    await enqueueMany(35, clock.now());
    const options = { now: clock.now(), channels: ['sms'], claimTimeoutSeconds: 300 } as const;
    // A claim takes no more than its limit.
    expect(await claimDue(b.db, { ...options, limit: 5, token: 'first' })).toHaveLength(5);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        claimDue(i % 2 === 0 ? b.db : second, { ...options, limit: 5, token: `claim-${i}` }),
      ),
    );
    // 8 claims of 5 for the 30 rows left: each row once, and no claim over its limit.
    expect(claims.every((c) => c.length <= 5)).toBe(true);
    const ids = claims.flat().map((r) => r.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await states()).every((r) => r.state === 'sending' && r.attempts === 1)).toBe(true);
  });

  it('recovers a claim left in `sending` by a crashed instance, after the timeout', async () => {
    const clock = manualClock();
    await enqueueMany(1, clock.now());
    // The "crashed" instance: claimed the row, then never reported back.
    const [orphan] = await claimDue(second, {
      now: clock.now(),
      limit: 10,
      channels: ['sms'],
      claimTimeoutSeconds: 300,
      token: 'dead-instance',
    });
    const worker = testWorker({ db: b.db, clock: clock.now, senders: { sms: sms() } });
    clock.advance(299);
    expect(await worker.runOnce()).toMatchObject({ recovered: 0, sent: 0 });
    clock.advance(1);
    expect(await worker.runOnce()).toMatchObject({ recovered: 1, sent: 1 });
    await worker.stop();
    expect(await states()).toEqual([{ id: orphan?.id, state: 'sent', attempts: 2 }]);

    // Should the dead instance come back with a late result, it no longer counts.
    const late = await recordOutcome(
      second,
      orphan as NotificationRow,
      { kind: 'failed', error: 'late' },
      clock.now(),
    );
    expect(late).toBeNull();
    expect((await states())[0]?.state).toBe('sent');
  });

  it('fails a recovered claim that had used the last attempt', async () => {
    const clock = manualClock();
    await enqueueMany(1, clock.now());
    await claimDue(second, {
      now: clock.now(),
      limit: 1,
      channels: ['sms'],
      claimTimeoutSeconds: 60,
      token: 'dead-instance',
    });
    clock.advance(60);
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      policy: { maxAttempts: 1 },
      senders: { sms: sms() },
    });
    expect(await worker.runOnce()).toMatchObject({ recovered: 1, sent: 0 });
    await worker.stop();
    const rows = await b.db.selectFrom('notification').selectAll().execute();
    expect(rows[0]).toMatchObject({ state: 'failed', last_error: INTERRUPTED_FINAL_ERROR });
    expect(capture.requests).toHaveLength(0);
  });

  it('wakes when nudged or told of a change, publishes what it sent, and stops', async () => {
    const notifier = new InProcessChangeNotifier();
    const published: number[] = [];
    notifier.subscribe((seq) => published.push(seq));
    const worker = testWorker({
      db: b.db,
      notifier,
      policy: { pollIntervalSeconds: 3600 },
      senders: { sms: sms() },
    });
    worker.start();
    try {
      await enqueueMany(1, new Date());
      worker.enqueued();
      await capture.waitForRequests(1, 5000);

      // Another instance's push: only the change notification reaches this worker.
      const sok = await insertSok(b);
      const { lastSeq } = await withWriteLock(b.db, (trx) =>
        enqueueReceipts(trx, { sok, topicName: 'Yol', now: new Date() }),
      );
      await notifier.publish(lastSeq);
      await capture.waitForRequests(2, 5000);
      const sent = await eventually(async () => {
        const row = await b.db
          .selectFrom('notification')
          .select(['state', 'change_seq'])
          .where('sok_id', '=', sok.id)
          .executeTakeFirstOrThrow();
        return row.state === 'sent' && published.includes(row.change_seq) ? row : undefined;
      });
      expect(sent.change_seq).toBeGreaterThan(lastSeq);
    } finally {
      await worker.stop();
    }
    // Stopped: a nudge does nothing any more.
    await enqueueMany(1, new Date());
    worker.enqueued();
    await notifier.publish(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(capture.requests).toHaveLength(2);
  });
});
