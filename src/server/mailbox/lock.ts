import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import pg from 'pg';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';

/**
 * Only one API instance reads a mailbox at a time. PostgreSQL: a session advisory lock held on a
 * dedicated connection, so it goes when the instance dies (its connection closes). SQLite: a
 * lease row renewed while held; one that is not renewed (the instance died) expires.
 *
 * The lock saves work, it does not carry correctness: `takeMessage` checks the checkpoint in its
 * own transaction, so even two readers at once could not take a message twice.
 */
export interface MailboxLock {
  /** Resolves when the lock is lost (connection gone, lease taken over). */
  readonly lost: Promise<void>;
  /** False once the lock is lost or released. */
  held(): boolean;
  /** Inside a take transaction: is the lock still ours? */
  stillHolds(trx: Transaction<Database>): Promise<boolean>;
  release(): Promise<void>;
}

export interface LockOptions {
  /** SQLite: how long a lease lasts without renewal. */
  leaseSeconds?: number;
  now?: () => Date;
}

/** Tries once; null when another instance holds the mailbox. */
export async function tryLockMailbox(
  db: ServerDb,
  mailbox: string,
  options: LockOptions = {},
): Promise<MailboxLock | null> {
  return db.dialect === 'postgres'
    ? tryAdvisoryLock(db, mailbox)
    : tryLease(db, mailbox, options.leaseSeconds ?? 30, options.now ?? (() => new Date()));
}

/** Two-key form (class 153, hash of the name): apart from the single-key write lock. */
const LOCK_CLASS = 153;

async function tryAdvisoryLock(db: ServerDb, mailbox: string): Promise<MailboxLock | null> {
  if (db.databaseUrl === undefined) throw new Error('PostgreSQL database without a URL');
  const client = new pg.Client({ connectionString: db.databaseUrl });
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  let released = false;
  client.on('error', () => markLost());
  client.on('end', () => markLost());
  await client.connect();
  try {
    const result = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, hashtext($2)) as locked',
      [LOCK_CLASS, `mailbox:${mailbox}`],
    );
    if (result.rows[0]?.locked !== true) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let isLost = false;
  void lost.then(() => (isLost = true));
  return {
    lost,
    held: () => !isLost && !released,
    stillHolds: () => Promise.resolve(!isLost && !released),
    release: async () => {
      if (released) return;
      released = true;
      // Closing the session releases its advisory locks.
      await client.end().catch(() => undefined);
    },
  };
}

async function tryLease(
  db: ServerDb,
  mailbox: string,
  leaseSeconds: number,
  now: () => Date,
): Promise<MailboxLock | null> {
  const holder = randomUUID();
  const expiry = () => new Date(now().getTime() + leaseSeconds * 1000).toISOString();
  const claim = () =>
    db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('mailbox_lease')
        .select(['holder', 'expires_at'])
        .where('mailbox', '=', mailbox)
        .executeTakeFirst();
      if (row === undefined) {
        await trx
          .insertInto('mailbox_lease')
          .values({ mailbox, holder, expires_at: expiry() })
          .execute();
        return true;
      }
      if (row.holder !== holder && row.expires_at > now().toISOString()) return false;
      await trx
        .updateTable('mailbox_lease')
        .set({ holder, expires_at: expiry() })
        .where('mailbox', '=', mailbox)
        .execute();
      return true;
    });
  if (!(await claim())) return null;

  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  let active = true;
  const renew = setInterval(
    () => {
      // The holder keeps its lease; if another took it over meanwhile, it is lost.
      claim()
        .then((held) => {
          if (!held) {
            active = false;
            clearInterval(renew);
            markLost();
          }
        })
        .catch(() => undefined);
    },
    Math.max(1000, (leaseSeconds * 1000) / 3),
  );
  renew.unref();
  return {
    lost,
    held: () => active,
    stillHolds: async (trx) => {
      if (!active) return false;
      const row = await trx
        .selectFrom('mailbox_lease')
        .select(['holder', 'expires_at'])
        .where('mailbox', '=', mailbox)
        .executeTakeFirst();
      return row?.holder === holder && row.expires_at > now().toISOString();
    },
    release: async () => {
      if (!active) return;
      active = false;
      clearInterval(renew);
      await db
        .deleteFrom('mailbox_lease')
        .where('mailbox', '=', mailbox)
        .where('holder', '=', holder)
        .execute()
        .catch(() => undefined);
      markLost();
    },
  };
}
