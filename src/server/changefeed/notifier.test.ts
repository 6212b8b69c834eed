import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, BACKENDS, type TestBackend } from '../../../test/support/backends';
import { nextChangeSeq, withWriteLock } from '../db/write-lock';
import { createChangeNotifier, InProcessChangeNotifier, startPgChangeNotifier } from '.';
import type { ChangeNotifier } from './notifier';

/** Resolves with the first cursor a notifier delivers that satisfies `accept`. */
function nextCursor(
  notifier: ChangeNotifier,
  accept: (cursor: number) => boolean = () => true,
  timeoutMs = 5000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('no notification within timeout'));
    }, timeoutMs);
    const unsubscribe = notifier.subscribe((cursor) => {
      if (!accept(cursor)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(cursor);
    });
  });
}

describe('in-process change notifier', () => {
  it('delivers a publish to every subscriber, after publish returns', async () => {
    const notifier = new InProcessChangeNotifier();
    const seen: number[] = [];
    notifier.subscribe((c) => seen.push(c));
    const second = nextCursor(notifier);
    await notifier.publish(7);
    expect(await second).toBe(7);
    expect(seen).toEqual([7]);
    await notifier.close();
  });

  it('keeps delivering to the others when one listener throws', async () => {
    const errors: unknown[] = [];
    const notifier = new InProcessChangeNotifier((_level, _msg, error) => errors.push(error));
    notifier.subscribe(() => {
      throw new Error('bad listener');
    });
    const good = nextCursor(notifier);
    await notifier.publish(1);
    expect(await good).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('stops delivering after unsubscribe and rejects bad cursors', async () => {
    const notifier = new InProcessChangeNotifier();
    const seen: number[] = [];
    const unsubscribe = notifier.subscribe((c) => seen.push(c));
    unsubscribe();
    await notifier.publish(3);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([]);
    await expect(notifier.publish(-1)).rejects.toThrow(RangeError);
  });
});

describe.runIf(BACKENDS.includes('postgres'))('PostgreSQL change notifier', () => {
  let backend: TestBackend;
  const url = () => backend.config.databaseUrl ?? '';
  beforeAll(async () => {
    backend = await createTestBackend('postgres');
  });
  afterAll(async () => {
    await backend?.drop();
  });

  it('lets two instances on the same database see each other’s publish', async () => {
    const a = await createChangeNotifier(backend.db);
    const b = await startPgChangeNotifier({ connectionString: url(), db: backend.db });
    try {
      const atB = nextCursor(b, (c) => c === 41);
      await a.publish(41);
      expect(await atB).toBe(41);
      const atA = nextCursor(a, (c) => c === 42);
      await b.publish(42);
      expect(await atA).toBe(42);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('delivers a publish made inside a transaction only once it commits', async () => {
    const listener = await startPgChangeNotifier({ connectionString: url(), db: backend.db });
    try {
      const seen: number[] = [];
      listener.subscribe((c) => seen.push(c));
      const got = nextCursor(listener, (c) => c === 99);
      await backend.db.transaction().execute(async (trx) => {
        await sql`select pg_notify('alo153_changes', '99')`.execute(trx);
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).not.toContain(99);
      });
      expect(await got).toBe(99);
    } finally {
      await listener.close();
    }
  });

  it('reconnects after its connection is killed and reports the current cursor', async () => {
    const warnings: string[] = [];
    const listener = await startPgChangeNotifier({
      connectionString: url(),
      db: backend.db,
      log: (_level, message) => warnings.push(message),
      reconnectDelayMs: { min: 20, max: 200 },
    });
    const publisher = await startPgChangeNotifier({ connectionString: url(), db: backend.db });
    try {
      const seq = await withWriteLock(backend.db, (trx) => nextChangeSeq(trx));
      const resync = nextCursor(listener, (c) => c === seq);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and application_name = 'alo153-notifier'
                  and pid <> pg_backend_pid() and query ilike 'listen%'`.execute(backend.db);
      expect(await resync).toBe(seq);
      expect(warnings.some((w) => w.includes('lost'))).toBe(true);
      // And live notifications flow again afterwards.
      const live = nextCursor(listener, (c) => c === 1234);
      await publisher.publish(1234);
      expect(await live).toBe(1234);
    } finally {
      await listener.close();
      await publisher.close();
    }
  });
});
