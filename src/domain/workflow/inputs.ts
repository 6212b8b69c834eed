import { z } from 'zod';
import { t, type MessageKey } from '../i18n/tr';
import { text } from '../text-input';
import { ATTEMPT_OUTCOME_CODES, DECISION_KINDS, WONT_DO_REASON_CODES } from './state';

/** What each workflow command takes: the payload schemas (shared by desk and server) and actions. */

const sokId = z.uuid();
const reason = text({
  min: 5,
  max: 1000,
  messages: {
    required: t('workflow.reasonTooShort'),
    tooShort: t('workflow.reasonTooShort'),
    tooLong: t('workflow.reasonTooLong'),
  },
});

export const AcceptPayloadSchema = z.strictObject({ sokId });
export const ReturnPayloadSchema = z.strictObject({ sokId, reason });
export const ReopenPayloadSchema = z.strictObject({ sokId, reason });
export const ClosePayloadSchema = z.strictObject({
  sokId,
  note: text({
    min: 2,
    max: 1000,
    messages: {
      required: t('workflow.closeNoteRequired'),
      tooShort: t('workflow.closeNoteRequired'),
    },
  }),
});

export const DecidePayloadSchema = z
  .strictObject({
    sokId,
    kind: z.enum(DECISION_KINDS),
    plannedDate: z.iso.date(t('workflow.plannedDateFormat')).nullable().default(null),
    reasonCategory: z.enum(WONT_DO_REASON_CODES).nullable().default(null),
    explanation: text({
      max: 2000,
      messages: { tooLong: t('workflow.explanationTooLong') },
    }),
    referralBody: text({ max: 160 }).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    const need = (path: string, key: MessageKey) =>
      ctx.addIssue({ code: 'custom', path: [path], message: t(key) });
    if (d.kind === 'will-do' && d.plannedDate === null) {
      need('plannedDate', 'workflow.plannedDateRequired');
    }
    if (d.kind === 'wont-do') {
      if (d.reasonCategory === null) need('reasonCategory', 'workflow.reasonCategoryRequired');
      if (d.explanation.length < 20) {
        need('explanation', 'workflow.wontDoExplanation');
      }
    }
    if (d.kind === 'not-ours') {
      if (!d.referralBody || d.referralBody.length < 2) {
        need('referralBody', 'workflow.referralBodyRequired');
      }
      if (d.explanation.length < 10) need('explanation', 'workflow.notOursExplanation');
    }
  });
export type DecidePayload = z.output<typeof DecidePayloadSchema>;

export const ClaimPayloadSchema = z.strictObject({ sokId });
/** A supervisor hands an open callback to one person of the owning organisation. */
export const AssignPayloadSchema = z.strictObject({
  sokId,
  userId: text({ min: 1, max: 64, trim: false }),
});
export type AssignPayload = z.output<typeof AssignPayloadSchema>;
/** A supervisor raises an open callback one level before the sweeper would. */
export const EscalatePayloadSchema = z.strictObject({ sokId, reason });
export const ReleasePayloadSchema = z.strictObject({ sokId });
export const AttemptPayloadSchema = z.strictObject({
  sokId,
  /** When the call was made (client clock; the server refuses times in the future). */
  at: z.iso.datetime(),
  outcome: z.enum(ATTEMPT_OUTCOME_CODES),
  /** What was said (required when the citizen was reached). */
  note: text({ max: 2000 }),
  /** The call in the call log, when the softphone made it: the attempt's evidence. */
  callId: z.uuid().nullable().default(null),
  /** That call's SIP Call-ID (checked against the call log by the server). */
  sipCallId: text({ min: 1, max: 255, trim: false }).nullable().default(null),
});
export type AttemptPayload = z.output<typeof AttemptPayloadSchema>;

export type Action =
  | { type: 'accept' }
  | { type: 'return'; reason: string }
  /** Send it to another organisation (re-route), with the reason. */
  | { type: 'route'; targetOrg: string; reason: string }
  | { type: 'decide'; decision: Omit<DecidePayload, 'sokId'> }
  | { type: 'claim' }
  | { type: 'release' }
  /**
   * A supervisor gives an open callback to a named person (the server resolves `userId` to the
   * person's name and organisation before the machine sees it).
   */
  | { type: 'assign'; assignee: { userId: string; displayName: string; orgCode: string } }
  /** A supervisor flags an open callback one level up now, with a reason (due or not). */
  | { type: 'escalate-now'; reason: string }
  | {
      type: 'attempt';
      attempt: Omit<AttemptPayload, 'sokId' | 'sipCallId'> & { sipCallId?: string | null };
    }
  | { type: 'close'; note: string }
  | { type: 'reopen'; reason: string }
  /** System: a claim whose time ran out returns the task to the pool. */
  | { type: 'expire-claim' }
  /** System: an overdue callback is flagged one level up. */
  | { type: 'escalate'; level: 1 | 2 };
