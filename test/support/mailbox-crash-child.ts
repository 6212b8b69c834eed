/**
 * An API instance that reads a mailbox and is killed (SIGKILL, as by `kill -9`) in the middle of
 * taking a message: after it fetched the message and wrote the intake item, inside the
 * transaction, before the commit. Run by test/integration/mailbox.test.ts as
 * `node --import tsx`, with CRASH_CONFIG (JSON: database, mailbox settings, orgCode) in its
 * environment.
 */
import { openServerDb } from '../../src/server/db/open';
import { MailboxConfigSchema, type MailboxSettings } from '../../src/server/mailbox/config';
import { MailboxReader } from '../../src/server/mailbox/reader';

const input = JSON.parse(process.env.CRASH_CONFIG ?? '{}') as {
  database: { databaseUrl?: string; sqliteFile: string };
  mailbox: MailboxSettings;
  orgCode: string;
  config: Record<string, unknown>;
};
const db = await openServerDb(input.database, { migrate: false });
const reader = new MailboxReader({
  db,
  mailbox: input.mailbox,
  orgCode: input.orgCode,
  config: MailboxConfigSchema.parse({ ...input.config, mailboxes: [input.mailbox] }),
  hooks: {
    beforeCommit: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  },
});
reader.start();
