import type { ServerDb } from '../db/open';
import type { ChangeNotifier } from '../changefeed/notifier';
import type { MailboxConfig } from './config';
import { MailboxReader, type MailboxLog } from './reader';

export { MailboxConfigSchema, MAILBOX_ENV, mailboxesFromEnv } from './config';
export type { MailboxConfig, MailboxSettings } from './config';
export { MailboxReader, type MailboxLog, type ReaderHooks, type ReaderStatus } from './reader';

export interface RunningMailboxes {
  readers: MailboxReader[];
  close(): Promise<void>;
}

/**
 * What startServer does for the mailbox: one reader per configured mailbox (each waits for its
 * lock, so with several API instances one of them reads it). `close()` stops them.
 */
export function startMailboxes(options: {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: MailboxConfig;
  callCentreOrg: string;
  log?: MailboxLog;
}): RunningMailboxes {
  const { db, notifier, config } = options;
  const readers = config.readerEnabled
    ? config.mailboxes.map((mailbox) =>
        new MailboxReader({
          db,
          mailbox,
          orgCode: mailbox.orgCode ?? options.callCentreOrg,
          config,
          ...(options.log !== undefined ? { log: options.log } : {}),
          onTaken: (outcome) => void notifier.publish(outcome.changeSeq).catch(() => undefined),
        }).start(),
      )
    : [];
  return {
    readers,
    close: async () => {
      await Promise.all(readers.map((r) => r.stop()));
    },
  };
}
