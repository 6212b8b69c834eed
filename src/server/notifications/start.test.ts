import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSmsCapture, type SmsCapture } from '../../../test/support/sms-capture';
import { withWriteLock } from '../db/write-lock';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import { forEachBackend } from '../../../test/support/backends';
import { parseNotificationConfig } from './config';
import { enqueueReceipts } from './enqueue';
import { startNotifications } from './index';
import {
  createNotificationBackend,
  insertSok,
  type NotificationBackend,
} from '../../../test/support/notifications';

forEachBackend('notifications at server start', (kind) => {
  let b: NotificationBackend;
  let capture: SmsCapture;
  beforeAll(async () => {
    [b, capture] = await Promise.all([createNotificationBackend(kind), startSmsCapture()]);
  });
  afterAll(async () => {
    await capture?.close();
    await b?.drop();
  });

  it('seed the templates, send what a push enqueues, and stop on close', async () => {
    await b.db.deleteFrom('notification_template').execute();
    const notifier = new InProcessChangeNotifier();
    const running = await startNotifications({
      db: b.db,
      notifier,
      config: parseNotificationConfig({ sms: { url: capture.url, sender: 'ALO 153' } }),
    });
    try {
      const seeded = await b.db.selectFrom('notification_template').select('code').execute();
      expect(seeded.map((r) => r.code).sort()).toEqual([
        'decision.email',
        'decision.sms',
        'escalation.email',
        'external-reminder.email',
        'external-request.email',
        'handoff.email',
        'receipt.email',
        'receipt.follow-up',
        'receipt.sms',
        'referral.email',
        'referral.sms',
      ]);
      const sok = await insertSok(b);
      // What the push route does after the ŞÖK (and its receipts) committed.
      const { lastSeq } = await withWriteLock(b.db, (trx) =>
        enqueueReceipts(trx, { sok, topicName: 'Yol', now: new Date() }),
      );
      await notifier.publish(lastSeq);
      const [request] = await capture.waitForRequests(1, 5000);
      expect(request?.fields.text).toContain(sok.regNo);
    } finally {
      await running.close();
    }
  });

  it('run no worker where it is switched off', async () => {
    const running = await startNotifications({
      db: b.db,
      notifier: new InProcessChangeNotifier(),
      config: parseNotificationConfig({ workerEnabled: false }),
    });
    expect(running.worker).toBeNull();
    await running.close();
  });
});
