import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoutingRuleSchema, ruleProblems } from '../../domain/routing';
import type { AppDeps } from '../app';
import { requireSystemAdmin } from '../admin/authority';
import { authOf } from '../auth/context';
import { withWriteLock } from '../db/write-lock';
import { badRequest } from '../http/errors';
import type { ReferenceIndex } from '../sync/mutations';
import { loadRoutingRules, replaceRoutingRules } from './rules';

const RulesBody = z.strictObject({ rules: z.array(RoutingRuleSchema).min(1).max(2000) });

/**
 * Routing rules: every signed-in desk reads them (to preview "where would this go?" even
 * offline); only admins replace them, and only with a consistent set.
 */
export function registerRoutingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  reference: ReferenceIndex,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/routing/rules', async (request, reply) => {
    authOf(request);
    const rules = await loadRoutingRules(deps.db);
    const etag = `"${createHash('sha256').update(JSON.stringify(rules)).digest('base64url').slice(0, 27)}"`;
    void reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return { rules };
  });

  r.put(
    '/admin/routing-rules',
    {
      // Routing decides where every organisation's ŞÖKs go: system administrators only.
      onRequest: requireSystemAdmin(deps.config.workflow.callCentreOrg),
      schema: { body: RulesBody },
    },
    async (request) => {
      const auth = authOf(request);
      const problems = ruleProblems(request.body.rules, {
        orgs: reference.orgs,
        topics: reference.allTopics,
        districts: reference.districts,
      });
      if (problems.length > 0) {
        throw badRequest(`Inconsistent routing rules: ${problems.join('; ')}`, {
          rules: problems.join(' · '),
        });
      }
      await withWriteLock(deps.db, (trx) =>
        replaceRoutingRules(trx, request.body.rules, auth.user.id, deps.clock().toISOString()),
      );
      request.log.info(
        { userId: auth.user.id, count: request.body.rules.length },
        'routing rules replaced',
      );
      return { rules: await loadRoutingRules(deps.db) };
    },
  );
}
