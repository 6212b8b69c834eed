import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import {
  RoutingRulesFileSchema,
  type RoutingContext,
  type RoutingRule,
} from '../../domain/routing';
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
