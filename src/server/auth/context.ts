import type { FastifyRequest } from 'fastify';
import type { OrganisationKind } from '../../domain/reference';
import type { Role } from '../db/schema';
import { ApiError } from '../http/errors';
import { t } from '../i18n';

/** The signed-in user as every route sees it. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgKind: OrganisationKind;
  /** The district a district municipality serves; null for other organisations. */
  districtCode: string | null;
}

export interface AuthContext {
  user: AuthUser;
  sessionId: string;
  /** The installation that logged in (the `clientId` given at login). */
  clientId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route; null on public ones. */
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a bearer token (health, setup, login, refresh). */
    public?: boolean;
  }
}

/** The request's auth context; throws 401 on a public route that has none. */
export function authOf(request: FastifyRequest): AuthContext {
  if (request.auth === null) {
    throw new ApiError(401, 'token-missing', 'This endpoint requires a bearer token.', {
      userMessage: t('auth.sessionEnded'),
    });
  }
  return request.auth;
}

/**
 * A hook that lets through only the given roles. Use it as a route's onRequest hook, so other
 * roles are refused before their body is even read (it works as a preHandler too):
 *
 *   app.post('/x', { onRequest: requireRole('supervisor', 'admin') }, handler)
 */
export function requireRole(...roles: readonly Role[]): (request: FastifyRequest) => Promise<void> {
  const allowed = new Set(roles);
  return async (request) => {
    const { user } = authOf(request);
    if (!allowed.has(user.role)) {
      throw new ApiError(403, 'forbidden', `Requires role ${[...allowed].join(' or ')}.`, {
        userMessage: t('auth.forbidden'),
      });
    }
  };
}
