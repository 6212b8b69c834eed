import { sql, type Kysely } from 'kysely';
import { isoAfter } from '../clock';
import type { AuthThrottleKind, Database } from '../db/schema';

/**
 * Sign-in throttling, in the shared database so that every API instance counts the same attempts
 * (OWASP ASVS 2.2.1: guessing is slowed, but nobody can lock somebody else out):
 *
 * - **per source**: requests to the sign-in endpoints from one address, a fixed window
 *   (`loginRateLimitMax` per `loginRateLimitWindowSeconds`);
 * - **per username and source**: after `loginMaxFailures` consecutive wrong passwords from one
 *   address, *that address* may not try that username for `loginLockoutSeconds`. The owner at
 *   their own desk is not affected;
 * - **per username, all sources**: from `loginMaxFailures` failures on, each further failure makes
 *   the next attempt wait (1 s, 2 s, 4 s … up to `loginBackoffMaxSeconds`). Addresses from which
 *   the user signed in before (`KNOWN_SOURCE_DAYS`) are exempt, so a distributed attack slows the
 *   attacker, never the user. Nothing here is a lock of the account.
 *
 * Unknown usernames are counted exactly like real ones, so the answers never tell whether an
 * account exists. An administrator lifts a user's locks and back-off (`clearUserThrottle`).
 */
export interface ThrottlePolicy {
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  loginBackoffMaxSeconds: number;
  loginRateLimitMax: number;
  loginRateLimitWindowSeconds: number;
}

/** How long a successful sign-in vouches for its address (exempt from the per-user back-off). */
export const KNOWN_SOURCE_DAYS = 30;

export type ThrottleBlock =
  { kind: 'source-locked'; until: string } | { kind: 'slowed-down'; until: string };

const key = {
  rate: (scope: string, source: string) => `rate\n${scope}\n${source}`,
  sourceLock: (username: string, source: string) => `source-lock\n${username}\n${source}`,
  userBackoff: (username: string) => `user-backoff\n${username}`,
  knownSource: (username: string, source: string) => `known-source\n${username}\n${source}`,
};

/**
 * Adds one to a counter, atomically on both backends (one upsert). A counter whose window began
 * at or before `restartBefore` starts again at 1. Returns the count and the row's block.
 */
async function bump(
  db: Kysely<Database>,
  row: { key: string; kind: AuthThrottleKind; username: string | null },
  now: Date,
  restartBefore: string | null,
): Promise<{ hits: number; windowStartedAt: string; blockedUntil: string | null }> {
  const nowIso = now.toISOString();
  const restart =
    restartBefore === null
      ? sql<boolean>`1 = 0`
      : sql<boolean>`auth_throttle.window_started_at <= ${restartBefore}`;
  const result = await db
    .insertInto('auth_throttle')
    .values({
      ...row,
      hits: 1,
      window_started_at: nowIso,
      blocked_until: null,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${restart} then 1 else auth_throttle.hits + 1 end`,
        window_started_at: sql<string>`case when ${restart} then ${nowIso} else auth_throttle.window_started_at end`,
        updated_at: nowIso,
      }),
    )
    .returning(['hits', 'window_started_at', 'blocked_until'])
    .executeTakeFirstOrThrow();
  return {
    hits: Number(result.hits),
    windowStartedAt: result.window_started_at,
    blockedUntil: result.blocked_until,
  };
}

/**
 * Counts one request from `source` to a sign-in endpoint (`scope`); returns when the source may
 * try again if it is over the limit, else null.
 */
export async function hitSourceRate(
  db: Kysely<Database>,
  policy: ThrottlePolicy,
  scope: string,
  source: string,
  now: Date,
): Promise<string | null> {
  const windowSeconds = policy.loginRateLimitWindowSeconds;
  const { hits, windowStartedAt } = await bump(
    db,
    { key: key.rate(scope, source), kind: 'rate', username: null },
    now,
    isoAfter(now, -windowSeconds),
  );
  if (hits <= policy.loginRateLimitMax) return null;
  return isoAfter(new Date(windowStartedAt), windowSeconds);
}

/** Whether this source may try this username now. */
export async function activeBlock(
  db: Kysely<Database>,
  username: string,
  source: string,
  now: Date,
): Promise<ThrottleBlock | null> {
  const nowIso = now.toISOString();
  const rows = await db
    .selectFrom('auth_throttle')
    .select(['kind', 'blocked_until', 'updated_at'])
    .where('key', 'in', [
      key.sourceLock(username, source),
      key.userBackoff(username),
      key.knownSource(username, source),
    ])
    .execute();
  const lock = rows.find((r) => r.kind === 'source-lock');
  if (lock?.blocked_until != null && lock.blocked_until > nowIso) {
    return { kind: 'source-locked', until: lock.blocked_until };
  }
  const backoff = rows.find((r) => r.kind === 'user-backoff');
  const known = rows.find((r) => r.kind === 'known-source');
  const knownSince = isoAfter(now, -KNOWN_SOURCE_DAYS * 86_400);
  if (
    backoff?.blocked_until != null &&
    backoff.blocked_until > nowIso &&
    !(known !== undefined && known.updated_at > knownSince)
  ) {
    return { kind: 'slowed-down', until: backoff.blocked_until };
  }
  return null;
}

export interface FailureOutcome {
  /** Set when this failure locked the source out of this username. */
  sourceLockedUntil: string | null;
  /** Set when this failure made the username wait before its next attempt. */
  backoffUntil: string | null;
  /** Failures for the username from all sources since its last success. */
  userFailures: number;
}

/** Counts a wrong password for `username` from `source`. */
export async function registerFailure(
  db: Kysely<Database>,
  policy: ThrottlePolicy,
  username: string,
  source: string,
  now: Date,
): Promise<FailureOutcome> {
  return db.transaction().execute(async (trx) => {
    const lockKey = key.sourceLock(username, source);
    const bySource = await bump(trx, { key: lockKey, kind: 'source-lock', username }, now, null);
    let sourceLockedUntil: string | null = null;
    if (bySource.hits >= policy.loginMaxFailures) {
      sourceLockedUntil = isoAfter(now, policy.loginLockoutSeconds);
      // Counting starts again after the lock, so the next lock needs as many failures.
      await trx
        .updateTable('auth_throttle')
        .set({ hits: 0, blocked_until: sourceLockedUntil })
        .where('key', '=', lockKey)
        .execute();
    }
    const userKey = key.userBackoff(username);
    const byUser = await bump(trx, { key: userKey, kind: 'user-backoff', username }, now, null);
    let backoffUntil: string | null = null;
    if (byUser.hits >= policy.loginMaxFailures) {
      const exponent = Math.min(byUser.hits - policy.loginMaxFailures, 20);
      backoffUntil = isoAfter(now, Math.min(2 ** exponent, policy.loginBackoffMaxSeconds));
      await trx
        .updateTable('auth_throttle')
        .set({ blocked_until: backoffUntil })
        .where('key', '=', userKey)
        .execute();
    }
    return { sourceLockedUntil, backoffUntil, userFailures: byUser.hits };
  });
}

/** A successful sign-in: this source's failures and the username's back-off end. */
export async function registerSuccess(
  db: Kysely<Database>,
  username: string,
  source: string,
  now: Date,
): Promise<void> {
  const nowIso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('auth_throttle')
      .where('key', 'in', [key.sourceLock(username, source), key.userBackoff(username)])
      .execute();
    await trx
      .insertInto('auth_throttle')
      .values({
        key: key.knownSource(username, source),
        kind: 'known-source',
        username,
        hits: 1,
        window_started_at: nowIso,
        blocked_until: null,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: nowIso }))
      .execute();
  });
}

/**
 * Lifts every lock and back-off on a username (an administrator's unlock, a password reset).
 * Returns how many blocks were active.
 */
export async function clearUserThrottle(
  db: Kysely<Database>,
  username: string,
  now: Date,
): Promise<number> {
  const active = await db
    .selectFrom('auth_throttle')
    .select('key')
    .where('username', '=', username)
    .where('kind', 'in', ['source-lock', 'user-backoff'])
    .where('blocked_until', '>', now.toISOString())
    .execute();
  await db
    .deleteFrom('auth_throttle')
    .where('username', '=', username)
    .where('kind', 'in', ['source-lock', 'user-backoff'])
    .execute();
  return active.length;
}

/** The latest active lock or back-off per username, for the admin's user list. */
export async function activeBlocksByUsername(
  db: Kysely<Database>,
  now: Date,
  usernames?: readonly string[],
): Promise<Map<string, string>> {
  if (usernames !== undefined && usernames.length === 0) return new Map();
  let query = db
    .selectFrom('auth_throttle')
    .select(['username', 'blocked_until'])
    .where('kind', 'in', ['source-lock', 'user-backoff'])
    .where('blocked_until', '>', now.toISOString());
  if (usernames !== undefined) query = query.where('username', 'in', [...usernames]);
  const result = new Map<string, string>();
  for (const row of await query.execute()) {
    if (row.username === null || row.blocked_until === null) continue;
    const seen = result.get(row.username);
    if (seen === undefined || row.blocked_until > seen) result.set(row.username, row.blocked_until);
  }
  return result;
}

/** Forgets counters nobody touched for `graceSeconds` (known sources after KNOWN_SOURCE_DAYS). */
export async function pruneThrottle(
  db: Kysely<Database>,
  now: Date,
  graceSeconds: number,
): Promise<void> {
  await db
    .deleteFrom('auth_throttle')
    .where('kind', '!=', 'known-source')
    .where('updated_at', '<', isoAfter(now, -graceSeconds))
    .where((eb) =>
      eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now.toISOString())]),
    )
    .execute();
  await db
    .deleteFrom('auth_throttle')
    .where('kind', '=', 'known-source')
    .where('updated_at', '<', isoAfter(now, -KNOWN_SOURCE_DAYS * 86_400))
    .execute();
}
