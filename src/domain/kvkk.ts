import { addDays, addMonths, addYears } from 'date-fns';
import { z } from 'zod';

/**
 * KVKK (Law 6698) rules shared by the central API and the desks: the retention schedule, what
 * an anonymised ŞÖK looks like, the kinds of access that are logged and the citizen's requests
 * (art. 11/13). docs/kvkk.md explains the defaults.
 */

/** How long personal data is kept, editable by a system administrator. */
export const RetentionScheduleSchema = z.strictObject({
  /** Contact data of a closed ŞÖK is anonymised this many years after its last change. */
  closedSokYears: z.number().int().min(1).max(20),
  /** The number of a logged call is erased this many months after the call. */
  callLogMonths: z.number().int().min(1).max(120),
  /** A desk PC keeps a closed ŞÖK's contact data this many days after its last change. */
  deskClosedDays: z.number().int().min(1).max(365),
});
export type RetentionSchedule = z.infer<typeof RetentionScheduleSchema>;

export const DEFAULT_RETENTION: RetentionSchedule = {
  closedSokYears: 2,
  callLogMonths: 12,
  deskClosedDays: 30,
};

/** The instants before which data falls under the schedule, at `now`. */
export function retentionCutoffs(schedule: RetentionSchedule, now: Date) {
  return {
    closedSok: addYears(now, -schedule.closedSokYears),
    callLog: addMonths(now, -schedule.callLogMonths),
    deskClosed: addDays(now, -schedule.deskClosedDays),
  };
}

/** What an anonymised ŞÖK keeps in place of the citizen's details. */
export const ANONYMISED = {
  citizenName: '',
  citizenPhone: '',
  citizenEmail: null,
  address: '',
  latitude: null,
  longitude: null,
} as const;

/**
 * The description is kept (it says what the request was about), but the citizen's own name, phone
 * and e-mail are cut out of it where the agent typed them in, so the kept text no longer points
 * at the person. Matching ignores case (Turkish rules) and the spacing of phone digits.
 */
export function scrubPersonalData(
  text: string,
  who: { name: string; phone: string; email: string | null },
): string {
  let out = text;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const words = who.name
    .split(/\s+/)
    .filter((w) => w.length >= 2)
    .map((w) => escape(w.toLocaleLowerCase('tr')));
  if (words.length > 0) {
    const lower = out.toLocaleLowerCase('tr');
    // Lower-casing in Turkish keeps every index in place for these alphabets.
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(${words.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    const cuts: [number, number][] = [];
    for (const m of lower.matchAll(re)) cuts.push([m.index, m.index + m[0].length]);
    if (lower.length === out.length) {
      for (const [a, b] of cuts.reverse()) out = out.slice(0, a) + '***' + out.slice(b);
    }
  }
  const national = who.phone.replace(/^\+90/, '');
  if (national.length >= 7) {
    const digits = national.split('').map(escape).join('[\\s().-]*');
    out = out.replace(new RegExp(`(?:\\+?90[\\s-]*)?(?:0[\\s-]*)?\\(?${digits}`, 'g'), '***');
  }
  if (who.email !== null && who.email !== '') {
    out = out.replace(new RegExp(escape(who.email), 'gi'), '***');
  }
  return out;
}

/**
 * Each way a user can see a citizen's unmasked contact details. `view`: a ŞÖK opened in full;
 * `caller-history`: the caller's earlier ŞÖKs on a screen pop; `search`: a search whose results
 * show contacts; `list`: a queue listed with contacts; `export`: a file with contacts; `reveal`: a masked number shown on request;
 * `subject-request`: a data-protection officer's search for a citizen's data.
 */
export const ACCESS_KINDS = [
  'view',
  'caller-history',
  'search',
  'list',
  'export',
  'reveal',
  'subject-request',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export const AccessEntrySchema = z.strictObject({
  /** The desk's id for the entry, so a resend is stored once. */
  id: z.uuid(),
  kind: z.enum(ACCESS_KINDS),
  sokId: z.uuid().nullable(),
  /** When the user saw it, on the desk's clock. */
  at: z.iso.datetime({ offset: true }),
  /** What was shown: an export's format and row count, a search's result count. No personal data. */
  detail: z.string().max(200).default(''),
});
export type AccessEntry = z.infer<typeof AccessEntrySchema>;

/** The versioned texts: the notice (aydınlatma) read to the caller, the SMS-survey consent. */
export const KVKK_TEXT_KINDS = ['notice', 'sms-consent'] as const;
export type KvkkTextKind = (typeof KVKK_TEXT_KINDS)[number];

/** The citizen's requests under KVKK art. 11. */
export const SUBJECT_REQUEST_KINDS = ['access', 'correct', 'erase'] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];

/** KVKK art. 13(2): answered as soon as possible and within thirty days at the latest. */
export const SUBJECT_REQUEST_DAYS = 30;

export function subjectRequestDue(receivedAt: Date): Date {
  return addDays(receivedAt, SUBJECT_REQUEST_DAYS);
}
