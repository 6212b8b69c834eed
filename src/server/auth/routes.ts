import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../clock';
import { text } from '../../domain/text-input';
import type { ServerConfig } from '../config';
import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';
import { t } from '../i18n';
import { authOf, type AuthContext } from './context';
import { NewPasswordSchema } from './password';
import type { AuthService } from './service';
import type { TokenPair } from './sessions';
import { hitSourceRate } from './throttle';
import { bearerToken } from './tokens';

/** An installation id: the client generates it once (a UUID fits). */
export const ClientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const LoginBody = z.strictObject({
  username: text({ max: 200, trim: false }),
  // Longer than any allowed password, but bounded so nobody makes us hash a megabyte.
  password: text({ max: 1024, trim: false }),
  clientId: ClientIdSchema,
});

const RefreshBody = z.strictObject({ refreshToken: text({ min: 1, max: 512, trim: false }) });

const PasswordBody = z.strictObject({
  currentPassword: text({ max: 1024, trim: false }),
  newPassword: NewPasswordSchema,
});

/** Body-less endpoints still refuse stray fields. */
const EmptyBody = z.strictObject({}).nullish();

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
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/auth/login',
    {
      schema: { body: LoginBody },
      config: { public: true },
      onRequest: sourceRateLimit(deps.db, config, deps.clock, 'login'),
    },
    async (request) => {
      const result = await auth.login(request.body, request.ip);
      request.log.info({ userId: result.context.user.id, sessionId: result.sessionId }, 'login');
      return { ...tokenResponse(result.sessionId, result.tokens), user: result.context.user };
    },
  );

  r.post(
    '/auth/refresh',
    {
      schema: { body: RefreshBody },
      config: { public: true },
      onRequest: sourceRateLimit(deps.db, config, deps.clock, 'refresh'),
    },
    async (request) => {
      const { sessionId, tokens } = await auth.refresh(request.body.refreshToken);
      return tokenResponse(sessionId, tokens);
    },
  );

  r.post('/auth/logout', { schema: { body: EmptyBody } }, async (request, reply) => {
    await auth.logout(authOf(request));
    return reply.status(204).send();
  });

  r.get('/auth/me', async (request) => meResponse(authOf(request)));

  r.post('/auth/password', { schema: { body: PasswordBody } }, async (request) => {
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
