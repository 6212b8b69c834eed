/** The renderer's messages (locale/tr.ts) and how numbers and dates read on screen. */
import type { OrganisationKind } from '../../src/domain/reference';
import type { ContactPreference, SokSearchMatch, SokStatus } from '../../src/domain/sok';
import type { TimelineEventKind } from '../../src/domain/timeline';
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

export const SOK_STATUS_KEY = {
  registered: 'status.registered',
  routed: 'status.routed',
  accepted: 'status.accepted',
  decided: 'status.decided',
  informed: 'status.informed',
  closed: 'status.closed',
} as const satisfies Record<SokStatus, UiKey>;

/** How the citizen wants to hear back, as a choice on the form … */
export const CONTACT_KEY = {
  telefon: 'form.contact.telefon',
  sms: 'form.contact.sms',
  'e-posta': 'form.contact.e-posta',
} as const satisfies Record<ContactPreference, UiKey>;

/** … and inside the sentence read to the citizen. */
export const RECEIPT_CONTACT_KEY = {
  telefon: 'receipt.contact.telefon',
  sms: 'receipt.contact.sms',
  'e-posta': 'receipt.contact.e-posta',
} as const satisfies Record<ContactPreference, UiKey>;

export const ORG_KIND_KEY = {
  'call-centre': 'kind.call-centre',
  'district-municipality': 'kind.district-municipality',
  'metropolitan-unit': 'kind.metropolitan-unit',
  'municipal-company': 'kind.municipal-company',
  institution: 'kind.institution',
} as const satisfies Record<OrganisationKind, UiKey>;

/** Which field a search result matched. */
export const SEARCH_MATCH_KEY = {
  regNo: 'search.match.regNo',
  phone: 'search.match.phone',
  name: 'search.match.name',
  place: 'search.match.place',
  text: 'search.match.text',
} as const satisfies Record<SokSearchMatch, UiKey>;

/** A routing rule's fields, as named in the change log. */
export const ROUTING_FIELD_KEY: Readonly<Record<string, UiKey>> = {
  topic: 'routing.topic',
  district: 'routing.district',
  place: 'routing.place',
  target: 'routing.target',
  priority: 'routing.priority',
  note: 'routing.note',
};

export const CALLBACK_STATE_KEY = {
  open: 'cb.state.open',
  overdue: 'cb.state.overdue',
  escalated: 'cb.state.escalated',
  done: 'cb.state.done',
  unreachable: 'cb.state.unreachable',
} as const satisfies Record<string, UiKey>;

export const CALLBACK_OWNER_KEY = {
  any: 'cb.owner.any',
  mine: 'cb.owner.mine',
  unclaimed: 'cb.owner.unclaimed',
} as const satisfies Record<string, UiKey>;

export const INBOX_TAB_KEY = {
  new: 'inbox.new',
  evaluating: 'inbox.evaluating',
  all: 'inbox.all',
  external: 'inbox.external',
} as const satisfies Record<string, UiKey>;

/** A timeline event's kind (kinds the desk does not know are shown as they come). */
export const EVENT_KEY: Readonly<Record<TimelineEventKind, UiKey>> = {
  registered: 'event.registered',
  routed: 'event.routed',
  rerouted: 'event.rerouted',
  contact: 'event.contact',
  accepted: 'event.accepted',
  returned: 'event.returned',
  decided: 'event.decided',
  claimed: 'event.claimed',
  released: 'event.released',
  'claim-expired': 'event.claim-expired',
  attempt: 'event.attempt',
  informed: 'event.informed',
  unreachable: 'event.unreachable',
  closed: 'event.closed',
  reopened: 'event.reopened',
  escalated: 'event.escalated',
  assigned: 'event.assigned',
  'decision-not-sent': 'event.decision-not-sent',
  'mail-not-sent': 'event.mail-not-sent',
  'decision-by-email': 'event.decision-by-email',
  'written-notice-needed': 'event.written-notice-needed',
  'citizen-email': 'event.citizen-email',
  'organisation-email': 'event.organisation-email',
  'external-overdue': 'event.external-overdue',
};

/** A queued local change's kind, in the pending list. */
export const PENDING_KEY: Readonly<Record<string, UiKey>> = {
  'sok.create': 'pending.sok.create',
  'sok.route': 'pending.sok.route',
  'sok.addContact': 'pending.sok.addContact',
  'sok.accept': 'pending.sok.accept',
  'sok.return': 'pending.sok.return',
  'sok.decide': 'pending.sok.decide',
  'sok.close': 'pending.sok.close',
  'sok.reopen': 'pending.sok.reopen',
  'callback.claim': 'pending.callback.claim',
  'callback.release': 'pending.callback.release',
  'callback.attempt': 'pending.callback.attempt',
};
