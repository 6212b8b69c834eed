import type { FastifyInstance } from 'fastify';
import { contract } from '../../domain/api';
import type { AppDeps } from '../app-deps';
import { authOf, requireRole, type AuthUser } from '../auth/context';
import { contractRoute } from '../http/contract-route';
import { lineLive, lineWaiting, type FigureContext } from './figures';

/**
 * The call line for people (issue #20 item 6, docs/supervisor.md "Hat"): the supervisor's live
 * view of every line they may see, and the count of waiting callers in an agent's header. The
 * SIP front's side of the line is src/server/line.
 */
export function registerLineConsoleRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  ctxOf: (user: AuthUser) => FigureContext,
): void {
  contractRoute(
    app,
    contract.lineConsole.live,
    { onRequest: requireRole('supervisor') },
    async (request) => lineLive(ctxOf(authOf(request).user), deps.config.lines),
  );

  contractRoute(
    app,
    contract.lineConsole.waiting,
    { onRequest: requireRole('agent', 'desk', 'supervisor') },
    async (request) => {
      const { user } = authOf(request);
      return lineWaiting(deps.db, deps.config.lines, user.orgCode, user.id);
    },
  );
}
