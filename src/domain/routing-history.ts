import { z } from 'zod';
import { RoutingRuleSchema, type RoutingRule } from './routing';

/**
 * The routing rules' history (issue #17 item 12): every set of rules that was in force, numbered,
 * with who put it in force, when, how, and what changed against the version before.
 */
export const RuleChangesSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
});
export type RuleChanges = z.infer<typeof RuleChangesSchema>;

export const RoutingVersionSchema = z.object({
  version: z.number().int(),
  action: z.enum(['seed', 'edit', 'rollback']),
  rolledBackTo: z.number().int().nullable(),
  changedBy: z.string().nullable(),
  changedByName: z.string().nullable(),
  changedAt: z.string(),
  ruleCount: z.number().int(),
  changes: RuleChangesSchema,
});
export type RoutingVersion = z.infer<typeof RoutingVersionSchema>;

export const RoutingHistoryResponseSchema = z.object({ versions: z.array(RoutingVersionSchema) });
export type RoutingHistoryResponse = z.infer<typeof RoutingHistoryResponseSchema>;

export const RoutingRulesResponseSchema = z.object({
  rules: z.array(RoutingRuleSchema),
  version: z.number().int().nullable(),
});
export type RoutingRulesResponse = z.infer<typeof RoutingRulesResponseSchema>;

const FIELDS = ['topic', 'district', 'place', 'target', 'priority', 'note'] as const;

/** What changed from `before` to `after`, rule by rule (by id), fields named. */
export function diffRules(
  before: readonly RoutingRule[],
  after: readonly RoutingRule[],
): RuleChanges {
  const old = new Map(before.map((r) => [r.id, r]));
  const now = new Map(after.map((r) => [r.id, r]));
  const changed: RuleChanges['changed'] = [];
  for (const [id, rule] of now) {
    const was = old.get(id);
    if (!was) continue;
    const fields = FIELDS.filter((f) => JSON.stringify(was[f]) !== JSON.stringify(rule[f]));
    if (fields.length > 0) changed.push({ id, fields: [...fields] });
  }
  return {
    added: [...now.keys()].filter((id) => !old.has(id)).sort(),
    removed: [...old.keys()].filter((id) => !now.has(id)).sort(),
    changed: changed.sort((a, b) => a.id.localeCompare(b.id)),
  };
}
