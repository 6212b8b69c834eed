import { z } from 'zod';
import {
  lineFigures,
  maskCallerNumber,
  NO_ANSWER_REASON,
  type LineCall,
  type LineCallerState,
  type LineConfig,
  type LineFigures,
} from './call-queue';

/**
 * The call line as supervisors and agents see it (issue #20 item 6): who waits now on each line
 * (153 and each district desk's number), masked, with their place and wait, and the line's
 * figures (today on the console, a period in the exports and the monthly report). The counting
 * itself is `lineFigures` (./call-queue.ts); this module shapes it for the wire and checks that
 * the counts add up. Pure.
 */

export const LineFiguresSchema = z.object({
  offered: z.number().int(),
  answered: z.number().int(),
  answeredWithinThreshold: z.number().int(),
  abandoned: z.number().int(),
  shortAbandoned: z.number().int(),
  timedOut: z.number().int(),
  inProgress: z.number().int(),
  serviceLevel: z.number().nullable(),
  asaSeconds: z.number().nullable(),
  abandonmentRate: z.number().nullable(),
  longestWaitSeconds: z.number(),
}) satisfies z.ZodType<LineFigures>;

/** A caller on the line now, as the console shows them (the number masked, KVKK). */
export const LiveCallerSchema = z.object({
  /** Place in line among the waiting (1 = next); 0 while an agent's phone rings. */
  position: z.number().int(),
  number: z.string(),
  state: z.enum(['waiting', 'offered']),
  arrivedAt: z.string(),
  /** Seconds waited as of the response's `asOf`; the console keeps counting from there. */
  waitSeconds: z.number().int(),
});
export type LiveCaller = z.infer<typeof LiveCallerSchema>;

export const LineLiveRowSchema = z.object({
  line: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  serviceLevelSeconds: z.number().int(),
  shortAbandonSeconds: z.number().int(),
  waiting: z.number().int(),
  ringing: z.number().int(),
  /** Oldest first: the waiting in their order, and those ringing at an agent. */
  callers: z.array(LiveCallerSchema),
  /** The longest wait of those on the line now (0 with nobody). */
  longestWaitNowSeconds: z.number().int(),
  today: LineFiguresSchema,
});
export type LineLiveRow = z.infer<typeof LineLiveRowSchema>;

export const LineLiveResponseSchema = z.object({
  asOf: z.string(),
  lines: z.array(LineLiveRowSchema),
});
export type LineLiveResponse = z.infer<typeof LineLiveResponseSchema>;

export const LinePeriodRowSchema = z.object({
  line: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  serviceLevelSeconds: z.number().int(),
  figures: LineFiguresSchema,
});
export type LinePeriodRow = z.infer<typeof LinePeriodRowSchema>;

/** The lines' figures over a period of days (the exports, the monthly report). */
export interface LinePeriodResponse {
  period: { from: string; to: string };
  asOf: string;
  lines: LinePeriodRow[];
  /** Every line together (rates recomputed from the sums). */
  total: LineFigures;
}

/** How many wait in the agent's line(s): the desk's header badge. */
export const LineWaitingResponseSchema = z.object({
  waiting: z.number().int(),
  lines: z.array(z.object({ line: z.string(), waiting: z.number().int() })),
  /**
   * The reader's own state when the line set it (an offered call rang out: Molada, reason
   * `cevapsiz`) and it is still their current one; null otherwise. Their desk shows it and why.
   */
  setByLine: z
    .object({
      state: z.literal('break'),
      reason: z.literal(NO_ANSWER_REASON),
      reasonText: z.string(),
      since: z.string(),
    })
    .nullable()
    .default(null),
});
export type LineWaitingResponse = z.infer<typeof LineWaitingResponseSchema>;

/** A line_caller row as the figures need it. */
export interface LineCallerRow {
  number: string;
  state: string;
  arrivedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
}

const ON_LINE = new Set<string>(['waiting', 'offered']);

export function toLineCall(row: LineCallerRow): LineCall {
  return {
    arrivedAt: row.arrivedAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    state: row.state as LineCallerState,
  };
}

/**
 * Those on the line now (rows in arrival order), numbered among the waiting, masked, with their
 * wait as of `now`.
 */
export function liveCallers(rows: readonly LineCallerRow[], now: string): LiveCaller[] {
  let position = 0;
  return rows
    .filter((r) => ON_LINE.has(r.state))
    .map((r) => ({
      position: r.state === 'waiting' ? ++position : 0,
      number: maskCallerNumber(r.number),
      state: r.state as 'waiting' | 'offered',
      arrivedAt: r.arrivedAt,
      // Rounded as lineFigures rounds the longest wait, so the two never disagree by a second.
      waitSeconds: Math.max(0, Math.round((Date.parse(now) - Date.parse(r.arrivedAt)) / 1000)),
    }));
}

/** One line's live row: who is on it now and the day's figures. */
export function lineLiveRow(
  line: Pick<LineConfig, 'number' | 'orgCode' | 'serviceLevelSeconds' | 'shortAbandonSeconds'>,
  orgName: string,
  onLine: readonly LineCallerRow[],
  today: readonly LineCallerRow[],
  now: string,
): LineLiveRow {
  const callers = liveCallers(onLine, now);
  return {
    line: line.number,
    orgCode: line.orgCode,
    orgName,
    serviceLevelSeconds: line.serviceLevelSeconds,
    shortAbandonSeconds: line.shortAbandonSeconds,
    waiting: callers.filter((c) => c.state === 'waiting').length,
    ringing: callers.filter((c) => c.state === 'offered').length,
    callers,
    longestWaitNowSeconds: callers.reduce((m, c) => Math.max(m, c.waitSeconds), 0),
    today: lineFigures(today.map(toLineCall), line, now),
  };
}

/**
 * What the figures are made of, as sums a database can compute in one pass (the period's figures
 * are aggregated in SQL: a month of calls is never read row by row).
 */
export interface LineTotals {
  offered: number;
  answered: number;
  answeredWithinThreshold: number;
  abandoned: number;
  shortAbandoned: number;
  timedOut: number;
  /** Seconds from arrival to answer, summed over the answered calls. */
  answerSecondsTotal: number;
  /** Unrounded. */
  longestWaitSeconds: number;
}

/** The figures from their sums: the same rates and rounding as `lineFigures`. */
export function lineFiguresFromTotals(t: LineTotals): LineFigures {
  const decided = t.answered + t.abandoned - t.shortAbandoned;
  return {
    offered: t.offered,
    answered: t.answered,
    answeredWithinThreshold: t.answeredWithinThreshold,
    abandoned: t.abandoned,
    shortAbandoned: t.shortAbandoned,
    timedOut: t.timedOut,
    inProgress: t.offered - t.answered - t.abandoned,
    serviceLevel: decided === 0 ? null : t.answeredWithinThreshold / decided,
    asaSeconds: t.answered === 0 ? null : t.answerSecondsTotal / t.answered,
    abandonmentRate: decided === 0 ? null : (t.abandoned - t.shortAbandoned) / decided,
    longestWaitSeconds: Math.round(Math.max(0, t.longestWaitSeconds)),
  };
}

/**
 * Several lines' figures as one (the "Toplam" row): counts summed, rates and the average speed
 * of answer recomputed from the sums (not averaged), the longest wait the longest of all.
 */
export function sumLineFigures(all: readonly LineFigures[]): LineFigures {
  const sum = (f: (x: LineFigures) => number) => all.reduce((s, x) => s + f(x), 0);
  return lineFiguresFromTotals({
    offered: sum((x) => x.offered),
    answered: sum((x) => x.answered),
    answeredWithinThreshold: sum((x) => x.answeredWithinThreshold),
    abandoned: sum((x) => x.abandoned),
    shortAbandoned: sum((x) => x.shortAbandoned),
    timedOut: sum((x) => x.timedOut),
    answerSecondsTotal: sum((x) => (x.asaSeconds ?? 0) * x.answered),
    longestWaitSeconds: all.reduce((m, x) => Math.max(m, x.longestWaitSeconds), 0),
  });
}

/** Every call offered is answered, abandoned (timed out included) or still on the line. */
export function figuresAddUp(f: LineFigures): boolean {
  return (
    f.offered === f.answered + f.abandoned + f.inProgress &&
    f.answeredWithinThreshold <= f.answered &&
    f.shortAbandoned + f.timedOut <= f.abandoned
  );
}
