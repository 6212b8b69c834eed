import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import {
  RoutingRuleSchema,
  RoutingRulesFileSchema,
  type RoutingContext,
  type RoutingRule,
} from '../../domain/routing';
import { diffRules, RuleChangesSchema, type RoutingVersion } from '../../domain/routing-history';
import type { Database } from '../db/schema';

/** Routing context from the reference data: district → its municipality, topic → parent. */
export function routingContext(reference: ReferenceData): RoutingContext {
  return {
    districtOrg: new Map(
      reference.organisations.flatMap((o) =>
        o.kind === 'district-municipality' && o.districtCode
          ? [[o.districtCode, o.code] as const]
          : [],
      ),
    ),
    topicParent: new Map(reference.topics.map((t) => [t.code, t.parentCode])),
  };
}

export function readRoutingFile(file: string): RoutingRule[] {
  return RoutingRulesFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).rules;
}

/** Seeds the shipped rules when the table is empty; an admin's rules are never overwritten. */
export async function seedRoutingRules(
  db: Kysely<Database>,
  rules: readonly RoutingRule[],
  now: string,
): Promise<void> {
  const existing = await db
    .selectFrom('routing_rule')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return;
  await replaceRoutingRules(db, rules, null, now);
  await recordRoutingVersion(db, rules, { action: 'seed', by: null, at: now });
}

export async function replaceRoutingRules(
  db: Kysely<Database>,
  rules: readonly RoutingRule[],
  userId: string | null,
  now: string,
): Promise<void> {
  await db.deleteFrom('routing_rule').execute();
  if (rules.length === 0) return;
  await db
    .insertInto('routing_rule')
    .values(
      rules.map((r) => ({
        id: r.id,
        topic: r.topic,
        district: r.district,
        place: r.place === null ? null : JSON.stringify(r.place),
        target: r.target,
        priority: r.priority,
        note: r.note,
        updated_by: userId,
        updated_at: now,
      })),
    )
    .execute();
}

export async function loadRoutingRules(db: Kysely<Database>): Promise<RoutingRule[]> {
  const rows = await db.selectFrom('routing_rule').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    district: r.district,
    place: r.place === null ? null : (JSON.parse(r.place) as string[]),
    target: r.target,
    priority: Number(r.priority),
    note: r.note,
  }));
}

/** The version in force (the newest), or null before any was recorded. */
export async function currentRoutingVersion(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('routing_rule_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return row?.v === null || row?.v === undefined ? null : Number(row.v);
}

/**
 * Records `rules` as the next version (in the caller's transaction, after they were put in force),
 * with what changed against the version before.
 */
export async function recordRoutingVersion(
  db: Kysely<Database>,
  rules: readonly RoutingRule[],
  how: { action: 'seed' | 'edit' | 'rollback'; by: string | null; at: string; to?: number },
): Promise<number> {
  const current = await currentRoutingVersion(db);
  const before = current === null ? [] : await routingVersionRules(db, current);
  const version = (current ?? 0) + 1;
  await db
    .insertInto('routing_rule_version')
    .values({
      version,
      rules: JSON.stringify(rules),
      action: how.action,
      rolled_back_to: how.to ?? null,
      changed_by: how.by,
      changed_at: how.at,
      changes: JSON.stringify(diffRules(before ?? [], rules)),
    })
    .execute();
  return version;
}

/** The rules of one version, or null when there is no such version. */
export async function routingVersionRules(
  db: Kysely<Database>,
  version: number,
): Promise<RoutingRule[] | null> {
  const row = await db
    .selectFrom('routing_rule_version')
    .select('rules')
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? RoutingRuleSchema.array().parse(JSON.parse(row.rules)) : null;
}

/** Every version, newest first, with who made it (name) and what changed. */
export async function routingHistory(db: Kysely<Database>): Promise<RoutingVersion[]> {
  const rows = await db
    .selectFrom('routing_rule_version as v')
    .leftJoin('app_user as u', 'u.id', 'v.changed_by')
    .select([
      'v.version',
      'v.action',
      'v.rolled_back_to',
      'v.changed_by',
      'u.display_name',
      'v.changed_at',
      'v.rules',
      'v.changes',
    ])
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    action: r.action,
    rolledBackTo: r.rolled_back_to === null ? null : Number(r.rolled_back_to),
    changedBy: r.changed_by,
    changedByName: r.display_name ?? null,
    changedAt: r.changed_at,
    ruleCount: (JSON.parse(r.rules) as unknown[]).length,
    changes: RuleChangesSchema.parse(JSON.parse(r.changes)),
  }));
}
