import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoutingRuleSchema, ruleProblems, type RoutingRule } from '../../domain/routing';
import type { AppDeps } from '../app-deps';
import { requireSystemAdmin } from '../admin/authority';
import { authOf } from '../auth/context';
import { withWriteLock } from '../db/write-lock';
import { badRequest, notFound } from '../http/errors';
import type { ReferenceIndex } from '../sync/mutations';
import {
  currentRoutingVersion,
  loadRoutingRules,
  recordRoutingVersion,
  replaceRoutingRules,
  routingHistory,
  routingVersionRules,
} from './rules';

const RulesBody = z.strictObject({ rules: z.array(RoutingRuleSchema).min(1).max(2000) });
// A version number fits the databases' integer column (PostgreSQL int4): beyond it is a 400.
const VersionParams = z.strictObject({
  version: z.coerce.number().int().min(1).max(2_147_483_647),
});

/**
 * Routing rules: every signed-in desk reads them (to preview "where would this go?" even
 * offline); only BİKOM's administrators replace them, only with a consistent set, and every
 * set in force is kept as a version (who, when, what changed) that can be rolled back to.
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

  // Routing decides where every organisation's ŞÖKs go: system administrators (BİKOM's) only.
  const systemAdmin = { onRequest: requireSystemAdmin(deps.config.workflow.callCentreOrg) };

  const check = (rules: RoutingRule[]) => {
    const problems = ruleProblems(rules, {
      orgs: reference.orgs,
      topics: reference.allTopics,
      districts: reference.districts,
    });
    if (problems.length > 0) {
      throw badRequest(`Inconsistent routing rules: ${problems.join('; ')}`, {
        rules: problems.join(' · '),
      });
    }
  };

  /** Puts `rules` in force and records the version, the baseline first if none was recorded. */
  const putInForce = async (
    rules: RoutingRule[],
    userId: string,
    how: { action: 'edit' | 'rollback'; to?: number },
  ) => {
    const at = deps.clock().toISOString();
    return withWriteLock(deps.db, async (trx) => {
      if ((await currentRoutingVersion(trx)) === null) {
        await recordRoutingVersion(trx, await loadRoutingRules(trx), {
          action: 'seed',
          by: null,
          at,
        });
      }
      await replaceRoutingRules(trx, rules, userId, at);
      return recordRoutingVersion(trx, rules, { ...how, by: userId, at });
    });
  };

  r.put(
    '/admin/routing-rules',
    { ...systemAdmin, schema: { body: RulesBody } },
    async (request) => {
      const auth = authOf(request);
      check(request.body.rules);
      const version = await putInForce(request.body.rules, auth.user.id, { action: 'edit' });
      request.log.info(
        { userId: auth.user.id, count: request.body.rules.length, version },
        'routing rules replaced',
      );
      return { rules: await loadRoutingRules(deps.db), version };
    },
  );

  r.get('/admin/routing-rules/history', systemAdmin, async () => ({
    versions: await routingHistory(deps.db),
  }));

  r.get(
    '/admin/routing-rules/history/:version',
    { ...systemAdmin, schema: { params: VersionParams } },
    async (request) => {
      const rules = await routingVersionRules(deps.db, request.params.version);
      if (rules === null) throw notFound(`No routing rule version ${request.params.version}.`);
      return { rules, version: request.params.version };
    },
  );

  r.post(
    '/admin/routing-rules/rollback',
    { ...systemAdmin, schema: { body: VersionParams } },
    async (request) => {
      const auth = authOf(request);
      const { version: to } = request.body;
      const rules = await routingVersionRules(deps.db, to);
      if (rules === null) throw notFound(`No routing rule version ${to}.`);
      // The reference data may have changed since: an inconsistent old set is refused.
      check(rules);
      const version = await putInForce(rules, auth.user.id, { action: 'rollback', to });
      request.log.info({ userId: auth.user.id, to, version }, 'routing rules rolled back');
      return { rules: await loadRoutingRules(deps.db), version };
    },
  );
}
