import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isoAfter } from '../clock';
import type { Database } from '../db/schema';
import { pruneThrottle } from './throttle';
import { hashToken, newToken } from './tokens';

export interface TokenPair {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

export interface TokenTtls {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Absolute session lifetime: no token of a session outlives its sign-in by more. */
  sessionMaxHours: number;
}

/** When a session signed in at `createdAt` ends for good, however often it is refreshed. */
export function sessionEndsAt(createdAt: string, ttls: Pick<TokenTtls, 'sessionMaxHours'>): string {
  return isoAfter(new Date(createdAt), ttls.sessionMaxHours * 3600);
}

export type RevokeReason =
  | 'logout'
  | 'refresh-replay'
  | 'password-change'
  | 'password-reset'
  | 'user-changed'
  | 'user-deactivated';

function newPair(now: Date, ttls: TokenTtls, endsAt: string) {
  const capped = (iso: string) => (iso < endsAt ? iso : endsAt);
  const pair: TokenPair = {
    accessToken: newToken('access'),
    accessExpiresAt: capped(isoAfter(now, ttls.accessTokenTtlSeconds)),
    refreshToken: newToken('refresh'),
    refreshExpiresAt: capped(isoAfter(now, ttls.refreshTokenTtlSeconds)),
  };
  return {
    pair,
    accessHash: hashToken(pair.accessToken),
    refreshHash: hashToken(pair.refreshToken),
  };
}

export async function createSession(
  db: Kysely<Database>,
  input: { userId: string; clientId: string; now: Date; ttls: TokenTtls },
): Promise<{ sessionId: string; tokens: TokenPair }> {
  const createdAt = input.now.toISOString();
  const { pair, accessHash, refreshHash } = newPair(
    input.now,
    input.ttls,
    sessionEndsAt(createdAt, input.ttls),
  );
  const sessionId = randomUUID();
  await db
    .insertInto('session')
    .values({
      id: sessionId,
      user_id: input.userId,
      client_id: input.clientId,
      access_hash: accessHash,
      access_expires_at: pair.accessExpiresAt,
      refresh_hash: refreshHash,
      refresh_expires_at: pair.refreshExpiresAt,
      revoked_at: null,
      revoked_reason: null,
      created_at: createdAt,
    })
    .execute();
  return { sessionId, tokens: pair };
}

/** The session behind an access token, with its user and the user's organisation. */
export function findSessionByAccessHash(db: Kysely<Database>, accessHash: string) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .innerJoin('organisation', 'organisation.code', 'app_user.org_code')
    .select([
      'session.id as session_id',
      'session.client_id',
      'session.access_expires_at',
      'session.revoked_at',
      'app_user.id as user_id',
      'app_user.username',
      'app_user.display_name',
      'app_user.role',
      'app_user.org_code',
      'app_user.active',
      'organisation.kind as org_kind',
      'organisation.district_code',
    ])
    .where('session.access_hash', '=', accessHash)
    .executeTakeFirst();
}

export function findSessionByRefreshHash(db: Kysely<Database>, refreshHash: string) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id',
      'session.user_id',
      'session.client_id',
      'session.refresh_expires_at',
      'session.revoked_at',
      'session.created_at',
      'app_user.active',
    ])
    .where('session.refresh_hash', '=', refreshHash)
    .executeTakeFirst();
}

export async function findRetiredRefresh(
  db: Kysely<Database>,
  refreshHash: string,
): Promise<{ session_id: string } | undefined> {
  return db
    .selectFrom('retired_refresh_token')
    .select('session_id')
    .where('refresh_hash', '=', refreshHash)
    .executeTakeFirst();
}

/**
 * Swaps the session's token pair, remembering the old refresh token as retired. Returns null
 * when the presented token is no longer current (a concurrent rotation won): the caller treats
 * that as a replay.
 */
export async function rotateSession(
  trx: Kysely<Database>,
  input: {
    sessionId: string;
    oldRefreshHash: string;
    now: Date;
    ttls: TokenTtls;
    /** The session's sign-in time: the new pair ends no later than its absolute lifetime. */
    createdAt: string;
  },
): Promise<TokenPair | null> {
  const { pair, accessHash, refreshHash } = newPair(
    input.now,
    input.ttls,
    sessionEndsAt(input.createdAt, input.ttls),
  );
  const result = await trx
    .updateTable('session')
    .set({
      access_hash: accessHash,
      access_expires_at: pair.accessExpiresAt,
      refresh_hash: refreshHash,
      refresh_expires_at: pair.refreshExpiresAt,
    })
    .where('id', '=', input.sessionId)
    .where('refresh_hash', '=', input.oldRefreshHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) return null;
  await trx
    .insertInto('retired_refresh_token')
    .values({
      refresh_hash: input.oldRefreshHash,
      session_id: input.sessionId,
      retired_at: input.now.toISOString(),
    })
    .execute();
  return pair;
}

export async function revokeSession(
  db: Kysely<Database>,
  sessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await db
    .updateTable('session')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every live session of a user, except optionally the one making the request. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: string,
  reason: RevokeReason,
  now: Date,
  exceptSessionId?: string,
): Promise<number> {
  let query = db
    .updateTable('session')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes sessions whose refresh token expired more than `graceSeconds` ago (their retired
 * tokens go with them). The grace keeps a late replay of a dead session recognisable for a day.
 */
export async function pruneExpiredSessions(
  db: Kysely<Database>,
  now: Date,
  graceSeconds = 24 * 3600,
): Promise<number> {
  const cutoff = isoAfter(now, -graceSeconds);
  const result = await db
    .deleteFrom('session')
    .where('refresh_expires_at', '<', cutoff)
    .executeTakeFirst();
  await db.deleteFrom('login_throttle').where('updated_at', '<', cutoff).execute();
  await pruneThrottle(db, now, graceSeconds);
  return Number(result.numDeletedRows);
}
