import type { MessageKey } from '../i18n/tr';
import { suggestRoute, type RoutingContext, type RoutingRule } from '../routing';
import { REGISTERING_ROLES, type Role } from '../session';
import type { CommandRefusal } from './refusal';
import type { Actor, WorkflowState } from './state';
import type { TimelineEntry } from './transitions';

/**
 * The commands that bring a ŞÖK (or another caller about one) into the system: registering it
 * and routing it at once, and adding a contact. Pure, like the transitions: the desk runs them
 * before it stores its optimistic copy, the server before it stores the real one.
 */

/** Which reference codes exist: the desk asks its SQLite copy, the server its index. */
export interface ReferenceCheck {
  type(code: string): boolean;
  channel(code: string): boolean;
  /** A topic a ŞÖK can have. */
  topic(code: string): boolean;
  district(code: string): boolean;
  org(code: string): boolean;
}

export interface RegisterInput {
  typeCode: string;
  channelCode: string;
  topicCode: string;
  districtCode: string;
  mahalle: string;
  address: string;
  /** The organisation the agent chose; null takes the rules' suggestion. */
  targetOrg: string | null;
  /**
   * The rule whose suggestion the agent's screen showed and kept (a desk's push); the agent's
   * choice then stands even when the rules changed meanwhile.
   */
  routeRuleId: string | null;
  /** Why the agent went against the rules (required then). */
  routeReason: string;
  kvkkNoticeGiven: boolean;
}

export interface RegisterContext {
  actor: Actor;
  knows: ReferenceCheck;
  rules: readonly RoutingRule[];
  routing: RoutingContext;
  orgName: (code: string) => string;
}

export interface Registered {
  ok: true;
  /** Where the new ŞÖK stands: registered, or routed with its rule or reason. */
  state: WorkflowState;
  /** The timeline of the registration, once the ŞÖK has its number. */
  events: (regNo: string) => TimelineEntry[];
}

const REFERENCE_FIELDS = [
  ['typeCode', 'type', 'error.unknownType'],
  ['channelCode', 'channel', 'error.unknownChannel'],
  ['topicCode', 'topic', 'error.unknownTopic'],
  ['districtCode', 'district', 'error.unknownDistrict'],
] as const satisfies readonly (readonly [keyof RegisterInput, keyof ReferenceCheck, MessageKey])[];

/** Registers a ŞÖK: who may, which codes exist, and where it goes (the rules, or a reason). */
export function register(input: RegisterInput, ctx: RegisterContext): Registered | CommandRefusal {
  if (!REGISTERING_ROLES.has(ctx.actor.role as Role)) {
    return { ok: false, code: 'forbidden', key: 'error.roleCannotRegister' };
  }
  const fields: Record<string, MessageKey> = {};
  for (const [field, check, message] of REFERENCE_FIELDS) {
    if (!ctx.knows[check](input[field])) fields[field] = message;
  }
  if (input.targetOrg !== null && !ctx.knows.org(input.targetOrg)) {
    fields.targetOrg = 'error.unknownOrganisation';
  }
  if (Object.keys(fields).length > 0) {
    return { ok: false, code: 'validation', key: 'validation.invalid', fields };
  }

  // Routing: the rules' suggestion unless the agent chose otherwise, which needs a reason. The
  // agent's screen may have shown older rules; their choice stands, with its rule or reason.
  // A ŞÖK that goes nowhere (no rule, no choice) needs the reason too.
  const suggestion = suggestRoute(ctx.rules, input, ctx.routing);
  const targetOrg = input.targetOrg ?? suggestion?.targetOrg ?? null;
  const followsRule =
    (input.routeRuleId !== null && input.targetOrg !== null) ||
    (suggestion !== null && targetOrg === suggestion.targetOrg);
  if (!followsRule && input.routeReason.length < 5) {
    return {
      ok: false,
      code: 'validation',
      key: 'validation.invalid',
      fields: { routeReason: 'validation.routeReasonRequired' },
    };
  }
  const routeRuleId = followsRule ? (input.routeRuleId ?? suggestion?.ruleId ?? null) : null;
  const routeReason = followsRule ? '' : input.routeReason;
  const state: WorkflowState = {
    status: targetOrg === null ? 'registered' : 'routed',
    originOrg: ctx.actor.orgCode,
    targetOrg,
    routeRuleId,
    routeReason,
    acceptedBy: null,
    acceptedAt: null,
    decision: null,
    callback: null,
  };
  return {
    ok: true,
    state,
    events: (regNo) => {
      const events: TimelineEntry[] = [
        {
          kind: 'registered',
          note: `Kayıt numarası ${regNo}`,
          data: { channel: input.channelCode, kvkkNotice: input.kvkkNoticeGiven },
        },
      ];
      if (targetOrg !== null) {
        const name = ctx.orgName(targetOrg);
        events.push({
          kind: 'routed',
          note: followsRule
            ? `${name} (${suggestion?.explanation ?? routeRuleId ?? ''})`
            : `${name}: ${routeReason}`,
          data: { targetOrg, ruleId: routeRuleId, reason: followsRule ? null : routeReason },
        });
      }
      return events;
    },
  };
}

/** Another caller about the same problem: recorded on the open ŞÖK instead of a duplicate. */
export function addContact(
  input: { citizenName: string; citizenPhone: string; note: string },
  actor: Actor,
): { ok: true; events: TimelineEntry[] } | CommandRefusal {
  if (!REGISTERING_ROLES.has(actor.role as Role)) {
    return { ok: false, code: 'forbidden', key: 'error.roleCannotAddContact' };
  }
  return {
    ok: true,
    events: [
      {
        kind: 'contact',
        note: `${input.citizenName}${input.note ? `: ${input.note}` : ''}`,
        data: { citizenName: input.citizenName, citizenPhone: input.citizenPhone },
      },
    ],
  };
}
