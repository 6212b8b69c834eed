import type { CurrentCall } from '../../../src/domain/call';
import type { CallInfo } from './phone';

/**
 * The call this desk is on, as far as supervisors are concerned: the oldest call still on the
 * line (the citizen's, not a consultation call made during it), leaving out calls turned away
 * without being answered (do-not-disturb, break, rejected).
 */
export function primaryCall(
  calls: readonly CallInfo[],
  turnedAway: ReadonlySet<string>,
): CallInfo | undefined {
  return calls.find((x) => x.status !== 'ended' && !turnedAway.has(x.id));
}

/**
 * The primary call as the supervisors' live board gets it, or null when there is none. The
 * citizen's number is not part of it (KVKK).
 */
export function currentCallOf(
  calls: readonly CallInfo[],
  options: {
    turnedAway: ReadonlySet<string>;
    /** The id the call has in the call log. */
    idOf: (call: CallInfo) => string;
    /** A ŞÖK linked during the call. */
    sokIdOf: (call: CallInfo) => string | null;
  },
): CurrentCall | null {
  const c = primaryCall(calls, options.turnedAway);
  if (!c) return null;
  const answered = c.answeredAt !== null;
  return {
    id: options.idOf(c),
    phase: answered ? 'talking' : 'ringing',
    direction: c.direction,
    startedAt: new Date(c.createdAt).toISOString(),
    answeredAt: answered ? new Date(Math.max(c.answeredAt!, c.createdAt)).toISOString() : null,
    sokId: options.sokIdOf(c),
  };
}

/** What tells two reports apart: the same call in the same phase with the same ŞÖK is no news. */
export function reportKey(call: CurrentCall | null): string {
  return call === null ? '' : `${call.id}|${call.phase}|${call.sokId ?? ''}`;
}
