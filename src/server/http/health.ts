import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ServerDb } from '../db/open';
import { numberSpaceStatus, type NumberLeaseLimits } from '../sync/number-leases';
import { ApiError } from './errors';

/** GET /health: 200 when the database answers, 503 otherwise. Public, for load balancers. */
export function registerHealthRoute(
  app: FastifyInstance,
  db: ServerDb,
  numbers?: Pick<NumberLeaseLimits, 'reserve' | 'blockSize'>,
): void {
  app.get('/health', { config: { public: true } }, async (request) => {
    const started = performance.now();
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable');
      throw new ApiError(503, 'unavailable', 'The database is unreachable.');
    }
    const databaseLatencyMs = Math.round((performance.now() - started) * 10) / 10;
    // The registration-number space (docs/sync.md): a warning for administrators long before
    // it ends; never a reason to take the instance out of the load balancer.
    const registrationNumbers = numbers
      ? await numberSpaceStatus(db, numbers).catch(() => undefined)
      : undefined;
    return {
      status: 'ok' as const,
      database: db.dialect,
      databaseLatencyMs,
      ...(registrationNumbers ? { registrationNumbers } : {}),
    };
  });
}
