import { z } from 'zod';
import { text } from './text-input';
import { t } from './i18n/tr';
import { canonicalPhone } from './phone';
import type { AttemptOutcome } from './workflow/state';

/**
 * The telephone side of the app as data: per-user softphone settings, the agent's state
 * (available, break, wrap-up, do-not-disturb), the call log and the call in progress. Shared by the client core (which
 * stores and syncs them), the central API (which keeps them per organisation) and the renderer.
 */

// ------------------------------------------------------------------ softphone settings

const iceUrl = text({ max: 500 }).regex(/^(stuns?|turns?):[^\s]+$/, t('phone.iceUrlInvalid'));

export const IceServerSchema = z.strictObject({
  urls: z.union([iceUrl, z.array(iceUrl).min(1).max(4)]),
  username: text({ max: 200, trim: false }).optional(),
  credential: text({ max: 200, trim: false }).optional(),
});

/** Device ids chosen on this PC; '' is the system default. */
const deviceId = text({ max: 200, trim: false }).default('');

/** What the user edits. The SIP password is not part of it: it is stored apart, encrypted. */
export const PhoneSettingsSchema = z.strictObject({
  /** SIP over secure WebSocket: wss://santral.example:7443 (the page's CSP allows only wss:). */
  server: text({ max: 500 }).regex(/^wss:\/\/[^\s/]+(\/\S*)?$/i, t('phone.serverInvalid')),
  /** SIP user, `1001` or `1001@bikom.example`. */
  sipUser: text({ min: 1, max: 120 }).regex(/^[^\s:]+$/, t('phone.userInvalid')),
  /** Digest user when it differs from the SIP user; '' = same. */
  authUser: text({ max: 120 }).default(''),
  displayName: text({ max: 120 }).default(''),
  iceServers: z.array(IceServerSchema).max(6).default([]),
  microphoneId: deviceId,
  speakerId: deviceId,
  ringerId: deviceId,
  autoAnswer: z.boolean().default(false),
  /** Seconds of wrap-up after a call before the agent is offered calls again. */
  wrapUpSeconds: z.number().int().min(0).max(600).default(30),
});
export type PhoneSettings = z.output<typeof PhoneSettingsSchema>;

export const PhoneSettingsSaveSchema = z.strictObject({
  settings: PhoneSettingsSchema,
  /** New SIP password; omitted or '' keeps the stored one. */
  password: text({ max: 200, trim: false }).optional(),
});

/** Settings as the UI reads them: never the password, only whether one is stored. */
export interface PhoneSettingsView {
  settings: PhoneSettings | null;
  hasPassword: boolean;
}

/** What the softphone needs to register: handed over only when a SIP session starts. */
export interface PhoneCredentials {
  server: string;
  user: string;
  authUser: string | null;
  password: string;
  displayName: string;
  iceServers: z.output<typeof IceServerSchema>[];
}

// ------------------------------------------------------------------ agent state

export const AGENT_STATES = ['available', 'break', 'wrap-up', 'dnd', 'offline'] as const;
export type AgentStateKind = (typeof AGENT_STATES)[number];

export const BREAK_REASONS = ['mola', 'yemek', 'toplanti', 'egitim', 'teknik'] as const;
export type BreakReason = (typeof BREAK_REASONS)[number];

export const AGENT_STATE_NAMES: Record<AgentStateKind, string> = {
  available: 'Hazır',
  break: 'Molada',
  'wrap-up': 'Çağrı sonrası işlem',
  dnd: 'Rahatsız etmeyin',
  offline: 'Çevrimdışı',
};

export const BREAK_REASON_NAMES: Record<BreakReason, string> = {
  mola: 'Kısa mola',
  yemek: 'Yemek',
  toplanti: 'Toplantı',
  egitim: 'Eğitim',
  teknik: 'Teknik sorun',
};

/** One change of an agent's state, as it travels to the central API (mutation agent.state). */
export const AgentStatePayloadSchema = z
  .strictObject({
    id: z.uuid(),
    state: z.enum(AGENT_STATES),
    reason: z.enum(BREAK_REASONS).nullable().default(null),
    at: z.iso.datetime(),
  })
  .refine((p) => (p.state === 'break') === (p.reason !== null), {
    message: t('phone.breakReasonRequired'),
    path: ['reason'],
  });
export type AgentStatePayload = z.output<typeof AgentStatePayloadSchema>;

export interface AgentStateView {
  state: AgentStateKind;
  reason: BreakReason | null;
  since: string;
}

/** An agent's current state as supervisors read it (GET /agents/states). */
export interface AgentStateRow extends AgentStateView {
  userId: string;
  displayName: string;
  orgCode: string;
  /** The call the agent is on right now, as their desk last reported it; null when none. */
  call: AgentCallView | null;
  /** Today's calls (Istanbul day), for the supervisors' live agent board. */
  today: AgentDayFigures;
}

export interface AgentDayFigures {
  answered: number;
  /** Inbound calls that rang at this agent and were not answered (missed or turned away). */
  missed: number;
  /** Average talk time of answered calls, seconds; null with none. */
  avgHandleSeconds: number | null;
  /** Average time from hang-up to the end of wrap-up, seconds; null with none. */
  avgWrapUpSeconds: number | null;
}

/** Today's figures of each agent from their calls (a day's worth, computed in one pass). */
export function agentDayFigures(
  calls: readonly {
    agentId: string;
    direction: string;
    outcome: string;
    durationSeconds: number;
    endedAt: string;
    wrappedUpAt: string | null;
  }[],
): Map<string, AgentDayFigures> {
  const acc = new Map<
    string,
    { answered: number; missed: number; talk: number; wraps: number; wrapSeconds: number }
  >();
  for (const c of calls) {
    const a = acc.get(c.agentId) ?? { answered: 0, missed: 0, talk: 0, wraps: 0, wrapSeconds: 0 };
    if (c.outcome === 'answered') {
      a.answered += 1;
      a.talk += c.durationSeconds;
      if (c.wrappedUpAt !== null) {
        a.wraps += 1;
        a.wrapSeconds += Math.max(0, (Date.parse(c.wrappedUpAt) - Date.parse(c.endedAt)) / 1000);
      }
    } else if (c.direction === 'inbound' && (c.outcome === 'missed' || c.outcome === 'rejected')) {
      a.missed += 1;
    }
    acc.set(c.agentId, a);
  }
  return new Map(
    [...acc].map(([id, a]) => [
      id,
      {
        answered: a.answered,
        missed: a.missed,
        avgHandleSeconds: a.answered > 0 ? Math.round(a.talk / a.answered) : null,
        avgWrapUpSeconds: a.wraps > 0 ? Math.round(a.wrapSeconds / a.wraps) : null,
      },
    ]),
  );
}

// ------------------------------------------------------------------ call log

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
/**
 * answered: talked; missed: an inbound call nobody answered (a callback is owed);
 * rejected: an inbound call the agent or do-not-disturb turned away (also owed a callback);
 * failed: an outbound call that did not connect.
 */
export const CALL_OUTCOMES = ['answered', 'missed', 'rejected', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const CALL_DISPOSITIONS = [
  'bilgi-verildi',
  'sok-kaydedildi',
  'mevcut-sok',
  'yonlendirildi',
  'aktarildi',
  'yanlis-arama',
  'sessiz-cagri',
  'diger',
] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

export const CALL_DISPOSITION_NAMES: Record<CallDisposition, string> = {
  'bilgi-verildi': 'Bilgi verildi',
  'sok-kaydedildi': 'ŞÖK kaydedildi',
  'mevcut-sok': 'Mevcut ŞÖK hakkında',
  yonlendirildi: 'Başka kuruma yönlendirildi',
  aktarildi: 'Çağrı aktarıldı',
  'yanlis-arama': 'Yanlış arama',
  'sessiz-cagri': 'Sessiz / kesilen çağrı',
  diger: 'Diğer',
};

const isoTime = z.iso.datetime();

/** A call that ended, as the phone saw it (mutation call.log). */
export const CallLogPayloadSchema = z
  .strictObject({
    id: z.uuid(),
    sipCallId: text({ min: 1, max: 255, trim: false }),
    direction: z.enum(CALL_DIRECTIONS),
    /**
     * The other party as dialled or presented, stored in one form (canonicalPhone: E.164 for a
     * real number whatever the exchange presented, a SIP URI included; an extension as it is),
     * so a callback matches the missed call it returns.
     */
    number: z.preprocess(
      (v) => (typeof v === 'string' ? canonicalPhone(v) : v),
      text({ max: 64, trim: false }).regex(/^[0-9A-Za-z*#+._-]*$/, t('phone.numberInvalid')),
    ),
    /** When it started ringing (inbound) or was dialled (outbound). */
    startedAt: isoTime,
    answeredAt: isoTime.nullable(),
    endedAt: isoTime,
    outcome: z.enum(CALL_OUTCOMES),
    /** Why it ended without talking (Turkish, from the phone), '' otherwise. */
    endReason: text({ max: 300, trim: false }).default(''),
  })
  .superRefine((p, ctx) => {
    if (p.endedAt < p.startedAt) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: t('phone.endBeforeStart') });
    }
    if ((p.outcome === 'answered') !== (p.answeredAt !== null)) {
      ctx.addIssue({ code: 'custom', path: ['answeredAt'], message: t('phone.answerMismatch') });
    }
    if ((p.outcome === 'missed' || p.outcome === 'rejected') && p.direction !== 'inbound') {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: t('phone.missedOutbound') });
    }
  });
export type CallLogPayload = z.output<typeof CallLogPayloadSchema>;

/** The agent's wrap-up of a call (mutation call.wrapUp): disposition, linked ŞÖK, note. */
export const CallWrapUpPayloadSchema = z.strictObject({
  callId: z.uuid(),
  disposition: z.enum(CALL_DISPOSITIONS, { error: () => t('phone.dispositionRequired') }),
  sokId: z.uuid().nullable().default(null),
  note: text({ max: 1000 }).default(''),
  at: isoTime,
});
export type CallWrapUpPayload = z.output<typeof CallWrapUpPayloadSchema>;

export interface CallLogEntry {
  id: string;
  sipCallId: string;
  direction: (typeof CALL_DIRECTIONS)[number];
  number: string;
  agentId: string;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  /** Talk time in whole seconds (0 when not answered). */
  durationSeconds: number;
  outcome: CallOutcome;
  endReason: string;
  disposition: CallDisposition | null;
  sokId: string | null;
  note: string;
  wrappedUpAt: string | null;
  /** Not yet on the central API. */
  pending: boolean;
}

export function talkSeconds(answeredAt: string | null, endedAt: string): number {
  if (answeredAt === null) return 0;
  return Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(answeredAt)) / 1000));
}

/** Inbound calls nobody talked to: each owes the citizen a callback ("cevapsız çağrı"). */
export function isMissedCall(call: { direction: string; outcome: CallOutcome }): boolean {
  return call.direction === 'inbound' && (call.outcome === 'missed' || call.outcome === 'rejected');
}

/**
 * What the softphone dials for a stored number: the national form an exchange in Turkey expects
 * (+905321234567 → 05321234567); other countries with 00; anything else as typed, digits only.
 */
export function dialStringFor(number: string): string {
  const trimmed = number.replace(/[\s()-]/g, '');
  if (trimmed.startsWith('+90')) return `0${trimmed.slice(3)}`;
  if (trimmed.startsWith('+')) return `00${trimmed.slice(1)}`;
  return trimmed;
}

// ------------------------------------------------------------------ the call in progress

/** ringing: an inbound call ringing at the agent, or an outbound one being dialled; talking: answered. */
export const CALL_PHASES = ['ringing', 'talking'] as const;
export type CallPhase = (typeof CALL_PHASES)[number];

/**
 * The call a desk is on, as supervisors may see it. Deliberately without the citizen's number
 * (KVKK): the board shows direction, duration and the linked ŞÖK only, so the number never
 * leaves the desk this way (a payload carrying one is refused).
 */
export const CurrentCallSchema = z
  .strictObject({
    /** The desk's id of the call; the call log entry gets the same id when it ends. */
    id: z.uuid(),
    phase: z.enum(CALL_PHASES),
    direction: z.enum(CALL_DIRECTIONS),
    /** When it started ringing (inbound) or was dialled (outbound). */
    startedAt: isoTime,
    answeredAt: isoTime.nullable().default(null),
    /** A ŞÖK the agent registered, or added this caller to, during the call. */
    sokId: z.uuid().nullable().default(null),
  })
  .refine((c) => (c.phase === 'talking') === (c.answeredAt !== null), {
    message: t('phone.answerMismatch'),
    path: ['answeredAt'],
  });
export type CurrentCall = z.output<typeof CurrentCallSchema>;

/**
 * The desk's current call as it travels to the central API (mutation agent.call): the call, or
 * null when the desk has none any more, as of `at`. The newest report per agent wins.
 */
export const AgentCallPayloadSchema = z.strictObject({
  id: z.uuid(),
  call: CurrentCallSchema.nullable(),
  at: isoTime,
});
export type AgentCallPayload = z.output<typeof AgentCallPayloadSchema>;

/** The call an agent is on, as the live board shows it: never the citizen's number. */
export interface AgentCallView {
  phase: CallPhase;
  direction: (typeof CALL_DIRECTIONS)[number];
  startedAt: string;
  answeredAt: string | null;
  /** Registration number of the linked ŞÖK, when there is one the supervisor may see. */
  regNo: string | null;
}

// ------------------------------------------------------------------ a callback's call

/**
 * The callback attempt a call's result proposes; the agent confirms or changes it. Answered →
 * reached (a candidate: it may have been voicemail). Otherwise by the SIP status of the final
 * response: busy (486, 600) and declined (603; Turkish mobile networks present a rejected call
 * as busy too) → busy; ringing without an answer until it timed out (408) or the agent gave up
 * (487, or no response at all) → no answer; anything else (480 phone off, 404 no such
 * subscriber, 5xx, a local failure) → unreachable. Never "wrong number": it ends the callback at
 * once, and only a person who answered can tell it.
 */
export function attemptOutcomeOfCall(call: {
  outcome: CallOutcome;
  endCode: number | null;
  endReason: string;
}): AttemptOutcome {
  if (call.outcome === 'answered') return 'reached';
  const code = call.endCode;
  if (code === 486 || code === 600 || code === 603) return 'busy';
  if (code === 408 || code === 487) return 'no-answer';
  if (code === null) return call.endReason === '' ? 'no-answer' : 'unreachable';
  return 'unreachable';
}
