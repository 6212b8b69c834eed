import type { ServerDb } from '../db/open';
import type { ChangeNotifier } from '../changefeed/notifier';
import type { MailboxConfig } from './config';
import type { MailboxLog, MailboxReader } from './reader';

export { MailboxConfigSchema, MAILBOX_ENV, mailboxesFromEnv } from './config';
export type { MailboxConfig, MailboxSettings } from './config';
// Types only: the reader (imapflow, mailparser, file-type) is loaded when a mailbox is configured.
export type { MailboxLog, MailboxReader, ReaderHooks, ReaderStatus } from './reader';

export interface RunningMailboxes {
  readers: MailboxReader[];
  close(): Promise<void>;
}

/**
 * What startServer does for the mailbox: one reader per configured mailbox (each waits for its
 * lock, so with several API instances one of them reads it). `close()` stops them. The reader
 * and its IMAP client, MIME parser and type sniffer are imported only when there is a mailbox to
 * read: an API without one never loads them.
 */
export async function startMailboxes(options: {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: MailboxConfig;
  callCentreOrg: string;
  log?: MailboxLog;
}): Promise<RunningMailboxes> {
  const { db, notifier, config } = options;
  if (!config.readerEnabled || config.mailboxes.length === 0) {
    return { readers: [], close: () => Promise.resolve() };
  }
  const { MailboxReader: Reader } = await import('./reader');
  const readers = config.mailboxes.map((mailbox) =>
    new Reader({
      db,
      mailbox,
      orgCode: mailbox.orgCode ?? options.callCentreOrg,
      config,
      ...(options.log !== undefined ? { log: options.log } : {}),
      onTaken: (outcome) => void notifier.publish(outcome.changeSeq).catch(() => undefined),
    }).start(),
  );
  return {
    readers,
    close: async () => {
      await Promise.all(readers.map((r) => r.stop()));
    },
  };
}
