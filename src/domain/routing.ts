import { z } from 'zod';
import { text } from './text-input';
import { foldTurkish } from './text';

/**
 * Routing: which organisation must act on a ŞÖK, by its topic and place. Rules are data an admin
 * edits (Law 5216's split between metropolitan and district duties is not clear-cut), never code.
 *
 * A rule matches a topic (a leaf, or a root that covers its children, or '*' for any), a district
 * (or any) and optionally a place: words that must appear in the mahalle or address ("bulvarı",
 * "meydanı"). The most specific matching rule wins; among equals, the lower priority number.
 * The target is an organisation code, or DISTRICT_TARGET: the municipality of the ŞÖK's district.
 */
export const DISTRICT_TARGET = '@ilce';
export const ANY_TOPIC = '*';

const code = text({ min: 1, max: 64, trim: false });

export const RoutingRuleSchema = z.strictObject({
  id: text({ min: 1, max: 64, trim: false }),
  topic: code,
  district: code.nullable(),
  /** Folded words; the rule matches when any of them occurs in the mahalle or address. */
  place: z
    .array(text({ min: 2, max: 60, trim: false }))
    .max(20)
    .nullable(),
  target: code,
  priority: z.number().int().min(0).max(1000).default(100),
  note: text({ max: 300, trim: false }).default(''),
});
export type RoutingRule = z.output<typeof RoutingRuleSchema>;
export type RoutingRuleInput = z.input<typeof RoutingRuleSchema>;

export const RoutingRulesFileSchema = z.strictObject({
  version: z.number().int().positive(),
  rules: z.array(RoutingRuleSchema).min(1),
});

export interface RoutingContext {
  /** Organisation codes by district: the district municipality each DISTRICT_TARGET becomes. */
  districtOrg: ReadonlyMap<string, string>;
  /** Parent of each topic code (null for roots). */
  topicParent: ReadonlyMap<string, string | null>;
}

export interface RouteInput {
  topicCode: string;
  districtCode: string;
  mahalle: string;
  address: string;
}

export interface RouteSuggestion {
  targetOrg: string;
  ruleId: string;
  /** Why, in Turkish, for the agent: "Konu ve ilçe kuralı: …". */
  explanation: string;
}

function specificity(rule: RoutingRule, input: RouteInput): number {
  const topic = rule.topic === input.topicCode ? 2 : rule.topic === ANY_TOPIC ? 0 : 1;
  return (rule.place ? 8 : 0) + (rule.district ? 4 : 0) + topic;
}

function topicMatches(rule: RoutingRule, input: RouteInput, ctx: RoutingContext): boolean {
  if (rule.topic === ANY_TOPIC || rule.topic === input.topicCode) return true;
  // A root rule covers its children.
  for (let t = ctx.topicParent.get(input.topicCode); t; t = ctx.topicParent.get(t) ?? null) {
    if (t === rule.topic) return true;
  }
  return false;
}

function placeMatches(rule: RoutingRule, input: RouteInput): boolean {
  if (!rule.place) return true;
  const text = foldTurkish(`${input.mahalle} ${input.address}`);
  return rule.place.some((word) => text.includes(foldTurkish(word)));
}

export function resolveTarget(
  target: string,
  districtCode: string,
  ctx: RoutingContext,
): string | null {
  return target === DISTRICT_TARGET ? (ctx.districtOrg.get(districtCode) ?? null) : target;
}

/** The organisation the rules send this ŞÖK to, or null when no rule matches. */
export function suggestRoute(
  rules: readonly RoutingRule[],
  input: RouteInput,
  ctx: RoutingContext,
): RouteSuggestion | null {
  const candidates = rules
    .filter(
      (r) =>
        (r.district === null || r.district === input.districtCode) &&
        topicMatches(r, input, ctx) &&
        placeMatches(r, input),
    )
    .sort(
      (a, b) =>
        specificity(b, input) - specificity(a, input) ||
        a.priority - b.priority ||
        a.id.localeCompare(b.id),
    );
  for (const rule of candidates) {
    const targetOrg = resolveTarget(rule.target, input.districtCode, ctx);
    if (targetOrg === null) continue;
    const parts = [
      rule.topic === ANY_TOPIC ? 'her konu' : `konu ${rule.topic}`,
      rule.district ? `ilçe ${rule.district}` : 'her ilçe',
      ...(rule.place ? [`yer: ${rule.place.join(', ')}`] : []),
    ];
    return {
      targetOrg,
      ruleId: rule.id,
      explanation: `Kural ${rule.id} (${parts.join('; ')})${rule.note ? `: ${rule.note}` : ''}`,
    };
  }
  return null;
}

/** Checks a rule set against the organisations and topics that exist; returns Turkish problems. */
export function ruleProblems(
  rules: readonly RoutingRule[],
  known: { orgs: ReadonlySet<string>; topics: ReadonlySet<string>; districts: ReadonlySet<string> },
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) problems.push(`${r.id}: kural kimliği yinelenmiş`);
    ids.add(r.id);
    if (r.topic !== ANY_TOPIC && !known.topics.has(r.topic))
      problems.push(`${r.id}: bilinmeyen konu ${r.topic}`);
    if (r.district !== null && !known.districts.has(r.district))
      problems.push(`${r.id}: bilinmeyen ilçe ${r.district}`);
    if (r.target !== DISTRICT_TARGET && !known.orgs.has(r.target))
      problems.push(`${r.id}: bilinmeyen kurum ${r.target}`);
  }
  if (!rules.some((r) => r.topic === ANY_TOPIC && r.district === null && r.place === null)) {
    problems.push('Her ŞÖK bir yere gitmeli: konu "*" ve ilçe boş olan bir genel kural gerekli');
  }
  return problems;
}
