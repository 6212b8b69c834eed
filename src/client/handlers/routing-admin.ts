import { z } from 'zod';
import { RoutingRuleSchema, suggestRoute, type RoutingContext } from '../../domain/routing';
import { RoutingHistoryResponseSchema } from '../../domain/routing-history';
import type { Handlers } from '../dispatcher';
import { readReferenceData } from '../store/reference-repo';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

const RulesResponse = z.object({ rules: z.array(RoutingRuleSchema) });
const SavedResponse = z.object({ rules: z.array(RoutingRuleSchema), version: z.number().int() });

/**
 * The administrator's routing screen (issue #17 item 12): rules, history and rollback go straight
 * to the central API (never offline); the test runs `suggestRoute` — the intake's own function —
 * over the draft rules with this desk's reference data.
 */
export function routingAdminHandlers({ api, db }: HandlerDeps) {
  const orgName = db.prepare('SELECT name FROM organisation WHERE code = ?').pluck();
  const context = (): RoutingContext => {
    const ref = readReferenceData(db);
    return {
      districtOrg: new Map(
        ref.organisations.flatMap((o) =>
          o.kind === 'district-municipality' && o.districtCode
            ? [[o.districtCode, o.code] as const]
            : [],
        ),
      ),
      topicParent: new Map(ref.topics.map((x) => [x.code, x.parentCode])),
    };
  };
  return {
    'admin.routing.get': async () =>
      RulesResponse.parse(await viaApi(() => api.call('GET', '/routing/rules'))).rules,
    'admin.routing.save': async ({ rules }) =>
      SavedResponse.parse(await viaApi(() => api.call('PUT', '/admin/routing-rules', { rules }))),
    'admin.routing.history': async () =>
      RoutingHistoryResponseSchema.parse(
        await viaApi(() => api.call('GET', '/admin/routing-rules/history')),
      ).versions,
    'admin.routing.version': async ({ version }) =>
      RulesResponse.parse(
        await viaApi(() => api.call('GET', `/admin/routing-rules/history/${version}`)),
      ).rules,
    'admin.routing.rollback': async ({ version }) =>
      SavedResponse.parse(
        await viaApi(() => api.call('POST', '/admin/routing-rules/rollback', { version })),
      ),
    'admin.routing.test': ({ rules, ...input }) => {
      const s = suggestRoute(rules, input, context());
      return s === null
        ? null
        : { ...s, targetName: (orgName.get(s.targetOrg) as string | undefined) ?? s.targetOrg };
    },
  } satisfies Partial<Handlers>;
}
