import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The mailbox's IMAP client, MIME parser and type sniffer are loaded by the API only when a
 * mailbox is configured (src/server/mailbox/index.ts): an API without one starts without them.
 * Each case starts the API in its own Node process (test/support/mailbox-lazy-child.ts) that
 * records which of them were imported.
 */
const run = async (env: Record<string, string>) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/support/mailbox-lazy-child.ts'],
    { env: { ...process.env, ...env }, timeout: 60_000 },
  );
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { loaded: string[] }).loaded;
};

describe('the mailbox packages', () => {
  it('are not loaded by an API without a mailbox', async () => {
    expect(await run({})).toEqual([]);
  }, 60_000);

  it('are loaded when a mailbox is configured', async () => {
    expect(await run({ LAZY_MAILBOX: '1' })).toEqual(['file-type', 'imapflow', 'mailparser']);
  }, 60_000);
});
