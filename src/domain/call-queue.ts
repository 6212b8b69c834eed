import { z } from 'zod';
import { canonicalPhone } from './phone';
import { maskPhone } from './privacy';

/**
 * The call line in front of the agents (issue #20): citizens dial a line number (153, or a
 * district desk's), wait in order of arrival, and are offered to the longest-idle available
 * agent of the line's organisation. Pure: the central API (src/server/line) keeps the line's
 * state in its database and asks these functions what to do.
 */

// ------------------------------------------------------------------ configuration

export const LineConfigSchema = z.strictObject({
  /** The number citizens dial, as the SIP front sees it in the Request-URI user (153, 4441153). */
  number: z.string().regex(/^[0-9]{3,15}$/, 'a line number is 3 to 15 digits'),
  /** The organisation whose agents answer it. */
  orgCode: z.string().min(1).max(64),
  /** Seconds an offered agent's phone rings before the call moves to the next agent. */
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(15),
  /** Seconds a caller may wait in line before the wait ends politely (a missed call owed). */
  maxWaitSeconds: z.number().int().min(10).max(3600).default(300),
  /** Service level: the share of calls answered within this many seconds. */
  serviceLevelSeconds: z.number().int().min(1).max(600).default(20),
  /**
   * Callers who hang up within this many seconds ("short abandons": a wrong number, a change of
   * mind) are left out of the service level and abandonment rate; still counted and shown.
   * 0: every abandon counts.
   */
  shortAbandonSeconds: z.number().int().min(0).max(60).default(5),
  /** Skills an agent must have to be offered this line's calls (e.g. 'en' for English); none by default. */
  skills: z.array(z.string().min(1).max(40)).max(10).default([]),
});
export type LineConfig = z.output<typeof LineConfigSchema>;
export type LineConfigInput = z.input<typeof LineConfigSchema>;

export function lineConfig(input: LineConfigInput): LineConfig {
  return LineConfigSchema.parse(input);
}

// ------------------------------------------------------------------ agent selection

/** What the line knows about one agent when choosing whom to ring. */
export interface LineAgent {
  userId: string;
  orgCode: string;
  /** agent_state.state: 'available', 'break', 'wrap-up', 'dnd', 'offline' (or none reported). */
  state: string | null;
  /** The SIP extension (AOR user) the agent's phone registers; null: not known, cannot ring. */
  extension: string | null;
  /** Ringing or talking on any call (the desk's report, or a line offer still open). */
  busy: boolean;
  /**
   * Since when the agent has been idle: the later of becoming available and the end of their
   * last call. Longest idle = earliest.
   */
  idleSince: string;
  skills: readonly string[];
}

export type SkipReason =
  | 'other-organisation'
  | 'not-available'
  | 'busy'
  | 'no-extension'
  | 'already-offered'
  | 'missing-skill';

/** Why an agent cannot be offered this call now, or null when they can. */
export function skipReason(
  agent: LineAgent,
  line: Pick<LineConfig, 'orgCode' | 'skills'>,
  alreadyOffered: ReadonlySet<string>,
): SkipReason | null {
  if (agent.orgCode !== line.orgCode) return 'other-organisation';
  // Break, wrap-up, do-not-disturb, offline (unregistered) and no state at all: not ready.
  if (agent.state !== 'available') return 'not-available';
  if (agent.busy) return 'busy';
  if (agent.extension === null) return 'no-extension';
  if (alreadyOffered.has(agent.userId)) return 'already-offered';
  if (!line.skills.every((s) => agent.skills.includes(s))) return 'missing-skill';
  return null;
}

/**
 * The default policy: of the agents who can take the call, the one idle longest (ties: by user
 * id, so every API instance decides the same). Null when nobody can: the caller waits.
 */
export function chooseAgent(
  agents: readonly LineAgent[],
  line: Pick<LineConfig, 'orgCode' | 'skills'>,
  alreadyOffered: ReadonlySet<string> = new Set(),
): LineAgent | null {
  return rankAgents(agents, line, alreadyOffered)[0] ?? null;
}

/**
 * Every agent who can take the call, longest idle first. When several agents are free and
 * several callers wait, the caller at position k takes the k-th: the first in line gets the
 * longest-idle agent whichever caller's request the API happens to see first.
 */
export function rankAgents(
  agents: readonly LineAgent[],
  line: Pick<LineConfig, 'orgCode' | 'skills'>,
  alreadyOffered: ReadonlySet<string> = new Set(),
): LineAgent[] {
  return agents
    .filter((a) => skipReason(a, line, alreadyOffered) === null)
    .sort((a, b) =>
      a.idleSince !== b.idleSince
        ? a.idleSince < b.idleSince
          ? -1
          : 1
        : a.userId < b.userId
          ? -1
          : a.userId > b.userId
            ? 1
            : 0,
    );
}

// ------------------------------------------------------------------ callers and figures

export const LINE_CALLER_STATES = [
  'waiting',
  'offered',
  'answered',
  'abandoned',
  'timed-out',
  'ended',
] as const;
/**
 * waiting: in line; offered: an agent's phone rings; answered: talking; abandoned: the caller
 * hung up before an answer; timed-out: the maximum wait ended it; ended: answered, then hung up.
 */
export type LineCallerState = (typeof LINE_CALLER_STATES)[number];

/** The reason the server sets on an agent who let an offered call ring out (agent_state.reason). */
export const NO_ANSWER_REASON = 'cevapsiz' as const;
export const NO_ANSWER_REASON_NAME = 'Çağrı cevaplanmadı — hazır değil';

export interface LineCall {
  arrivedAt: string;
  answeredAt: string | null;
  /** When the caller left the line (answered calls: when they ended; null while going on). */
  endedAt: string | null;
  state: LineCallerState;
}

export interface LineFigures {
  /** Calls that arrived on the line in the period. */
  offered: number;
  answered: number;
  answeredWithinThreshold: number;
  /** Hung up or timed out before an answer (short abandons included). */
  abandoned: number;
  /** Of the abandoned, those who hung up within the short-abandon threshold. */
  shortAbandoned: number;
  timedOut: number;
  /** Waiting or ringing now. */
  inProgress: number;
  /**
   * answered within threshold ÷ (answered + abandoned − short abandons), calls still waiting
   * left out until they end; null with no such call.
   */
  serviceLevel: number | null;
  /** Average speed of answer, seconds (arrival to answer); null with no answered call. */
  asaSeconds: number | null;
  /** (abandoned − short abandons) ÷ (answered + abandoned − short abandons); null with none. */
  abandonmentRate: number | null;
  /** The longest wait of the period: answered calls' waits, abandoned ones', and those waiting now. */
  longestWaitSeconds: number;
}

const seconds = (from: string, to: string): number =>
  Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** The line's figures over a set of calls (a day's), as of `now`. */
export function lineFigures(
  calls: readonly LineCall[],
  line: Pick<LineConfig, 'serviceLevelSeconds' | 'shortAbandonSeconds'>,
  now: string,
): LineFigures {
  let answered = 0;
  let within = 0;
  let abandoned = 0;
  let short = 0;
  let timedOut = 0;
  let inProgress = 0;
  let speedTotal = 0;
  let longest = 0;
  for (const call of calls) {
    if (call.answeredAt !== null) {
      const wait = seconds(call.arrivedAt, call.answeredAt);
      answered += 1;
      speedTotal += wait;
      if (wait <= line.serviceLevelSeconds) within += 1;
      longest = Math.max(longest, wait);
    } else if (call.state === 'abandoned' || call.state === 'timed-out') {
      const wait = seconds(call.arrivedAt, call.endedAt ?? now);
      abandoned += 1;
      if (call.state === 'timed-out') timedOut += 1;
      else if (wait < line.shortAbandonSeconds) short += 1;
      longest = Math.max(longest, wait);
    } else {
      inProgress += 1;
      longest = Math.max(longest, seconds(call.arrivedAt, now));
    }
  }
  const decided = answered + abandoned - short;
  return {
    offered: calls.length,
    answered,
    answeredWithinThreshold: within,
    abandoned,
    shortAbandoned: short,
    timedOut,
    inProgress,
    serviceLevel: decided === 0 ? null : within / decided,
    asaSeconds: answered === 0 ? null : speedTotal / answered,
    abandonmentRate: decided === 0 ? null : (abandoned - short) / decided,
    longestWaitSeconds: Math.round(longest),
  };
}

/**
 * A caller's number as supervisors see it on the live line (KVKK): the house mask of the
 * canonical number ("+90 532 *** ** 67").
 */
export function maskCallerNumber(number: string): string {
  return maskPhone(canonicalPhone(number));
}
