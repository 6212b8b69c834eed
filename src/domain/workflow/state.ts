import { z } from 'zod';
import { type Calendar, type CallingHours, DEFAULT_CALLING_HOURS } from '../calendar/calendar';

/**
 * The life of a ŞÖK after registration, as one pure state machine that the server enforces and
 * the clients apply optimistically (so the screen and the server never disagree about what is
 * allowed):
 *
 *   registered → routed → accepted (in evaluation) → decided → informed → closed
 *
 * plus forwarding (re-route), return to BİKOM as misrouted, and reopening. A decision creates the
 * mandated **callback** task, owned by the deciding organisation: staff claim it, log attempts,
 * and it ends either with the citizen reached or — after the last failed attempt — with the
 * decision sent in writing ("ulaşılamadı"). Every transition yields timeline events (who, which
 * organisation, when, note) and the side effects the server must carry out in the same
 * transaction (messages to the citizen, the e-mail to the other side).
 */

export const SokStatusSchema = z.enum([
  'registered',
  'routed',
  'accepted',
  'decided',
  'informed',
  'closed',
]);
export type SokStatus = z.infer<typeof SokStatusSchema>;

export const DECISION_KINDS = ['will-do', 'wont-do', 'already-done', 'not-ours'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Why something will not be done: the category (its name is in ./texts). */
export const WONT_DO_REASON_CODES = [
  'budget',
  'plan',
  'law',
  'private',
  'technical',
  'priority',
  'other',
] as const;
export type WontDoReason = (typeof WONT_DO_REASON_CODES)[number];

/** How a callback attempt went (names in ./texts). */
export const ATTEMPT_OUTCOME_CODES = [
  'reached',
  'no-answer',
  'busy',
  'unreachable',
  'wrong-number',
  'voicemail',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOME_CODES)[number];

export const DecisionSchema = z.strictObject({
  kind: z.enum(DECISION_KINDS),
  /** will-do: the date (YYYY-MM-DD) it will be done by. */
  plannedDate: z.string().nullable(),
  /** wont-do: the reason category. */
  reasonCategory: z.enum(WONT_DO_REASON_CODES).nullable(),
  /** What the citizen is told in detail (required for wont-do and not-ours). */
  explanation: z.string(),
  /** not-ours: the body the citizen should turn to. */
  referralBody: z.string().nullable(),
  decidedBy: z.string(),
  decidedByName: z.string(),
  decidedOrg: z.string(),
  decidedAt: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const CALLBACK_STATES = ['open', 'done', 'unreachable', 'cancelled'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

export const CallbackSchema = z.strictObject({
  ownerOrg: z.string(),
  state: z.enum(CALLBACK_STATES),
  /** Why the task exists: a decision to tell, or a missed inbound call to return. */
  origin: z.enum(['decision', 'missed-call']),
  createdAt: z.string(),
  dueAt: z.string(),
  closedAt: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  lastAttemptAt: z.string().nullable(),
  lastOutcome: z.enum(ATTEMPT_OUTCOME_CODES).nullable(),
  claimedBy: z.string().nullable(),
  claimedByName: z.string().nullable(),
  claimUntil: z.string().nullable(),
  /** 0 on time; 1 flagged to the organisation's supervisor; 2 to BİKOM's supervisors. */
  escalation: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export type Callback = z.infer<typeof CallbackSchema>;

/** What the state machine needs of a ŞÖK. */ /** What the state machine needs of a ŞÖK: who has it, where it stands, why it went there. */
export interface WorkflowState {
  status: SokStatus;
  originOrg: string;
  targetOrg: string | null;
  /** The routing rule that chose targetOrg; null when a person chose it … */
  routeRuleId: string | null;
  /** … for this reason. */
  routeReason: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
  decision: Decision | null;
  callback: Callback | null;
}

export interface Actor {
  userId: string;
  displayName: string;
  orgCode: string;
  orgKind: string;
  role: string;
}

export interface CallbackPolicy {
  /** Minimum minutes between two attempts on the same callback. */
  minAttemptIntervalMinutes: number;
  /** Attempts before the written fallback. */
  maxAttempts: number;
  callingHours: CallingHours;
  /** How long a claim holds before the task returns to the pool. */
  claimMinutes: number;
  /** Working days from decision to callback due date, when the topic sets none. */
  defaultWorkingDays: number;
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = {
  minAttemptIntervalMinutes: 60,
  maxAttempts: 3,
  callingHours: DEFAULT_CALLING_HOURS,
  claimMinutes: 240,
  defaultWorkingDays: 2,
};

export const CallbackPolicySchema = z.strictObject({
  minAttemptIntervalMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  maxAttempts: z.number().int().min(1).max(20),
  callingHours: z.strictObject({
    start: z.string(),
    end: z.string(),
    onWeekends: z.boolean(),
    onHolidays: z.boolean(),
  }),
  claimMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  defaultWorkingDays: z.number().int().min(0).max(60),
});

export interface MachineContext {
  actor: Actor;
  now: Date;
  /** BİKOM's organisation code: where misrouted ŞÖKs return. */
  callCentreOrg: string;
  calendar: Calendar;
  policy: CallbackPolicy;
  /** Working days for this ŞÖK's topic (null: the policy's default). */
  topicWorkingDays: number | null;
  /** Organisation names, for timeline notes. */
  orgName: (code: string) => string;
  /** Whether an organisation code is in the reference data (a ŞÖK is routed only to one). */
  orgExists: (code: string) => boolean;
  /**
   * Whether an organisation works outside the app (UEDAŞ, Bursagaz…: reached by e-mail,
   * docs/mailbox.md). The call centre records the decision for it from its answer.
   */
  isExternalOrg: (code: string) => boolean;
}
