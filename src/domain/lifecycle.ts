import { z } from 'zod';
import { text } from './text-input';
import { type Calendar, type CallingHours, DEFAULT_CALLING_HOURS } from './calendar/calendar';
import type { SokStatus } from './sok';

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

export const DECISION_KINDS = ['will-do', 'wont-do', 'already-done', 'not-ours'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_NAMES: Record<DecisionKind, string> = {
  'will-do': 'Yapılacak',
  'wont-do': 'Yapılmayacak',
  'already-done': 'Zaten yapıldı',
  'not-ours': 'Görev alanımız dışında',
};

/** Why something will not be done: the category; the detail is free text. */
export const WONT_DO_REASONS = {
  budget: 'Ödenek / bütçe yok',
  plan: 'İmar planı veya proje uygun değil',
  law: 'Mevzuat izin vermiyor',
  private: 'Özel mülk / kişisel konu',
  technical: 'Teknik olarak uygun değil',
  priority: 'Öncelik sırasında değil (programa alınamadı)',
  other: 'Diğer',
} as const;
export type WontDoReason = keyof typeof WONT_DO_REASONS;

export const ATTEMPT_OUTCOMES = {
  reached: 'Ulaşıldı',
  'no-answer': 'Cevap yok',
  busy: 'Meşgul',
  unreachable: 'Kapalı / ulaşılamıyor',
  'wrong-number': 'Yanlış numara',
  voicemail: 'Sesli mesaj bırakıldı',
} as const;
export type AttemptOutcome = keyof typeof ATTEMPT_OUTCOMES;
const OUTCOME_CODES = Object.keys(ATTEMPT_OUTCOMES) as [AttemptOutcome, ...AttemptOutcome[]];

export const STATUS_NAMES: Record<SokStatus, string> = {
  registered: 'Kaydedildi',
  routed: 'Yönlendirildi',
  accepted: 'Değerlendirmede',
  decided: 'Karar verildi',
  informed: 'Vatandaş bilgilendirildi',
  closed: 'Kapandı',
};

export const DecisionSchema = z.strictObject({
  kind: z.enum(DECISION_KINDS),
  /** will-do: the date (YYYY-MM-DD) it will be done by. */
  plannedDate: z.string().nullable(),
  /** wont-do: the reason category. */
  reasonCategory: z
    .enum(Object.keys(WONT_DO_REASONS) as [WontDoReason, ...WontDoReason[]])
    .nullable(),
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
  lastOutcome: z.enum(OUTCOME_CODES).nullable(),
  claimedBy: z.string().nullable(),
  claimedByName: z.string().nullable(),
  claimUntil: z.string().nullable(),
  /** 0 on time; 1 flagged to the organisation's supervisor; 2 to BİKOM's supervisors. */
  escalation: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export type Callback = z.infer<typeof CallbackSchema>;

/** What the state machine needs of a ŞÖK. */
export interface LifecycleState {
  status: SokStatus;
  originOrg: string;
  targetOrg: string | null;
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
}

// ---- actions --------------------------------------------------------------------------------

const sokId = z.uuid();
const reason = text({
  min: 5,
  max: 1000,
  messages: {
    required: 'Gerekçe en az 5 karakter olmalı.',
    tooShort: 'Gerekçe en az 5 karakter olmalı.',
    tooLong: 'Gerekçe en fazla 1000 karakter olabilir.',
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
      required: 'Ne yapıldığını kısaca yazın.',
      tooShort: 'Ne yapıldığını kısaca yazın.',
    },
  }),
});

export const DecidePayloadSchema = z
  .strictObject({
    sokId,
    kind: z.enum(DECISION_KINDS),
    plannedDate: z.iso.date('Planlanan tarih GG.AA.YYYY olmalı.').nullable().default(null),
    reasonCategory: z
      .enum(Object.keys(WONT_DO_REASONS) as [WontDoReason, ...WontDoReason[]])
      .nullable()
      .default(null),
    explanation: text({
      max: 2000,
      messages: { tooLong: 'Açıklama en fazla 2000 karakter olabilir.' },
    }),
    referralBody: text({ max: 160 }).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    const need = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (d.kind === 'will-do' && d.plannedDate === null) {
      need('plannedDate', 'Yapılacak işler için planlanan tarih zorunludur.');
    }
    if (d.kind === 'wont-do') {
      if (d.reasonCategory === null) need('reasonCategory', 'Neden kategorisini seçin.');
      if (d.explanation.length < 20) {
        need('explanation', 'Neden yapılamayacağını ayrıntılı yazın (en az 20 karakter).');
      }
    }
    if (d.kind === 'not-ours') {
      if (!d.referralBody || d.referralBody.length < 2) {
        need('referralBody', 'Vatandaşın başvuracağı kurumu yazın.');
      }
      if (d.explanation.length < 10) need('explanation', 'Kısa bir açıklama yazın.');
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
  outcome: z.enum(OUTCOME_CODES),
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
  | { type: 'forward'; targetOrg: string; reason: string }
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

export interface TimelineEntry {
  kind: string;
  note: string;
  data: Record<string, unknown> | null;
}

export type Effect =
  /**
   * Send the decision to the citizen in writing (the unreachable path). `wrongNumber`: the
   * citizen's number was marked wrong, so nothing (least of all their name) goes to it: the
   * e-mail address if the ŞÖK has one, otherwise a written notice (post or in person).
   */
  | { kind: 'decision-to-citizen'; wrongNumber: boolean }
  /** E-mail the other side (BİKOM ↔ district) the decision and the callback's outcome. */
  | { kind: 'inform-other-side'; outcome: 'reached' | 'unreachable'; to: string }
  /**
   * Tell the supervisors concerned that a callback is late — or, with `manual`, that a
   * supervisor raised it now (due or not) for the reason given.
   */
  | {
      kind: 'escalation';
      level: 1 | 2;
      org: string;
      manual?: { by: string; reason: string };
    };

export type TransitionResult =
  | { ok: true; state: LifecycleState; events: TimelineEntry[]; effects: Effect[] }
  | { ok: false; code: 'forbidden' | 'conflict' | 'validation'; message: string; field?: string };

const fail = (
  code: 'forbidden' | 'conflict' | 'validation',
  message: string,
  field?: string,
): TransitionResult => ({ ok: false, code, message, ...(field ? { field } : {}) });

const WORKFLOW_ROLES = new Set(['agent', 'desk', 'supervisor']);

/** A claim counts while its time has not run out. */
export function activeClaim(callback: Callback | null, now: Date): string | null {
  if (!callback || callback.state !== 'open' || callback.claimedBy === null) return null;
  if (callback.claimUntil !== null && Date.parse(callback.claimUntil) <= now.getTime()) return null;
  return callback.claimedBy;
}

/** Whom the callback's outcome is e-mailed to: the side that did not evaluate it. */
export function otherSide(
  state: Pick<LifecycleState, 'originOrg'>,
  ownerOrg: string,
  callCentreOrg: string,
): string | null {
  if (state.originOrg !== ownerOrg) return state.originOrg;
  return ownerOrg === callCentreOrg ? null : callCentreOrg;
}

/**
 * Applies one action. Pure: the same state, action and context always give the same answer, on
 * the server and on every client.
 */
export function transition(
  state: LifecycleState,
  action: Action,
  ctx: MachineContext,
): TransitionResult {
  const { actor, now } = ctx;
  const at = now.toISOString();
  const system = action.type === 'expire-claim' || action.type === 'escalate';
  if (!system && !WORKFLOW_ROLES.has(actor.role)) {
    return fail('forbidden', 'Yönetici hesabıyla ŞÖK üzerinde işlem yapılamaz.');
  }
  const isTarget = state.targetOrg !== null && actor.orgCode === state.targetOrg;
  const isCallCentre = actor.orgKind === 'call-centre';
  const owner = state.callback?.ownerOrg ?? null;
  const isOwner = owner !== null && actor.orgCode === owner;
  const done = (next: LifecycleState, events: TimelineEntry[], effects: Effect[] = []) =>
    ({ ok: true, state: next, events, effects }) as TransitionResult;

  switch (action.type) {
    case 'accept': {
      if (state.status !== 'routed') {
        return fail(
          'conflict',
          'Yalnızca yönlendirilmiş ve henüz kabul edilmemiş ŞÖK kabul edilir.',
        );
      }
      if (!isTarget) return fail('forbidden', 'Bu ŞÖK kurumunuza yönlendirilmemiş.');
      return done({ ...state, status: 'accepted', acceptedBy: actor.userId, acceptedAt: at }, [
        { kind: 'accepted', note: `${actor.displayName} değerlendirmeye aldı`, data: null },
      ]);
    }
    case 'return': {
      if (state.status !== 'routed' && state.status !== 'accepted') {
        return fail('conflict', 'Karar verilmiş bir ŞÖK iade edilemez; önce yeniden açılmalı.');
      }
      if (!isTarget)
        return fail('forbidden', 'Yalnızca ŞÖK’ün yönlendirildiği kurum iade edebilir.');
      if (state.targetOrg === ctx.callCentreOrg) {
        return fail('conflict', 'ŞÖK zaten BİKOM’da; başka bir kuruma yönlendirin.');
      }
      return done(
        {
          ...state,
          status: 'routed',
          targetOrg: ctx.callCentreOrg,
          acceptedBy: null,
          acceptedAt: null,
        },
        [
          {
            kind: 'returned',
            note: `Yanlış yönlendirme, BİKOM’a iade: ${action.reason}`,
            data: { from: state.targetOrg, reason: action.reason },
          },
        ],
      );
    }
    case 'forward': {
      if (!['registered', 'routed', 'accepted'].includes(state.status)) {
        return fail('conflict', 'Karar verilmiş bir ŞÖK yönlendirilemez; önce yeniden açılmalı.');
      }
      if (!(isCallCentre && actor.role !== 'admin') && !isTarget) {
        return fail(
          'forbidden',
          'Bu ŞÖK’ü yalnızca BİKOM veya şu an sorumlu kurum yönlendirebilir.',
        );
      }
      if (state.targetOrg === action.targetOrg) {
        return fail('conflict', 'ŞÖK zaten bu kuruma yönlendirilmiş.');
      }
      return done(
        {
          ...state,
          status: 'routed',
          targetOrg: action.targetOrg,
          acceptedBy: null,
          acceptedAt: null,
        },
        [
          {
            kind: 'rerouted',
            note: `${ctx.orgName(action.targetOrg)}: ${action.reason}`,
            data: { from: state.targetOrg, targetOrg: action.targetOrg, reason: action.reason },
          },
        ],
      );
    }
    case 'decide': {
      if (state.status !== 'routed' && state.status !== 'accepted') {
        return fail(
          'conflict',
          state.decision
            ? 'Bu ŞÖK için zaten karar verilmiş.'
            : 'Karar için ŞÖK’ün kurumunuza yönlendirilmiş olması gerekir.',
        );
      }
      if (!isTarget) return fail('forbidden', 'Yalnızca ŞÖK’ün yönlendirildiği kurum karar verir.');
      const d = action.decision;
      if (d.kind === 'will-do' && d.plannedDate !== null && d.plannedDate < at.slice(0, 10)) {
        return fail('validation', 'Planlanan tarih geçmişte olamaz.', 'plannedDate');
      }
      const events: TimelineEntry[] = [];
      if (state.status === 'routed') {
        events.push({
          kind: 'accepted',
          note: `${actor.displayName} değerlendirmeye aldı`,
          data: null,
        });
      }
      const decision: Decision = {
        kind: d.kind,
        plannedDate: d.kind === 'will-do' ? d.plannedDate : null,
        reasonCategory: d.kind === 'wont-do' ? d.reasonCategory : null,
        explanation: d.explanation,
        referralBody: d.kind === 'not-ours' ? d.referralBody : null,
        decidedBy: actor.userId,
        decidedByName: actor.displayName,
        decidedOrg: actor.orgCode,
        decidedAt: at,
      };
      const days = ctx.topicWorkingDays ?? ctx.policy.defaultWorkingDays;
      const callback: Callback = {
        ownerOrg: actor.orgCode,
        state: 'open',
        origin: 'decision',
        createdAt: at,
        dueAt: ctx.calendar.addWorkingDays(now, days).toISOString(),
        closedAt: null,
        attempts: 0,
        lastAttemptAt: null,
        lastOutcome: null,
        claimedBy: null,
        claimedByName: null,
        claimUntil: null,
        escalation: 0,
      };
      events.push({
        kind: 'decided',
        note: `${DECISION_NAMES[d.kind]}: ${decisionSummary(decision)}`,
        data: { decision },
      });
      return done(
        {
          ...state,
          status: 'decided',
          acceptedBy: state.acceptedBy ?? actor.userId,
          acceptedAt: state.acceptedAt ?? at,
          decision,
          callback,
        },
        events,
      );
    }
    case 'claim': {
      const cb = state.callback;
      if (!cb || cb.state !== 'open') {
        return fail('conflict', 'Bu geri arama tamamlanmış; yeniden üstlenilemez.');
      }
      if (!isOwner) return fail('forbidden', 'Geri arama görevi başka bir kurumun.');
      const holder = activeClaim(cb, now);
      if (holder !== null && holder !== actor.userId) {
        return fail('conflict', `Bu geri aramayı ${cb.claimedByName ?? 'başka biri'} üstlendi.`);
      }
      return done(
        {
          ...state,
          callback: {
            ...cb,
            claimedBy: actor.userId,
            claimedByName: actor.displayName,
            claimUntil: new Date(now.getTime() + ctx.policy.claimMinutes * 60_000).toISOString(),
          },
        },
        holder === actor.userId
          ? []
          : [{ kind: 'claimed', note: `${actor.displayName} geri aramayı üstlendi`, data: null }],
      );
    }
    case 'release': {
      const cb = state.callback;
      const holder = activeClaim(cb, now);
      if (!cb || holder === null) return fail('conflict', 'Bu geri arama kimsede değil.');
      const supervisor = actor.role === 'supervisor' && isOwner;
      if (holder !== actor.userId && !supervisor) {
        return fail(
          'forbidden',
          'Başkasının üstlendiği geri aramayı yalnızca süpervizör bırakabilir.',
        );
      }
      return done(
        { ...state, callback: { ...cb, claimedBy: null, claimedByName: null, claimUntil: null } },
        [
          {
            kind: 'released',
            note: `${actor.displayName} geri aramayı havuza bıraktı`,
            data: null,
          },
        ],
      );
    }
    case 'assign': {
      const cb = state.callback;
      if (!cb || cb.state !== 'open') {
        return fail('conflict', 'Bu geri arama tamamlanmış; başkasına verilemez.');
      }
      // The owning organisation's supervisor, or BİKOM's, who answer for the callback promise.
      const supervisor = actor.role === 'supervisor' && (isOwner || isCallCentre);
      if (!supervisor) {
        return fail('forbidden', 'Geri aramayı yalnızca süpervizör başkasına verebilir.');
      }
      const { assignee } = action;
      if (assignee.orgCode !== cb.ownerOrg) {
        return fail(
          'validation',
          `Geri arama yalnızca ${ctx.orgName(cb.ownerOrg)} personeline verilebilir.`,
          'userId',
        );
      }
      if (activeClaim(cb, now) === assignee.userId) {
        return fail('conflict', `Geri arama zaten ${assignee.displayName} üzerinde.`);
      }
      // Held until the due time at least, so an assignment does not lapse back to the pool
      // before the person had a fair chance to call.
      const until = Math.max(
        now.getTime() + ctx.policy.claimMinutes * 60_000,
        Date.parse(cb.dueAt),
      );
      return done(
        {
          ...state,
          callback: {
            ...cb,
            claimedBy: assignee.userId,
            claimedByName: assignee.displayName,
            claimUntil: new Date(until).toISOString(),
          },
        },
        [
          {
            kind: 'assigned',
            note: `${actor.displayName} geri aramayı ${assignee.displayName} adlı personele verdi`,
            data: { userId: assignee.userId, by: actor.userId },
          },
        ],
      );
    }
    case 'escalate-now': {
      const cb = state.callback;
      if (!cb || cb.state !== 'open') {
        return fail('conflict', 'Yalnızca açık bir geri arama üst seviyeye bildirilebilir.');
      }
      if (actor.role !== 'supervisor' || !(isOwner || isCallCentre)) {
        return fail('forbidden', 'Geri aramayı yalnızca süpervizör üst seviyeye bildirebilir.');
      }
      if (cb.escalation >= 2) {
        return fail('conflict', 'Bu geri arama zaten BİKOM süpervizörlerine bildirildi.');
      }
      const level = (cb.escalation + 1) as 1 | 2;
      const to = level === 1 ? cb.ownerOrg : ctx.callCentreOrg;
      return done(
        { ...state, callback: { ...cb, escalation: level } },
        [
          {
            kind: 'escalated',
            note: `${actor.displayName} ${level === 1 ? `${ctx.orgName(cb.ownerOrg)} süpervizörüne` : 'BİKOM süpervizörlerine'} bildirdi: ${action.reason}`,
            data: { level, org: to, by: actor.userId, reason: action.reason },
          },
        ],
        [
          {
            kind: 'escalation',
            level,
            org: to,
            manual: { by: actor.displayName, reason: action.reason },
          },
        ],
      );
    }
    case 'attempt':
      return attempt(state, action.attempt, ctx);
    case 'close': {
      if (state.status !== 'informed' || state.decision?.kind !== 'will-do') {
        return fail(
          'conflict',
          'Yalnızca "yapılacak" kararı vatandaşa bildirilmiş ŞÖK, iş bitince kapatılır.',
        );
      }
      if (!isOwner) return fail('forbidden', 'ŞÖK’ü yalnızca değerlendiren kurum kapatır.');
      return done({ ...state, status: 'closed' }, [
        { kind: 'closed', note: `İş tamamlandı: ${action.note}`, data: { reason: 'done' } },
      ]);
    }
    case 'reopen': {
      if (!['decided', 'informed', 'closed'].includes(state.status)) {
        return fail('conflict', 'Yalnızca karar verilmiş veya kapanmış ŞÖK yeniden açılır.');
      }
      const may = (isCallCentre && actor.role !== 'admin') || isOwner || isTarget;
      if (!may)
        return fail('forbidden', 'ŞÖK’ü yalnızca BİKOM veya değerlendiren kurum yeniden açar.');
      const cb = state.callback;
      return done(
        {
          ...state,
          status: 'accepted',
          decision: null,
          callback: cb && cb.state === 'open' ? { ...cb, state: 'cancelled', closedAt: at } : cb,
          acceptedBy: state.acceptedBy ?? actor.userId,
          acceptedAt: state.acceptedAt ?? at,
        },
        [
          {
            kind: 'reopened',
            note: `Yeniden açıldı: ${action.reason}`,
            data: { reason: action.reason },
          },
        ],
      );
    }
    case 'expire-claim': {
      const cb = state.callback;
      if (!cb || cb.state !== 'open' || cb.claimedBy === null || activeClaim(cb, now) !== null) {
        return fail('conflict', 'Süresi dolmuş bir üstlenme yok.');
      }
      return done(
        { ...state, callback: { ...cb, claimedBy: null, claimedByName: null, claimUntil: null } },
        [
          {
            kind: 'claim-expired',
            note: `${cb.claimedByName ?? ''} üstlenme süresi doldu; geri arama havuza döndü`.trim(),
            data: { userId: cb.claimedBy },
          },
        ],
      );
    }
    case 'escalate': {
      const cb = state.callback;
      if (!cb || cb.state !== 'open' || Date.parse(cb.dueAt) > now.getTime()) {
        return fail('conflict', 'Gecikmiş bir geri arama yok.');
      }
      if (cb.escalation >= action.level) return fail('conflict', 'Zaten bu seviyede bildirildi.');
      const to = action.level === 1 ? cb.ownerOrg : ctx.callCentreOrg;
      return done(
        { ...state, callback: { ...cb, escalation: action.level } },
        [
          {
            kind: 'escalated',
            note:
              action.level === 1
                ? `Geri arama süresi aştı: ${ctx.orgName(cb.ownerOrg)} süpervizörüne bildirildi`
                : 'Geri arama hâlâ yapılmadı: BİKOM süpervizörlerine bildirildi',
            data: { level: action.level, org: to },
          },
        ],
        [{ kind: 'escalation', level: action.level, org: to }],
      );
    }
  }
}

function attempt(
  state: LifecycleState,
  a: Extract<Action, { type: 'attempt' }>['attempt'],
  ctx: MachineContext,
): TransitionResult {
  const { actor, now, policy } = ctx;
  const cb = state.callback;
  if (!cb || cb.state !== 'open') {
    return fail('conflict', 'Bu geri arama tamamlanmış; yeni arama kaydedilemez.');
  }
  if (actor.orgCode !== cb.ownerOrg)
    return fail('forbidden', 'Geri arama görevi başka bir kurumun.');
  const holder = activeClaim(cb, now);
  if (holder !== null && holder !== actor.userId) {
    return fail('conflict', `Bu geri aramayı ${cb.claimedByName ?? 'başka biri'} üstlendi.`);
  }
  const when = new Date(a.at);
  if (when.getTime() > now.getTime() + 5 * 60_000) {
    return fail('validation', 'Arama zamanı gelecekte olamaz.', 'at');
  }
  if (when.getTime() < Date.parse(cb.createdAt) - 60_000) {
    return fail('validation', 'Arama, geri arama görevinden önce yapılmış olamaz.', 'at');
  }
  if (!ctx.calendar.mayCall(when, policy.callingHours)) {
    return fail(
      'validation',
      'Bu saatte vatandaş aranmaz (gece veya tatil). Arama saatleri içinde tekrar deneyin.',
      'at',
    );
  }
  if (
    cb.lastAttemptAt !== null &&
    when.getTime() - Date.parse(cb.lastAttemptAt) < policy.minAttemptIntervalMinutes * 60_000
  ) {
    return fail(
      'conflict',
      `İki arama arasında en az ${policy.minAttemptIntervalMinutes} dakika olmalı.`,
      'at',
    );
  }
  if (a.outcome === 'reached' && a.note.length < 5) {
    return fail('validation', 'Vatandaşa ne söylendiğini yazın.', 'note');
  }
  const at = now.toISOString();
  const attempts = cb.attempts + 1;
  const events: TimelineEntry[] = [
    {
      kind: 'attempt',
      note: `${attempts}. arama: ${ATTEMPT_OUTCOMES[a.outcome]}${a.note ? ` — ${a.note}` : ''}`,
      data: {
        outcome: a.outcome,
        at: a.at,
        attempt: attempts,
        callId: a.callId,
        sipCallId: a.sipCallId ?? null,
      },
    },
  ];
  const base: Callback = {
    ...cb,
    attempts,
    lastAttemptAt: when.toISOString(),
    lastOutcome: a.outcome,
    claimedBy: actor.userId,
    claimedByName: actor.displayName,
    claimUntil: new Date(now.getTime() + policy.claimMinutes * 60_000).toISOString(),
  };
  const afterInformed = (closing: Callback, how: 'reached' | 'unreachable'): TransitionResult => {
    // A "will do" stays open until the work is done; every other decision ends here.
    const keepOpen = state.decision?.kind === 'will-do';
    const to = otherSide(state, cb.ownerOrg, ctx.callCentreOrg);
    const wrongNumber = a.outcome === 'wrong-number';
    const effects: Effect[] =
      how === 'unreachable' ? [{ kind: 'decision-to-citizen', wrongNumber }] : [];
    if (to !== null) effects.push({ kind: 'inform-other-side', outcome: how, to });
    const informedEvent: TimelineEntry =
      how === 'reached'
        ? { kind: 'informed', note: 'Vatandaş telefonla bilgilendirildi', data: { how } }
        : wrongNumber
          ? {
              kind: 'unreachable',
              note: 'Numara yanlış; karar bu numaraya gönderilmez, yazılı olarak bildirilecek',
              data: { how, attempts, wrongNumber },
            }
          : {
              kind: 'unreachable',
              note: `Vatandaşa ${attempts} denemede ulaşılamadı; karar yazılı olarak gönderildi`,
              data: { how, attempts },
            };
    const more: TimelineEntry[] = [informedEvent];
    if (!keepOpen) {
      more.push({
        kind: 'closed',
        note: how === 'reached' ? 'Geri arama tamamlandı' : 'Kapandı: ulaşılamadı',
        data: { reason: how },
      });
    }
    return {
      ok: true,
      state: {
        ...state,
        status: keepOpen ? 'informed' : 'closed',
        callback: { ...closing, claimUntil: null },
      },
      events: [...events, ...more],
      effects,
    };
  };
  if (a.outcome === 'reached') {
    return afterInformed({ ...base, state: 'done', closedAt: at }, 'reached');
  }
  // A wrong number cannot be tried again: the written fallback starts at once.
  if (attempts >= policy.maxAttempts || a.outcome === 'wrong-number') {
    return afterInformed({ ...base, state: 'unreachable', closedAt: at }, 'unreachable');
  }
  return { ok: true, state: { ...state, callback: base }, events, effects: [] };
}

/** One line about a decision for the timeline and lists. */
export function decisionSummary(d: Decision): string {
  switch (d.kind) {
    case 'will-do':
      return `${formatDay(d.plannedDate ?? '')} tarihine kadar${d.explanation ? `; ${d.explanation}` : ''}`;
    case 'wont-do':
      return `${d.reasonCategory ? WONT_DO_REASONS[d.reasonCategory] : ''}: ${d.explanation}`;
    case 'already-done':
      return d.explanation || 'Talep yerine getirilmiş.';
    case 'not-ours':
      return `${d.referralBody ?? ''}${d.explanation ? `: ${d.explanation}` : ''}`;
  }
}

/** 2026-12-04 → 04.12.2026 */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return y && m && d ? `${d}.${m}.${y}` : day;
}

/**
 * The script the caller reads to the citizen (and the text sent in writing when the citizen
 * cannot be reached): whether and when it will be done, or in detail why not.
 */
export function decisionScript(
  d: Decision,
  sok: { regNo: string | null; citizenName: string; topicName: string; orgName: string },
): string {
  const opening = `${sok.citizenName ? `Sayın ${sok.citizenName}, ` : ''}${sok.regNo ?? ''} numaralı ${sok.topicName} başvurunuz ${sok.orgName} tarafından değerlendirildi.`;
  switch (d.kind) {
    case 'will-do':
      return `${opening} Talebiniz en geç ${formatDay(d.plannedDate ?? '')} tarihine kadar yerine getirilecektir.${d.explanation ? ` ${d.explanation}` : ''}`;
    case 'wont-do':
      return `${opening} Talebiniz yerine getirilemeyecektir. Nedeni: ${d.reasonCategory ? WONT_DO_REASONS[d.reasonCategory] : ''}. ${d.explanation}`;
    case 'already-done':
      return `${opening} Talebiniz yerine getirilmiştir.${d.explanation ? ` ${d.explanation}` : ''}`;
    case 'not-ours':
      return `${opening} Konu belediyemizin görev alanında değildir; ${d.referralBody ?? ''} kurumuna başvurmanız gerekmektedir. ${d.explanation}`;
  }
}
