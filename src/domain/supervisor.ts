import { z } from 'zod';
import { text } from './text-input';
import { t } from './i18n/tr';

/**
 * The supervisor console's figures (issue #7) as they travel from the central API to the desk
 * and the renderer: queues per organisation, callback SLA and the 30-day legal limit, volumes and
 * the monthly flows. Computed by the API with SQL aggregates over what the supervisor may see.
 */

export const QUEUE_KINDS = [
  'new',
  'accepted',
  'overdue',
  'due-today',
  'later',
  'unreachable',
] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export const QUEUE_NAMES: Record<QueueKind, string> = {
  new: 'Yeni (kabul bekliyor)',
  accepted: 'Değerlendirmede',
  overdue: 'Gecikmiş geri arama',
  'due-today': 'Bugün aranacak',
  later: 'Sonraki günlerde aranacak',
  unreachable: 'Ulaşılamadı (son 30 gün)',
};

/** Unreachable callbacks stay in the queue this many days after they ended. */
export const UNREACHABLE_QUEUE_DAYS = 30;

export const QueueCountsSchema = z.object({
  org: z.string(),
  orgName: z.string(),
  new: z.number().int(),
  accepted: z.number().int(),
  overdue: z.number().int(),
  dueToday: z.number().int(),
  /** Open callbacks due after today: counted too, so no open item is in no column. */
  later: z.number().int(),
  unreachable: z.number().int(),
  /** The sum of the columns: every item in the organisation's queues, each counted once. */
  total: z.number().int(),
});
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

export type QueueField = Exclude<keyof QueueCounts, 'org' | 'orgName' | 'total'>;

/**
 * The columns of the queue table, in order, each kind with its count field. Every ŞÖK waiting for
 * acceptance or a decision, every open callback (overdue, due today, due later) and every callback
 * that ended unreachable in the last 30 days is in exactly one column.
 */
export const QUEUE_COLUMNS: readonly { queue: QueueKind; field: QueueField }[] = [
  { queue: 'new', field: 'new' },
  { queue: 'accepted', field: 'accepted' },
  { queue: 'overdue', field: 'overdue' },
  { queue: 'due-today', field: 'dueToday' },
  { queue: 'later', field: 'later' },
  { queue: 'unreachable', field: 'unreachable' },
];

/** The row total: the sum of its columns. */
export function queueTotal(c: Record<QueueField, number>): number {
  return QUEUE_COLUMNS.reduce((sum, col) => sum + c[col.field], 0);
}

export const QueuesResponseSchema = z.object({
  asOf: z.string(),
  rows: z.array(QueueCountsSchema),
  totals: QueueCountsSchema,
});
export type QueuesResponse = z.infer<typeof QueuesResponseSchema>;

export const QueueItemsQuerySchema = z.strictObject({
  queue: z.enum(QUEUE_KINDS),
  org: text({ min: 1, max: 64, trim: false }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type QueueItemsQuery = z.input<typeof QueueItemsQuerySchema>;

/** One ŞÖK in a drill-down: the citizen's details masked unless the viewer may see them. */
export const QueueItemSchema = z.object({
  id: z.string(),
  regNo: z.string(),
  status: z.string(),
  topicCode: z.string(),
  districtCode: z.string(),
  originOrg: z.string(),
  targetOrg: z.string().nullable(),
  createdAt: z.string(),
  citizenName: z.string(),
  citizenPhone: z.string(),
  contactMasked: z.boolean(),
  callbackOwnerOrg: z.string().nullable(),
  callbackDueAt: z.string().nullable(),
  callbackState: z.string().nullable(),
  claimedByName: z.string().nullable(),
  attempts: z.number().int(),
  escalation: z.number().int(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const QueueItemsResponseSchema = z.object({
  items: z.array(QueueItemSchema),
  total: z.number().int(),
});
export type QueueItemsResponse = z.infer<typeof QueueItemsResponseSchema>;

export const StaffResponseSchema = z.object({
  staff: z.array(z.object({ id: z.string(), displayName: z.string(), role: z.string() })),
});
export type StaffMember = z.infer<typeof StaffResponseSchema>['staff'][number];

/**
 * Reports cover the product's lifetime: years 2000–2099. Outside it a period is a typo, and a
 * year such as 9999 or 0000 would overflow the date arithmetic.
 */
export const REPORT_YEAR_MIN = 2000;
export const REPORT_YEAR_MAX = 2099;
const yearInRange = (text: string) => {
  const year = Number(text.slice(0, 4));
  return year >= REPORT_YEAR_MIN && year <= REPORT_YEAR_MAX;
};
const yearRangeMessage = t('validation.yearOutOfRange', {
  min: REPORT_YEAR_MIN,
  max: REPORT_YEAR_MAX,
});

const day = z.iso.date('Tarih YYYY-AA-GG olmalı.').refine(yearInRange, yearRangeMessage);

/** A period in Istanbul calendar days, both ends included; at most two years. */
export const PeriodQuerySchema = z
  .strictObject({ from: day, to: day })
  .refine((p) => p.from <= p.to, { message: 'Başlangıç bitişten sonra olamaz.', path: ['from'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= 731 * 86_400_000, {
    message: 'Dönem en fazla iki yıl olabilir.',
    path: ['to'],
  });
export type PeriodQuery = z.infer<typeof PeriodQuerySchema>;

export const SlaRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  /** Callbacks that ended (reached or unreachable) in the period by their due time. */
  onTime: z.number().int(),
  /** Callbacks that ended in the period, whenever they were due. */
  closed: z.number().int(),
  /** Callbacks still open whose due time fell in the period and has passed. */
  openOverdue: z.number().int(),
  /** onTime ÷ (closed + openOverdue); null when nothing counts yet. */
  rate: z.number().nullable(),
  /** ŞÖKs registered in the period whose legal limit passed or whose citizen was informed. */
  legalDue: z.number().int(),
  /** … of which the citizen was informed within 30 days. */
  legalCompliant: z.number().int(),
  legalRate: z.number().nullable(),
});
export type SlaRow = z.infer<typeof SlaRowSchema>;

export const SlaThresholdsSchema = z.object({
  /** At or above: green. */
  goodPercent: z.number(),
  /** At or above (and below good): amber; below: red. */
  warnPercent: z.number(),
});
export type SlaThresholds = z.infer<typeof SlaThresholdsSchema>;

export const SlaResponseSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  asOf: z.string(),
  thresholds: SlaThresholdsSchema,
  overall: SlaRowSchema,
  byOrg: z.array(SlaRowSchema),
  byDistrict: z.array(SlaRowSchema),
  byTopic: z.array(SlaRowSchema),
  /** Inbound calls in the period from the softphone's call log: answered, missed, time to answer. */
  calls: z.object({
    inbound: z.number(),
    answered: z.number(),
    /** Missed or turned away (do-not-disturb, rejected). */
    missed: z.number(),
    /** answered ÷ inbound; null without calls. */
    answerRate: z.number().nullable(),
    /** Average seconds from ringing to answer; null without answered calls. */
    avgAnswerSeconds: z.number().nullable(),
  }),
});
export type SlaResponse = z.infer<typeof SlaResponseSchema>;

/**
 * The "E-posta" intake queue (issue #18): what waits now and since when, against the target (every
 * e-mail handled within `targetWorkingDays` working days: by the close of business of that working
 * day after the day it came in), and how much of the period's mail was handled within it. An
 * e-mail is unhandled while its state is `new` (the mailbox's own definition, /mailbox/figures).
 */
export const MailRowSchema = z.object({
  /** The organisation whose mailbox received it ('' for the total). */
  key: z.string(),
  name: z.string(),
  /** Unhandled now. */
  unhandled: z.number().int(),
  /** … of which past the target. */
  overdue: z.number().int(),
  /** When the oldest unhandled e-mail came in; null when nothing waits. */
  oldestUnhandledAt: z.string().nullable(),
  /** Its age in working hours (office hours of working days, one decimal). */
  oldestWorkingHours: z.number().nullable(),
  /** Whether it is past the target. */
  oldestOverdue: z.boolean(),
  /** Received in the period. */
  received: z.number().int(),
  /** … handled (registered, linked or set aside) by now. */
  handled: z.number().int(),
  /** … handled within the target. */
  handledOnTime: z.number().int(),
  /** handledOnTime ÷ (handled + unhandled past the target) of the period's mail; null when none. */
  rate: z.number().nullable(),
});
export type MailRow = z.infer<typeof MailRowSchema>;

export const MailFiguresResponseSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  asOf: z.string(),
  targetWorkingDays: z.number().int(),
  thresholds: SlaThresholdsSchema,
  overall: MailRowSchema,
  byOrg: z.array(MailRowSchema),
});
export type MailFiguresResponse = z.infer<typeof MailFiguresResponseSchema>;

export type SlaLevel = 'good' | 'warn' | 'bad' | 'none';

/** The colour band of a rate (0–1) against the configured thresholds (percent). */
export function slaLevel(rate: number | null, t: SlaThresholds): SlaLevel {
  if (rate === null) return 'none';
  const percent = rate * 100;
  if (percent >= t.goodPercent) return 'good';
  if (percent >= t.warnPercent) return 'warn';
  return 'bad';
}

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export const CountRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  count: z.number().int(),
  /** The same figure in the period of the same length just before: the trend. */
  previous: z.number().int(),
});
export type CountRow = z.infer<typeof CountRowSchema>;

export const FLOW_KINDS = [
  'toCallCentre',
  'toMetropolitan',
  'toDistrictsAndInstitutions',
  'districtsToMetropolitan',
] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/** The monthly flows that BİKOM's press release of 25 December 2017 reports. */
export const FLOW_NAMES: Record<FlowKind, string> = {
  toCallCentre: 'BİKOM’a gelen',
  toMetropolitan: 'BİKOM’dan Büyükşehir birimlerine',
  toDistrictsAndInstitutions: 'BİKOM’dan ilçe belediyeleri ve kurumlara',
  districtsToMetropolitan: 'İlçelerden Büyükşehir birimlerine',
};

export const MonthRowSchema = z.object({
  month: z.string(),
  total: z.number().int(),
  toCallCentre: z.number().int(),
  toMetropolitan: z.number().int(),
  toDistrictsAndInstitutions: z.number().int(),
  districtsToMetropolitan: z.number().int(),
});
export type MonthRow = z.infer<typeof MonthRowSchema>;

export const VolumesResponseSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  previousPeriod: z.object({ from: z.string(), to: z.string() }),
  total: z.number().int(),
  previousTotal: z.number().int(),
  months: z.array(MonthRowSchema),
  byTopic: z.array(CountRowSchema),
  byDistrict: z.array(CountRowSchema),
  byOrg: z.array(CountRowSchema),
  byChannel: z.array(CountRowSchema),
});
export type VolumesResponse = z.infer<typeof VolumesResponseSchema>;

export const EXPORT_REPORTS = ['queues', 'queue-items', 'sla', 'volumes', 'mail', 'line'] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportQuerySchema = z.strictObject({
  report: z.enum(EXPORT_REPORTS),
  format: z.enum(EXPORT_FORMATS),
  from: day.optional(),
  to: day.optional(),
  queue: z.enum(QUEUE_KINDS).optional(),
  org: text({ min: 1, max: 64, trim: false }).optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

export const MonthlyReportQuerySchema = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Ay YYYY-AA olmalı.')
    .refine(yearInRange, yearRangeMessage),
});

/** A file the API produced, as it crosses the bridge to the renderer. */
export const DownloadSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  base64: z.string(),
});
export type Download = z.infer<typeof DownloadSchema>;

/** "2026-03" → "Mart 2026" */
export function monthName(month: string): string {
  const names = [
    'Ocak',
    'Şubat',
    'Mart',
    'Nisan',
    'Mayıs',
    'Haziran',
    'Temmuz',
    'Ağustos',
    'Eylül',
    'Ekim',
    'Kasım',
    'Aralık',
  ];
  const [y, m] = month.split('-');
  return `${names[Number(m) - 1] ?? m} ${y}`;
}

/**
 * Where the city stands now (issue #17 item 11): per district the open ŞÖKs and how many of them
 * are late (an open callback past due, or past the 30-day legal limit with the citizen not yet
 * informed), and the legal-limit risk of the next days: ŞÖKs whose limit falls on each of the
 * next `LEGAL_RISK_DAYS` Istanbul days and whose citizen has not been informed yet.
 */
export const LEGAL_RISK_DAYS = 7;

export const OutlookResponseSchema = z.object({
  asOf: z.string(),
  byDistrict: z.array(
    z.object({ key: z.string(), name: z.string(), open: z.number().int(), late: z.number().int() }),
  ),
  legalRisk: z.array(z.object({ day: z.string(), count: z.number().int() })),
  legalRiskByOrg: z.array(z.object({ key: z.string(), name: z.string(), count: z.number().int() })),
});
export type OutlookResponse = z.infer<typeof OutlookResponseSchema>;

/** A district's place on the tile-grid map (resources/reference/district-tiles.json). */
export const DistrictTileSchema = z.object({
  code: z.string(),
  row: z.number().int().min(0),
  col: z.number().int().min(0),
});
export type DistrictTile = z.infer<typeof DistrictTileSchema>;

/** The colour band of a district's late count against the worst district's (map and PDF). */
export function lateLevel(late: number, worst: number): 'none' | 'low' | 'mid' | 'high' {
  if (late === 0) return 'none';
  if (worst <= 1 || late / worst <= 1 / 3) return 'low';
  return late / worst <= 2 / 3 ? 'mid' : 'high';
}

export const LATE_COLOURS: Record<ReturnType<typeof lateLevel>, string> = {
  none: '#eef4ea',
  low: '#fbe9c6',
  mid: '#f3b27a',
  high: '#d9534f',
};
