import { STATUS_NAMES } from '../../domain/workflow';
import type { SokStatus } from '../../domain/sok';
import {
  FLOW_KINDS,
  FLOW_NAMES,
  monthName,
  QUEUE_COLUMNS,
  QUEUE_NAMES,
  type CountRow,
  type ExternalFiguresResponse,
  type ExternalOrgRow,
  type MailFiguresResponse,
  type MailRow,
  type QueueItemsResponse,
  type QueueKind,
  type QueuesResponse,
  type SlaResponse,
  type SlaRow,
  type VolumesResponse,
} from '../../domain/supervisor';
import { formatIstanbulTime } from '../i18n';
import type { Names } from './figures';

/**
 * Every report as plain tables (title, column headings, rows): the one shape the CSV, XLSX and
 * PDF writers take, so an export always holds exactly what the screen shows.
 */
export type Cell = string | number | null;
export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** A rate as a percentage with one decimal, or null when there is nothing to rate. */
export const percent = (rate: number | null): number | null =>
  rate === null ? null : Math.round(rate * 1000) / 10;

export function queueTables(q: QueuesResponse): Table[] {
  return [
    {
      title: 'Kuyruklar',
      columns: ['Kurum', ...QUEUE_COLUMNS.map((c) => QUEUE_NAMES[c.queue]), 'Toplam'],
      rows: [...q.rows, q.totals].map((r) => [
        r.orgName,
        ...QUEUE_COLUMNS.map((c) => r[c.field]),
        r.total,
      ]),
    },
  ];
}

export function queueItemTables(
  queue: QueueKind,
  orgName: string,
  page: QueueItemsResponse,
  names: Names,
): Table[] {
  return [
    {
      title: `${QUEUE_NAMES[queue]} — ${orgName}`,
      columns: [
        'Kayıt no',
        'Durum',
        'Konu',
        'İlçe',
        'Kayıt zamanı',
        'Vatandaş',
        'Telefon',
        'Geri arama son zamanı',
        'Üstlenen',
        'Arama sayısı',
      ],
      rows: page.items.map((i) => [
        i.regNo,
        STATUS_NAMES[i.status as SokStatus] ?? i.status,
        names.topic(i.topicCode),
        names.district(i.districtCode),
        formatIstanbulTime(i.createdAt),
        i.citizenName,
        i.citizenPhone,
        i.callbackDueAt === null ? '' : formatIstanbulTime(i.callbackDueAt),
        i.claimedByName ?? '',
        i.attempts,
      ]),
    },
  ];
}

const slaColumns = (first: string) => [
  first,
  'Zamanında geri arama',
  'Tamamlanan',
  'Gecikmiş açık',
  'Zamanında oranı (%)',
  'Yasal süresi dolan / bildirilen',
  'Yasal sürede bildirilen',
  'Yasal süreye uyum (%)',
];
const slaCells = (r: SlaRow): Cell[] => [
  r.name,
  r.onTime,
  r.closed,
  r.openOverdue,
  percent(r.rate),
  r.legalDue,
  r.legalCompliant,
  percent(r.legalRate),
];

export function slaTables(s: SlaResponse): Table[] {
  const period = `${s.period.from} – ${s.period.to}`;
  return [
    { title: `SLA — genel (${period})`, columns: slaColumns(''), rows: [slaCells(s.overall)] },
    { title: 'SLA — kuruma göre', columns: slaColumns('Kurum'), rows: s.byOrg.map(slaCells) },
    { title: 'SLA — ilçeye göre', columns: slaColumns('İlçe'), rows: s.byDistrict.map(slaCells) },
    { title: 'SLA — konuya göre', columns: slaColumns('Konu'), rows: s.byTopic.map(slaCells) },
    {
      title: 'Gelen çağrılar',
      columns: ['Gelen', 'Cevaplanan', 'Cevapsız', 'Cevaplanma oranı', 'Ort. cevaplama (sn)'],
      rows: [
        [
          s.calls.inbound,
          s.calls.answered,
          s.calls.missed,
          percent(s.calls.answerRate),
          s.calls.avgAnswerSeconds,
        ],
      ],
    },
  ];
}

const trend = (r: CountRow): Cell =>
  r.previous === 0 ? null : Math.round(((r.count - r.previous) / r.previous) * 1000) / 10;

function countTable(title: string, first: string, rows: CountRow[]): Table {
  return {
    title,
    columns: [first, 'Adet', 'Önceki dönem', 'Değişim (%)'],
    rows: rows.map((r) => [r.name, r.count, r.previous, trend(r)]),
  };
}

export function volumeTables(v: VolumesResponse): Table[] {
  return [
    {
      title: `Aylık ŞÖK ve akışlar (${v.period.from} – ${v.period.to})`,
      columns: ['Ay', 'Toplam', ...FLOW_KINDS.map((k) => FLOW_NAMES[k])],
      rows: v.months.map((m) => [monthName(m.month), m.total, ...FLOW_KINDS.map((k) => m[k])]),
    },
    countTable('Konuya göre', 'Konu', v.byTopic),
    countTable('İlçeye göre', 'İlçe', v.byDistrict),
    countTable('Yönlendirilen kuruma göre', 'Kurum', v.byOrg),
    countTable('Kanala göre', 'Kanal', v.byChannel),
  ];
}

export function mailTables(m: MailFiguresResponse): Table[] {
  const cells = (r: MailRow): Cell[] => [
    r.name,
    r.unhandled,
    r.overdue,
    r.oldestUnhandledAt === null ? '' : formatIstanbulTime(r.oldestUnhandledAt),
    r.oldestWorkingHours,
    r.received,
    r.handled,
    r.handledOnTime,
    percent(r.rate),
  ];
  return [
    {
      title: `E-posta (${m.period.from} – ${m.period.to}; hedef ${m.targetWorkingDays} iş günü)`,
      columns: [
        'Kurum',
        'Bekleyen',
        'Hedefi aşan',
        'En eski bekleyen',
        'En eski bekleyenin yaşı (iş saati)',
        'Dönemde gelen',
        'Ele alınan',
        'Hedef içinde ele alınan',
        'Hedef içinde oranı (%)',
      ],
      rows: [...m.byOrg, m.overall].map(cells),
    },
  ];
}

/** How long organisations outside the app take to answer (./figures/external.ts). */
export function externalTables(e: ExternalFiguresResponse): Table[] {
  const cells = (r: ExternalOrgRow): Cell[] => [
    r.name,
    r.sent,
    r.answered,
    r.medianWorkingDays,
    r.averageWorkingDays,
    r.overdue,
  ];
  return [
    {
      title: `Dış kurumların yanıt süresi (${e.period.from} – ${e.period.to}; hatırlatma ${e.replyWorkingDays} iş günü sonra)`,
      columns: [
        'Kurum',
        'Gönderilen ŞÖK',
        'Yanıtlanan',
        'Yanıt süresi, ortanca (iş günü)',
        'Yanıt süresi, ortalama (iş günü)',
        'Hatırlatma süresini geçen yanıtsız',
      ],
      rows: [...e.byOrg, e.overall].map(cells),
    },
  ];
}
