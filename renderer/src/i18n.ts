/** The renderer's messages (locale/tr.ts) and how numbers and dates read on screen. */
import { tr } from './locale/tr';

export type UiKey = keyof typeof tr;
/** The shape of a catalogue: another language provides every key. */
export type UiCatalogue = { readonly [K in UiKey]: string };

const catalogue: UiCatalogue = tr;

/** A UI string; `{name}` placeholders are filled from params. */
export function ui(key: UiKey, params: Record<string, string | number> = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}

const ZONE = 'Europe/Istanbul';
// Formatters are built once: lists format thousands of dates while scrolling.
const TIME = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  dateStyle: 'short',
  timeStyle: 'medium',
});
const DATE_LONG = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const SHORT = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const COUNT = new Intl.NumberFormat('tr-TR');

/** Dates and times as people in Bursa read them, whatever the PC's time zone. */
export function formatTime(iso: string): string {
  return TIME.format(new Date(iso)).replace(',', '');
}

/** "12 Mart 2026": the form an agent reads aloud. */
export function formatDateLong(iso: string): string {
  return DATE_LONG.format(new Date(iso));
}

/** "12.03.2026 14:05": compact, for lists. */
export function formatShort(iso: string): string {
  return SHORT.format(new Date(iso)).replace(',', '');
}

/** Counts with Turkish digit grouping: 10.000. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/**
 * The instant a calendar day starts in Istanbul, as ISO (UTC), for a date input's 'YYYY-MM-DD';
 * `plusDays` 1 gives the exclusive end of that day. Turkey keeps UTC+03:00 all year (no DST).
 */
export function istanbulDayStart(date: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays, -3);
  return Number.isNaN(utc) ? null : new Date(utc).toISOString();
}

// Keys chosen at run time, spelled out so that every key in the catalogue is referenced by name
// (test/unit/message-catalogues.test.ts checks that none is unused).

/** A call's outcome in the call log. */
export const CALL_OUTCOME_KEY = {
  answered: 'phone.outcome.answered',
  missed: 'phone.outcome.missed',
  rejected: 'phone.outcome.rejected',
  failed: 'phone.outcome.failed',
} as const satisfies Record<string, UiKey>;

/** The softphone's keyboard shortcuts, as listed in its help. */
export const PHONE_SHORTCUT_KEY = {
  answer: 'phone.shortcuts.answer',
  hangup: 'phone.shortcuts.hangup',
  hold: 'phone.shortcuts.hold',
} as const satisfies Record<string, UiKey>;
