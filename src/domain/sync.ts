import { z } from 'zod';
import { text } from './text-input';
import {
  AgentCallPayloadSchema,
  AgentStatePayloadSchema,
  CallLogPayloadSchema,
  CallWrapUpPayloadSchema,
} from './call';
import { t } from './i18n/tr';
import {
  AcceptPayloadSchema,
  AttemptPayloadSchema,
  ClaimPayloadSchema,
  ClosePayloadSchema,
  DecidePayloadSchema,
  ReleasePayloadSchema,
  ReopenPayloadSchema,
  ReturnPayloadSchema,
} from './workflow/inputs';
import { CallbackSchema, DecisionSchema, SokStatusSchema } from './workflow/state';
import { CONTACT_PREFERENCES, checkContact, sokDraftShape } from './sok';

/**
 * The sync protocol between a client core and the central API (docs/sync.md). Shared by both
 * sides so the wire format is declared once.
 */

/** A ŞÖK as it travels between client and server. */
export const SokWireSchema = z.strictObject({
  id: z.uuid(),
  regNo: z.string().regex(/^\d{4}-\d{4}$/),
  typeCode: z.string(),
  channelCode: z.string(),
  topicCode: z.string(),
  districtCode: z.string(),
  mahalle: z.string(),
  address: z.string(),
  description: z.string(),
  citizenName: z.string(),
  citizenPhone: z.string(),
  citizenEmail: z.string(),
  preferredContact: z.enum(CONTACT_PREFERENCES),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  kvkkNoticeBy: z.string().nullable(),
  kvkkNoticeAt: z.string().nullable(),
  smsConsent: z.boolean(),
  routeRuleId: z.string().nullable(),
  routeReason: z.string(),
  status: SokStatusSchema,
  originOrg: z.string(),
  targetOrg: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Who took it into evaluation, and when. */
  acceptedBy: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  decision: DecisionSchema.nullable(),
  /** The callback task the decision created (or a missed call), owned by an organisation. */
  callback: CallbackSchema.nullable(),
  /**
   * True when the citizen's name, phone and e-mail are masked for this reader (KVKK: in full only
   * for the organisations that took the request, evaluate it or own its callback).
   */
  contactMasked: z.boolean(),
});
export type SokWire = z.infer<typeof SokWireSchema>;

/**
 * Mutations are intents, not row images, so concurrent work composes. Each kind has its own
 * payload schema; the server applies it in one transaction with the client's mutation id.
 */
export const SokCreatePayloadSchema = z
  .strictObject({
    ...sokDraftShape,
    id: z.uuid(),
    /** Null when the client had no leased number left: the server assigns one. */
    regNo: z
      .string()
      .regex(/^\d{4}-\d{4}$/, 'registration number must look like 0012-3454')
      .nullable(),
    /** When the agent registered it (client clock; the server clamps it to its own "now"). */
    registeredAt: z.iso.datetime(),
    /** The rule whose suggestion the agent kept, or null with routeReason set (an override). */
    routeRuleId: text({ max: 64, trim: false }).nullable().default(null),
  })
  .superRefine(checkContact);
export type SokCreatePayload = z.output<typeof SokCreatePayloadSchema>;

export const SokRoutePayloadSchema = z.strictObject({
  sokId: z.uuid(),
  targetOrg: text({ min: 1, max: 64, trim: false }),
  reason: text({
    min: 5,
    max: 500,
    messages: {
      required: t('validation.routeReasonRequired'),
      tooShort: t('validation.routeReasonRequired'),
    },
  }),
});
export type SokRoutePayload = z.output<typeof SokRoutePayloadSchema>;

/** Another caller about an open ŞÖK: recorded on it instead of a duplicate. */
export const SokAddContactPayloadSchema = z.strictObject({
  sokId: z.uuid(),
  citizenName: text({ min: 2, max: 120 }),
  citizenPhone: text({ max: 40, trim: false }),
  note: text({ max: 1000 }).default(''),
});

export const mutationPayloads = {
  'sok.create': SokCreatePayloadSchema,
  'sok.route': SokRoutePayloadSchema,
  'sok.addContact': SokAddContactPayloadSchema,
  'sok.accept': AcceptPayloadSchema,
  'sok.return': ReturnPayloadSchema,
  'sok.decide': DecidePayloadSchema,
  'sok.close': ClosePayloadSchema,
  'sok.reopen': ReopenPayloadSchema,
  'callback.claim': ClaimPayloadSchema,
  'callback.release': ReleasePayloadSchema,
  'callback.attempt': AttemptPayloadSchema,
  'call.log': CallLogPayloadSchema,
  'call.wrapUp': CallWrapUpPayloadSchema,
  'agent.state': AgentStatePayloadSchema,
  'agent.call': AgentCallPayloadSchema,
} as const;
export type MutationKind = keyof typeof mutationPayloads;
export const MUTATION_KINDS = Object.keys(mutationPayloads) as MutationKind[];

export const MutationSchema = z.strictObject({
  /** Per-client, strictly increasing, contiguous. */
  id: z.number().int().positive(),
  kind: z.enum(MUTATION_KINDS as [MutationKind, ...MutationKind[]]),
  payload: z.unknown(),
});
export type Mutation = z.infer<typeof MutationSchema>;

export const PushRequestSchema = z.strictObject({
  mutations: z.array(MutationSchema).min(1).max(500),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const MutationErrorSchema = z.strictObject({
  code: z.enum(['validation', 'forbidden', 'conflict', 'not-found']),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type MutationError = z.infer<typeof MutationErrorSchema>;

export const MutationResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ id: z.number().int(), status: z.literal('applied') }),
  z.strictObject({
    id: z.number().int(),
    status: z.literal('rejected'),
    error: MutationErrorSchema,
    /** The server's current state of the entity, when the caller may see it; null if none. */
    entity: SokWireSchema.nullable(),
  }),
]);
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.strictObject({
  results: z.array(MutationResultSchema),
  /** The highest mutation id the server has recorded for this client. */
  lastMutationId: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** One step on a ŞÖK's timeline: who (and which organisation) did what, when, and why. */
export const SokEventSchema = z.strictObject({
  id: z.string(),
  sokId: z.string(),
  kind: z.string(),
  actorId: z.string().nullable(),
  actorOrg: z.string().nullable(),
  at: z.string(),
  note: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type SokEvent = z.infer<typeof SokEventSchema>;

/** Delivery state of one message to the citizen (receipt now; referral, decision later). */
export const ReceiptWireSchema = z.strictObject({
  id: z.string(),
  sokId: z.string(),
  channel: z.enum(['sms', 'email']),
  /** 'receipt' | 'referral' | 'decision' … */
  purpose: z.string(),
  /** E.164 number or e-mail address. */
  recipient: z.string(),
  state: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due while pending; null otherwise. */
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  /** Why the last attempt failed (Turkish, with the provider's words), or why it waits. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReceiptWire = z.infer<typeof ReceiptWireSchema>;

export const ChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ seq: z.number().int(), op: z.literal('upsert'), sok: SokWireSchema }),
  z.strictObject({ seq: z.number().int(), op: z.literal('remove'), id: z.string() }),
  z.strictObject({ seq: z.number().int(), op: z.literal('event'), event: SokEventSchema }),
  z.strictObject({ seq: z.number().int(), op: z.literal('receipt'), receipt: ReceiptWireSchema }),
]);
export type Change = z.infer<typeof ChangeSchema>;

export const PullResponseSchema = z.strictObject({
  changes: z.array(ChangeSchema),
  cursor: z.number().int().nonnegative(),
  more: z.boolean(),
  /** Changes when the user's organisation or role changes: the client then starts over. */
  scope: z.string(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/**
 * A pull answer as the desk reads it: the envelope checked, each change checked by
 * `ChangeSchema` only when it is stored (a slice at a time), so validating a page of 5,000
 * changes never holds the desk's event loop in one piece.
 */
export const PullPageSchema = PullResponseSchema.extend({ changes: z.array(z.unknown()) });
export type PullPage = z.infer<typeof PullPageSchema>;

export const NumberBlockSchema = z.strictObject({
  start: z.number().int().positive(),
  endIncl: z.number().int().positive(),
});
export type NumberBlock = z.infer<typeof NumberBlockSchema>;

/** Message on the live WebSocket: something changed at or before `seq`; pull. */
export const PokeSchema = z.strictObject({ type: z.literal('poke'), seq: z.number().int() });
