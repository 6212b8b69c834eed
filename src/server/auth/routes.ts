import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { contract } from '../../domain/api';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { Database } from '../db/schema';
import { contractRoute } from '../http/contract-route';
import { ApiError } from '../http/errors';
import { t } from '../i18n';
import { authOf, type AuthContext } from './context';
import type { AuthService } from './service';
import type { TokenPair } from './sessions';
import { hitSourceRate } from './throttle';
import { bearerToken } from './tokens';

export function tokenResponse(sessionId: string, tokens: TokenPair) {
  return { sessionId, tokenType: 'Bearer' as const, ...tokens };
}

export function meResponse(context: AuthContext) {
  return { user: context.user, sessionId: context.sessionId, clientId: context.clientId };
}

/**
 * Puts the caller's session on every request except those whose route is marked
 * `config: { public: true }`. Secure by default: a route added later (the sync plugin's too)
 * needs a token unless it opts out. Runs onRequest, before any body is read.
 */
export function installAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 || request.routeOptions.config.public === true) return;
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'token-missing', 'Send Authorization: Bearer <access token>.', {
        userMessage: t('auth.sessionEnded'),
      });
    }
    request.auth = await auth.authenticate(token);
  });
}

/**
 * A per-address request limit kept in the shared database, so that N instances behind a proxy
 * allow what one would. The address is request.ip: the socket's peer, or what a *trusted* proxy
 * says (config trustProxy), never what the client writes.
 */
function sourceRateLimit(
  db: Kysely<Database>,
  config: ServerConfig,
  clock: Clock,
  scope: string,
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const now = clock();
    const retryAt = await hitSourceRate(db, config, scope, request.ip, now);
    if (retryAt === null) return;
    const seconds = Math.max(1, Math.ceil((Date.parse(retryAt) - now.getTime()) / 1000));
    throw new ApiError(429, 'rate-limited', `Too many requests; retry in ${seconds} seconds.`, {
      userMessage: t('auth.rateLimited'),
      retryAt,
      headers: { 'retry-after': String(seconds) },
    });
  };
}

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { auth: AuthService; config: ServerConfig; db: Kysely<Database>; clock: Clock },
): void {
  const { auth, config } = deps;
  contractRoute(
    app,
    contract.auth.login,
    { onRequest: sourceRateLimit(deps.db, config, deps.clock, 'login') },
    async (request) => {
      const result = await auth.login(request.body, request.ip);
      request.log.info({ userId: result.context.user.id, sessionId: result.sessionId }, 'login');
      return { ...tokenResponse(result.sessionId, result.tokens), user: result.context.user };
    },
  );

  contractRoute(
    app,
    contract.auth.refresh,
    { onRequest: sourceRateLimit(deps.db, config, deps.clock, 'refresh') },
    async (request) => {
      const { sessionId, tokens } = await auth.refresh(request.body.refreshToken);
      return tokenResponse(sessionId, tokens);
    },
  );

  contractRoute(app, contract.auth.logout, {}, async (request, reply) => {
    await auth.logout(authOf(request));
    return reply.status(204).send();
  });

  contractRoute(app, contract.auth.me, {}, async (request) => meResponse(authOf(request)));

  contractRoute(app, contract.auth.changePassword, {}, async (request) => {
    const context = authOf(request);
    const { revokedSessions } = await auth.changePassword(
      context,
      request.body.currentPassword,
      request.body.newPassword,
      request.ip,
    );
    request.log.info({ userId: context.user.id, revokedSessions }, 'password changed');
    return { revokedSessions };
  });
}
