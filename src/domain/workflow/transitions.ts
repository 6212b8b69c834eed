import type { Action } from './inputs';
import { refuse, type Refusal } from './refusal';
import type { Callback, Decision, MachineContext, WorkflowState } from './state';
import { ATTEMPT_OUTCOMES, DECISION_NAMES, decisionSummary } from './texts';
import type { TimelineEventKind } from '../timeline';

/**
 * The workflow's transitions: one pure function per command (`transition` dispatches), each
 * asking its guard first. The server runs them authoritatively, desks optimistically.
 */

export interface TimelineEntry {
  kind: TimelineEventKind;
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
    }
  /** Tell the citizen which organisation their request went to, and why (re-route). */
  | { kind: 'referral-to-citizen'; targetOrg: string; reason: string };

export type TransitionResult =
  { ok: true; state: WorkflowState; events: TimelineEntry[]; effects: Effect[] } | Refusal;

const WORKFLOW_ROLES = new Set(['agent', 'desk', 'supervisor']);
const SYSTEM_ACTIONS = new Set<Action['type']>(['expire-claim', 'escalate']);
const ROUTABLE: readonly string[] = ['registered', 'routed', 'accepted'];

/** A claim counts while its time has not run out. */
export function activeClaim(callback: Callback | null, now: Date): string | null {
  if (!callback || callback.state !== 'open' || callback.claimedBy === null) return null;
  if (callback.claimUntil !== null && Date.parse(callback.claimUntil) <= now.getTime()) return null;
  return callback.claimedBy;
}

/** Whom the callback's outcome is e-mailed to: the side that did not evaluate it. */
export function otherSide(
  state: Pick<WorkflowState, 'originOrg'>,
  ownerOrg: string,
  callCentreOrg: string,
): string | null {
  if (state.originOrg !== ownerOrg) return state.originOrg;
  return ownerOrg === callCentreOrg ? null : callCentreOrg;
}

/** The ŞÖK waits for an organisation that does not use the app. */
const forOutsideOrg = (state: WorkflowState, ctx: GuardContext): boolean =>
  state.targetOrg !== null && (ctx.isExternalOrg?.(state.targetOrg) ?? false);

/** Someone else holds the callback. */
const claimedByOther = (cb: Callback): Refusal =>
  cb.claimedByName === null
    ? refuse('conflict', 'workflow.claimedBySomeone')
    : refuse('conflict', 'workflow.claimedBy', { params: { name: cb.claimedByName } });

/** What a guard needs: who acts, when, and where misrouted ŞÖKs go back to. */
export type GuardContext = Pick<MachineContext, 'actor' | 'now' | 'callCentreOrg'> &
  Partial<Pick<MachineContext, 'isExternalOrg'>>;

/**
 * Whether `actor` may take an action of this type on this ŞÖK now, whatever its input: the
 * first reason not, or null. `transition` asks it first; `availableActions` asks it alone, so
 * the buttons on the screen and the machine never disagree.
 */
export function guard(
  state: WorkflowState,
  type: Action['type'],
  ctx: GuardContext,
): Refusal | null {
  const { actor, now } = ctx;
  if (!SYSTEM_ACTIONS.has(type) && !WORKFLOW_ROLES.has(actor.role)) {
    return refuse('forbidden', 'workflow.adminCannotAct');
  }
  const isTarget = state.targetOrg !== null && actor.orgCode === state.targetOrg;
  const isCallCentre = actor.orgKind === 'call-centre';
  const cb = state.callback;
  const isOwner = cb !== null && actor.orgCode === cb.ownerOrg;
  switch (type) {
    case 'accept':
      if (state.status !== 'routed') {
        return refuse('conflict', 'workflow.acceptNotRouted');
      }
      if (!isTarget) return refuse('forbidden', 'workflow.notRoutedToYou');
      return null;
    case 'return':
      if (state.status !== 'routed' && state.status !== 'accepted') {
        return refuse('conflict', 'workflow.returnDecided');
      }
      if (!isTarget) return refuse('forbidden', 'workflow.returnNotTarget');
      if (state.targetOrg === ctx.callCentreOrg) {
        return refuse('conflict', 'workflow.returnAtCallCentre');
      }
      return null;
    case 'route':
      if (!(isCallCentre && actor.role !== 'admin') && !isTarget) {
        return refuse('forbidden', 'workflow.routeNotAllowed');
      }
      if (!ROUTABLE.includes(state.status)) {
        return refuse('conflict', 'workflow.routeDecided');
      }
      return null;
    case 'decide':
      if (state.status !== 'routed' && state.status !== 'accepted') {
        return refuse(
          'conflict',
          state.decision ? 'workflow.alreadyDecided' : 'workflow.decideNotRouted',
        );
      }
      // An organisation outside the app answers by e-mail; the call centre records its decision
      // (and makes the callback) from that answer.
      if (!isTarget && !(isCallCentre && forOutsideOrg(state, ctx))) {
        return refuse('forbidden', 'workflow.decideNotTarget');
      }
      return null;
    case 'claim': {
      if (!cb || cb.state !== 'open') {
        return refuse('conflict', 'workflow.claimClosed');
      }
      if (!isOwner) return refuse('forbidden', 'workflow.callbackOtherOrg');
      const holder = activeClaim(cb, now);
      if (holder !== null && holder !== actor.userId) {
        return claimedByOther(cb);
      }
      return null;
    }
    case 'release': {
      const holder = activeClaim(cb, now);
      if (!cb || holder === null) return refuse('conflict', 'workflow.releaseUnclaimed');
      const supervisor = actor.role === 'supervisor' && isOwner;
      if (holder !== actor.userId && !supervisor) {
        return refuse('forbidden', 'workflow.releaseOthers');
      }
      return null;
    }
    case 'assign':
      if (!cb || cb.state !== 'open') {
        return refuse('conflict', 'workflow.assignClosed');
      }
      // The owning organisation's supervisor, or BİKOM's, who answer for the callback promise.
      if (!(actor.role === 'supervisor' && (isOwner || isCallCentre))) {
        return refuse('forbidden', 'workflow.assignNotSupervisor');
      }
      return null;
    case 'escalate-now':
      if (!cb || cb.state !== 'open') {
        return refuse('conflict', 'workflow.escalateNotOpen');
      }
      if (actor.role !== 'supervisor' || !(isOwner || isCallCentre)) {
        return refuse('forbidden', 'workflow.escalateNotSupervisor');
      }
      if (cb.escalation >= 2) {
        return refuse('conflict', 'workflow.escalatedToCallCentre');
      }
      return null;
    case 'attempt': {
      if (!cb || cb.state !== 'open') {
        return refuse('conflict', 'workflow.attemptClosed');
      }
      if (!isOwner) return refuse('forbidden', 'workflow.callbackOtherOrg');
      const holder = activeClaim(cb, now);
      if (holder !== null && holder !== actor.userId) {
        return claimedByOther(cb);
      }
      return null;
    }
    case 'close':
      if (state.status !== 'informed' || state.decision?.kind !== 'will-do') {
        return refuse('conflict', 'workflow.closeNotInformed');
      }
      if (!isOwner) return refuse('forbidden', 'workflow.closeNotOwner');
      return null;
    case 'reopen':
      if (!['decided', 'informed', 'closed'].includes(state.status)) {
        return refuse('conflict', 'workflow.reopenNotDecided');
      }
      if (!((isCallCentre && actor.role !== 'admin') || isOwner || isTarget)) {
        return refuse('forbidden', 'workflow.reopenNotAllowed');
      }
      return null;
    case 'expire-claim':
      if (!cb || cb.state !== 'open' || cb.claimedBy === null || activeClaim(cb, now) !== null) {
        return refuse('conflict', 'workflow.noLapsedClaim');
      }
      return null;
    case 'escalate':
      if (!cb || cb.state !== 'open' || Date.parse(cb.dueAt) > now.getTime()) {
        return refuse('conflict', 'workflow.nothingOverdue');
      }
      return null;
  }
}

/**
 * Applies one action. Pure: the same state, action and context always give the same answer, on
 * the server and on every client.
 */
export function transition(
  state: WorkflowState,
  action: Action,
  ctx: MachineContext,
): TransitionResult {
  const refused = guard(state, action.type, ctx);
  if (refused) return refused;
  const { actor, now } = ctx;
  const at = now.toISOString();
  const done = (next: WorkflowState, events: TimelineEntry[], effects: Effect[] = []) =>
    ({ ok: true, state: next, events, effects }) as TransitionResult;

  switch (action.type) {
    case 'accept':
      return done({ ...state, status: 'accepted', acceptedBy: actor.userId, acceptedAt: at }, [
        { kind: 'accepted', note: `${actor.displayName} değerlendirmeye aldı`, data: null },
      ]);
    case 'return':
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
    case 'route': {
      if (!ctx.orgExists(action.targetOrg)) {
        return refuse('validation', 'error.unknownOrganisation', { field: 'targetOrg' });
      }
      if (state.targetOrg === action.targetOrg) {
        return refuse('conflict', 'error.alreadyRouted');
      }
      return done(
        {
          ...state,
          status: 'routed',
          targetOrg: action.targetOrg,
          routeRuleId: null,
          routeReason: action.reason,
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
        // Law 3071 art. 5: the citizen is told where their request went (same number, same ŞÖK).
        [{ kind: 'referral-to-citizen', targetOrg: action.targetOrg, reason: action.reason }],
      );
    }
    case 'decide': {
      const d = action.decision;
      if (d.kind === 'will-do' && d.plannedDate !== null && d.plannedDate < at.slice(0, 10)) {
        return refuse('validation', 'workflow.plannedDatePast', { field: 'plannedDate' });
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
      const cb = state.callback as Callback;
      const holder = activeClaim(cb, now);
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
      const cb = state.callback as Callback;
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
      const cb = state.callback as Callback;
      const { assignee } = action;
      if (assignee.orgCode !== cb.ownerOrg) {
        return refuse('validation', 'workflow.assignOtherOrg', {
          params: { org: ctx.orgName(cb.ownerOrg) },
          field: 'userId',
        });
      }
      if (activeClaim(cb, now) === assignee.userId) {
        return refuse('conflict', 'workflow.alreadyAssigned', {
          params: { name: assignee.displayName },
        });
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
      const cb = state.callback as Callback;
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
    case 'close':
      return done({ ...state, status: 'closed' }, [
        { kind: 'closed', note: `İş tamamlandı: ${action.note}`, data: { reason: 'done' } },
      ]);
    case 'reopen': {
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
      const cb = state.callback as Callback;
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
      const cb = state.callback as Callback;
      if (cb.escalation >= action.level) return refuse('conflict', 'workflow.alreadyEscalated');
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
  state: WorkflowState,
  a: Extract<Action, { type: 'attempt' }>['attempt'],
  ctx: MachineContext,
): TransitionResult {
  const { actor, now, policy } = ctx;
  // The guard has checked that the callback is open, this organisation's and not held by another.
  const cb = state.callback as Callback;
  const when = new Date(a.at);
  if (when.getTime() > now.getTime() + 5 * 60_000) {
    return refuse('validation', 'workflow.attemptInFuture', { field: 'at' });
  }
  if (when.getTime() < Date.parse(cb.createdAt) - 60_000) {
    return refuse('validation', 'workflow.attemptBeforeCallback', { field: 'at' });
  }
  if (!ctx.calendar.mayCall(when, policy.callingHours)) {
    return refuse('validation', 'workflow.outsideCallingHours', { field: 'at' });
  }
  if (
    cb.lastAttemptAt !== null &&
    when.getTime() - Date.parse(cb.lastAttemptAt) < policy.minAttemptIntervalMinutes * 60_000
  ) {
    return refuse('conflict', 'workflow.attemptTooSoon', {
      params: { minutes: policy.minAttemptIntervalMinutes },
      field: 'at',
    });
  }
  if (a.outcome === 'reached' && a.note.length < 5) {
    return refuse('validation', 'workflow.reachedNeedsNote', { field: 'note' });
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
