import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ServerDb } from '../db/open';
import { ApiError } from './errors';

/** GET /health: 200 when the database answers, 503 otherwise. Public, for load balancers. */
export function registerHealthRoute(app: FastifyInstance, db: ServerDb): void {
  app.get('/health', { config: { public: true } }, async (request) => {
    const started = performance.now();
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable');
      throw new ApiError(503, 'unavailable', 'The database is unreachable.');
    }
    return {
      status: 'ok' as const,
      database: db.dialect,
      databaseLatencyMs: Math.round((performance.now() - started) * 10) / 10,
    };
  });
}
