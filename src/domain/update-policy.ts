/**
 * When a desk checks for, and installs, a new version (issue #21, build/README.md). The shell's
 * updater (electron/updater.ts, electron-updater with a generic provider) downloads in the
 * background; installing restarts the app, which would drop a call, so it happens only when
 * no call rings or is talked and the agent agrees — or when the app quits (then it is there at
 * the next start). Staged rollout is electron-updater's: `stagingPercentage` in the feed's
 * latest.yml, matched against a random id each installation keeps.
 */

export interface UpdateSituation {
  /** The version downloaded and verified (sha512), or null. */
  downloaded: string | null;
  ringing: boolean;
  inCall: boolean;
  /** What the agent answered for this version, if anything. */
  answer: 'install-now' | 'later' | null;
}

export type UpdateAction =
  | 'nothing'
  /** A call is on: not even ask until it ends. */
  | 'wait-for-call-end'
  | 'ask-agent'
  | 'install-now'
  /** The agent said later: it installs when the app quits (autoInstallOnAppQuit). */
  | 'install-at-quit';

export function decideUpdate(s: UpdateSituation): UpdateAction {
  if (s.downloaded === null) return 'nothing';
  if (s.answer === 'later') return 'install-at-quit';
  if (s.ringing || s.inCall) return 'wait-for-call-end';
  return s.answer === 'install-now' ? 'install-now' : 'ask-agent';
}

export const DEFAULT_CHECK_HOURS = 4;
/** Checks spread over this window, so a hundred desks do not ask the server at once. */
const SPREAD_MS = 30 * 60_000;
/** The first check waits until the desk has started and signed in. */
const FIRST_CHECK_MS = 60_000;

/** A stable offset in [0, SPREAD_MS) from the installation's id. */
export function checkOffsetMs(installId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < installId.length; i++) {
    hash ^= installId.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash % SPREAD_MS;
}

/** Milliseconds until the next check: soon after start, then every few hours, spread. */
export function nextCheckDelayMs(options: {
  installId: string;
  checksDone: number;
  everyHours?: number;
}): number {
  const offset = checkOffsetMs(options.installId);
  if (options.checksDone === 0) return FIRST_CHECK_MS + (offset % 60_000);
  return (options.everyHours ?? DEFAULT_CHECK_HOURS) * 3_600_000 + offset;
}

/** ALO153_UPDATE_CHECK_HOURS: 0 turns checking off (e.g. IT pushes packages itself). */
export function updateCheckHours(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CHECK_HOURS;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 168 ? n : DEFAULT_CHECK_HOURS;
}

/**
 * The feed a desk checks: ALO153_UPDATE_URL, else the central API's /updates/ when the desk
 * uses a deployed one (ALO153_API_URL); an embedded API (one PC, a demo) has no feed.
 */
export function updateFeedUrl(env: Record<string, string | undefined>): string | null {
  const explicit = env.ALO153_UPDATE_URL?.trim();
  if (explicit) return explicit.endsWith('/') ? explicit : `${explicit}/`;
  const api = env.ALO153_API_URL?.trim();
  if (api) return `${api.replace(/\/+$/, '')}/updates/`;
  return null;
}
