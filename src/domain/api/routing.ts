import { z } from 'zod';
import { RoutingRuleSchema } from '../routing';
import { RoutingHistoryResponseSchema } from '../routing-history';
import { endpoint } from './endpoint';

/** Routing rules: read by every desk, replaced and rolled back by system administrators. */

// A version number fits the databases' integer column (PostgreSQL int4): beyond it is a 400.
const Version = z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
const RulesInForce = z.object({ rules: z.array(RoutingRuleSchema), version: z.number().int() });

export const routing = {
  /** Answers 304 (no body) when the rules still have the `if-none-match` ETag. */
  rules: endpoint('GET', '/routing/rules', {
    response: z.object({ rules: z.array(RoutingRuleSchema) }),
  }),
  replace: endpoint('PUT', '/admin/routing-rules', {
    body: z.strictObject({ rules: z.array(RoutingRuleSchema).min(1).max(2000) }),
    response: RulesInForce,
  }),
  history: endpoint('GET', '/admin/routing-rules/history', {
    response: RoutingHistoryResponseSchema,
  }),
  version: endpoint('GET', '/admin/routing-rules/history/:version', {
    params: Version,
    response: RulesInForce,
  }),
  rollback: endpoint('POST', '/admin/routing-rules/rollback', {
    body: Version,
    response: RulesInForce,
  }),
};
