import { systemClock, type Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { NotificationChannel } from '../db/schema';
import type { ChangeNotifier } from '../changefeed/notifier';
import type { NotificationConfig } from './config';
import { SmtpEmailSender } from './senders/email';
import { HttpSmsSender } from './senders/sms';
import type { ChannelSender } from './senders/types';
import { seedNotificationTemplates } from './templates';
import { NotificationWorker, type WorkerLog } from './worker';

export {
  NotificationConfigSchema,
  NOTIFICATION_ENV,
  notificationConfigFromEnv,
  parseNotificationConfig,
  type NotificationConfig,
  type NotificationConfigInput,
} from './config';
export { enqueueReceipts, type EnqueueResult, type ReceiptInput } from './enqueue';
export { registerNotificationRoutes } from './routes';
export {
  deliveryStateFor,
  receiptChangesSince,
  type ReceiptChange,
  type ReceiptWire,
} from './store';
export { seedNotificationTemplates } from './templates';
export { NotificationWorker, type PassStats, type WorkerLog } from './worker';

/** The channel adapters the config asks for; a channel left out is "not configured". */
export function createSenders(
  config: Pick<NotificationConfig, 'sms' | 'smtp'>,
): Partial<Record<NotificationChannel, ChannelSender>> {
  const senders: Partial<Record<NotificationChannel, ChannelSender>> = {};
  if (config.sms !== undefined) senders.sms = new HttpSmsSender(config.sms);
  if (config.smtp !== undefined) senders.email = new SmtpEmailSender(config.smtp);
  return senders;
}

/** The channels `createSenders` leaves out for this config (their receipts wait, visibly). */
export function unconfiguredChannels(
  config: Pick<NotificationConfig, 'sms' | 'smtp'>,
): NotificationChannel[] {
  return [
    ...(config.sms === undefined ? (['sms'] as const) : []),
    ...(config.smtp === undefined ? (['email'] as const) : []),
  ];
}

export interface RunningNotifications {
  /** Null when this instance does not run the worker (`workerEnabled: false`). */
  worker: NotificationWorker | null;
  close(): Promise<void>;
}

/**
 * What startServer does for notifications: seed the shipped templates (missing ones only) and
 * start the worker. `close()` stops it (waiting for attempts in flight) before the database and
 * the notifier close.
 */
export async function startNotifications(options: {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: NotificationConfig;
  clock?: Clock;
  log?: WorkerLog;
}): Promise<RunningNotifications> {
  const clock = options.clock ?? systemClock;
  await seedNotificationTemplates(options.db, clock());
  if (!options.config.workerEnabled) return { worker: null, close: () => Promise.resolve() };
  const worker = new NotificationWorker({
    db: options.db,
    senders: createSenders(options.config),
    policy: options.config,
    clock,
    notifier: options.notifier,
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  worker.start();
  return { worker, close: () => worker.stop() };
}
