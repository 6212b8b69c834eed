import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { ApiError, badRequest } from '../http/errors';
import { formatIstanbulTime, t } from '../i18n';
import type { AuthContext } from './context';
import type { PasswordHasher } from './password';
import { passwordProblem } from './password';
import {
  createSession,
  findRetiredRefresh,
  findSessionByAccessHash,
  findSessionByRefreshHash,
  revokeSession,
  revokeUserSessions,
  rotateSession,
  sessionEndsAt,
  type TokenPair,
} from './sessions';
import { activeBlock, registerFailure, registerSuccess, type ThrottleBlock } from './throttle';
import { SessionCache } from './session-cache';
import { hashToken } from './tokens';
import { findUserById, findUserByUsername, normaliseUsername, toAuthUser } from './users';
import { bindSyncStream } from '../sync/streams';

export interface AuthServiceDeps {
  db: ServerDb;
  config: ServerConfig;
  clock: Clock;
  hasher: PasswordHasher;
  /** Security events worth a log line (replays, lockouts). */
  audit: (event: string, details: Record<string, unknown>) => void;
  /**
   * Tells every instance (this one included) that sessions or users changed; see
   * AuthService.sessionsChanged. Without it only this instance's cache is dropped.
   */
  publishAuthChange?: () => Promise<void>;
}

export interface LoginResult {
  sessionId: string;
  tokens: TokenPair;
  context: AuthContext;
}

const invalidCredentials = () =>
  new ApiError(401, 'invalid-credentials', 'Wrong username or password.', {
    userMessage: t('auth.invalidCredentials'),
  });

const locked = (until: string, now: Date) =>
  new ApiError(429, 'login-locked', `Too many failed logins; locked until ${until}.`, {
    userMessage: t('auth.locked', { until: formatIstanbulTime(until) }),
    retryAt: until,
    headers: {
      'retry-after': String(Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000))),
    },
  });

const slowedDown = (until: string, now: Date) =>
  new ApiError(
    429,
    'login-slowed',
    `Too many failed logins for this username; try again after ${until}.`,
    {
      userMessage: t('auth.slowedDown', { until: formatIstanbulTime(until) }),
      retryAt: until,
      headers: {
        'retry-after': String(Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000))),
      },
    },
  );

const blocked = (block: ThrottleBlock, now: Date) =>
  block.kind === 'source-locked' ? locked(block.until, now) : slowedDown(block.until, now);

const sessionError = (code: 'token-invalid' | 'token-expired' | 'token-revoked', what: string) =>
  new ApiError(401, code, what, { userMessage: t('auth.sessionEnded') });

/**
 * Login, token refresh and password change. Failed logins are throttled per username and source
 * address (auth/throttle.ts): the address that keeps failing is locked out of that username, other
 * addresses are only slowed down, so nobody can lock somebody else out. Unknown usernames get the
 * same treatment (and the same scrypt work), so neither the message nor the timing says whether
 * an account exists.
 */
export class AuthService {
  readonly #deps: AuthServiceDeps;
  readonly #cache: SessionCache;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    this.#cache = new SessionCache(deps.config.sessionCacheSeconds * 1000);
  }

  /**
   * Drops cached sessions here and on every other instance. Call after committing anything that
   * ends a session or changes a user (role, organisation, active, name).
   */
  async sessionsChanged(): Promise<void> {
    this.#cache.clear();
    await this.#deps.publishAuthChange?.();
  }

  /** Another instance (or this one) changed sessions or users. */
  dropCachedSessions(): void {
    this.#cache.clear();
  }

  /** `source`: the caller's address (request.ip, which honours only trusted proxies). */
  async login(
    input: { username: string; password: string; clientId: string },
    source: string,
  ): Promise<LoginResult> {
    const { db, hasher, config } = this.#deps;
    const now = this.#deps.clock();
    const username = normaliseUsername(input.username);
    const user = username === '' ? undefined : await findUserByUsername(db, username);

    const block = await activeBlock(db, username, source, now);
    if (block !== null) {
      await hasher.verifyDummy(input.password);
      throw blocked(block, now);
    }

    const ok =
      user === undefined
        ? await hasher.verifyDummy(input.password)
        : await hasher.verify(input.password, user.password_hash);
    if (!ok || user === undefined) {
      await this.#failed(username, source, now);
      throw invalidCredentials();
    }
    if (user.active !== 1) {
      throw new ApiError(403, 'account-disabled', 'This account is deactivated.', {
        userMessage: t('auth.disabled'),
      });
    }

    const passwordHash = hasher.needsRehash(user.password_hash)
      ? await hasher.hash(input.password)
      : null;
    await registerSuccess(db, username, source, now);
    const nowIso = now.toISOString();
    const { sessionId, tokens, clientId } = await db.transaction().execute(async (trx) => {
      if (passwordHash !== null) {
        await trx
          .updateTable('app_user')
          .set({ password_hash: passwordHash })
          .where('id', '=', user.id)
          .execute();
      }
      // The user's sync stream for the sync layer's idempotent push (never another user's).
      const clientId = await bindSyncStream(trx, input.clientId, user.id, nowIso);
      const session = await createSession(trx, { userId: user.id, clientId, now, ttls: config });
      return { ...session, clientId };
    });
    return {
      sessionId,
      tokens,
      context: { user: toAuthUser(user), sessionId, clientId },
    };
  }

  /** Counts a failure; throws the lock when this failure locked the source out. */
  async #failed(username: string, source: string, now: Date): Promise<void> {
    const outcome = await registerFailure(this.#deps.db, this.#deps.config, username, source, now);
    if (outcome.userFailures === this.#deps.config.loginMaxFailures) {
      this.#deps.audit('login slowed down', { username, source, until: outcome.backoffUntil });
    }
    if (outcome.sourceLockedUntil !== null) {
      this.#deps.audit('login locked for source', {
        username,
        source,
        until: outcome.sourceLockedUntil,
      });
      throw locked(outcome.sourceLockedUntil, now);
    }
  }

  /** Resolves a bearer access token to its session and user, or throws 401. */
  async authenticate(accessToken: string): Promise<AuthContext> {
    const accessHash = hashToken(accessToken);
    const now = this.#deps.clock();
    const cached = this.#cache.get(accessHash, now);
    if (cached !== undefined) return cached;
    const generation = this.#cache.generation;
    const row = await findSessionByAccessHash(this.#deps.db, accessHash);
    if (row === undefined)
      throw sessionError('token-invalid', 'Unknown or superseded access token.');
    if (row.revoked_at !== null) throw sessionError('token-revoked', 'The session has ended.');
    if (row.access_expires_at <= this.#deps.clock().toISOString()) {
      throw sessionError('token-expired', 'The access token has expired; refresh it.');
    }
    if (row.active !== 1) throw sessionError('token-revoked', 'The account is deactivated.');
    const context: AuthContext = {
      user: {
        id: row.user_id,
        username: row.username,
        displayName: row.display_name,
        role: row.role,
        orgCode: row.org_code,
        orgKind: row.org_kind,
        districtCode: row.district_code,
      },
      sessionId: row.session_id,
      clientId: row.client_id,
    };
    this.#cache.set(accessHash, context, row.access_expires_at, now, generation);
    return context;
  }

  /**
   * Rotates the token pair. A refresh token that was already rotated away is a replay (it was
   * stolen, or a client raced itself): the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<{ sessionId: string; tokens: TokenPair }> {
    const { db, config } = this.#deps;
    const now = this.#deps.clock();
    const refreshHash = hashToken(refreshToken);
    const outcome = await db.transaction().execute(async (trx) => {
      const session = await findSessionByRefreshHash(trx, refreshHash);
      if (session === undefined) {
        const retired = await findRetiredRefresh(trx, refreshHash);
        if (retired === undefined) return { kind: 'unknown' } as const;
        await revokeSession(trx, retired.session_id, 'refresh-replay', now);
        return { kind: 'replay', sessionId: retired.session_id } as const;
      }
      if (session.revoked_at !== null || session.active !== 1) return { kind: 'revoked' } as const;
      if (sessionEndsAt(session.created_at, config) <= now.toISOString()) {
        return { kind: 'ended' } as const;
      }
      if (session.refresh_expires_at <= now.toISOString()) return { kind: 'expired' } as const;
      const tokens = await rotateSession(trx, {
        sessionId: session.id,
        oldRefreshHash: refreshHash,
        now,
        ttls: config,
        createdAt: session.created_at,
      });
      if (tokens === null) {
        await revokeSession(trx, session.id, 'refresh-replay', now);
        return { kind: 'replay', sessionId: session.id } as const;
      }
      return { kind: 'ok', sessionId: session.id, tokens } as const;
    });
    // The superseded access token (or, on a replay, the whole session) ends now everywhere.
    if (outcome.kind === 'ok' || outcome.kind === 'replay') await this.sessionsChanged();
    switch (outcome.kind) {
      case 'ok':
        return { sessionId: outcome.sessionId, tokens: outcome.tokens };
      case 'replay':
        this.#deps.audit('refresh token replayed; session revoked', {
          sessionId: outcome.sessionId,
        });
        throw new ApiError(
          401,
          'token-replayed',
          'This refresh token was already used; the session has been revoked.',
          { userMessage: t('auth.sessionEnded') },
        );
      case 'unknown':
        throw sessionError('token-invalid', 'Unknown refresh token.');
      case 'revoked':
        throw sessionError('token-revoked', 'The session has ended.');
      case 'expired':
        throw sessionError('token-expired', 'The refresh token has expired; log in again.');
      case 'ended':
        throw new ApiError(
          401,
          'session-expired',
          `The session reached its maximum lifetime (${config.sessionMaxHours} h); log in again.`,
          { userMessage: t('auth.sessionMaxReached', { hours: config.sessionMaxHours }) },
        );
    }
  }

  async logout(context: AuthContext): Promise<void> {
    await revokeSession(this.#deps.db, context.sessionId, 'logout', this.#deps.clock());
    await this.sessionsChanged();
  }

  /**
   * Changes the caller's password and ends their other sessions. Wrong current passwords count
   * towards the lockout like failed logins, so a stolen access token cannot be used to guess it.
   */
  async changePassword(
    context: AuthContext,
    currentPassword: string,
    newPassword: string,
    source: string,
  ): Promise<{ revokedSessions: number }> {
    const { db, hasher } = this.#deps;
    const now = this.#deps.clock();
    const user = await findUserById(db, context.user.id);
    if (user === undefined) throw sessionError('token-revoked', 'The account no longer exists.');
    const block = await activeBlock(db, user.username, source, now);
    if (block !== null) throw blocked(block, now);
    if (!(await hasher.verify(currentPassword, user.password_hash))) {
      await this.#failed(user.username, source, now);
      throw badRequest('The current password is wrong.', {
        currentPassword: t('auth.wrongCurrentPassword'),
      });
    }
    const problem =
      newPassword === currentPassword
        ? t('password.unchanged')
        : passwordProblem(newPassword, user.username);
    if (problem !== null)
      throw badRequest('The new password is not allowed.', { newPassword: problem });
    const passwordHash = await hasher.hash(newPassword);
    const result = await db.transaction().execute(async (trx) => {
      await setPassword(trx, user.id, passwordHash, now);
      const revokedSessions = await revokeUserSessions(
        trx,
        user.id,
        'password-change',
        now,
        context.sessionId,
      );
      return { revokedSessions };
    });
    await this.sessionsChanged();
    return result;
  }
}

/** Stores a new password hash and clears any lockout. */
export async function setPassword(
  db: Kysely<Database>,
  userId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({
      password_hash: passwordHash,
      failed_logins: 0,
      locked_until: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', userId)
    .execute();
}
