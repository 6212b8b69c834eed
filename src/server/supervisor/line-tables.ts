import type { LineFigures } from '../../domain/call-queue';
import type { LinePeriodResponse } from '../../domain/line-console';
import { percent, type Cell, type Table } from './tables';

/** Seconds with one decimal, or null with nothing to average. */
const secondsCell = (s: number | null): number | null =>
  s === null ? null : Math.round(s * 10) / 10;

const figureCells = (f: LineFigures): Cell[] => [
  f.offered,
  f.answered,
  f.answeredWithinThreshold,
  f.abandoned,
  f.shortAbandoned,
  f.timedOut,
  f.inProgress,
  percent(f.serviceLevel),
  secondsCell(f.asaSeconds),
  percent(f.abandonmentRate),
  f.longestWaitSeconds,
];

/** The call line's figures per line over a period, and all lines together (exports, PDF). */
export function lineTables(r: LinePeriodResponse): Table[] {
  return [
    {
      title: `Çağrı hattı (${r.period.from} – ${r.period.to})`,
      columns: [
        'Hat',
        'Kurum',
        'Hizmet düzeyi eşiği (sn)',
        'Gelen çağrı',
        'Cevaplanan',
        'Eşik içinde cevaplanan',
        'Vazgeçen (süre dolan dahil)',
        'Kısa vazgeçen',
        'Süre dolan',
        'Hâlâ hatta',
        'Hizmet düzeyi (%)',
        'Ortalama cevaplama süresi (sn)',
        'Vazgeçme oranı (%)',
        'En uzun bekleme (sn)',
      ],
      rows: [
        ...r.lines.map((l) => [
          l.line,
          l.orgName,
          l.serviceLevelSeconds,
          ...figureCells(l.figures),
        ]),
        ['Toplam', '', null, ...figureCells(r.total)],
      ],
    },
  ];
}

/** The same figures, fewer columns: the monthly PDF's page is narrower than a spreadsheet. */
export function lineReportTable(r: LinePeriodResponse): Table {
  const cells = (f: LineFigures): Cell[] => [
    f.offered,
    f.answered,
    f.abandoned,
    f.inProgress,
    percent(f.serviceLevel),
    secondsCell(f.asaSeconds),
    percent(f.abandonmentRate),
    f.longestWaitSeconds,
  ];
  return {
    title: 'Çağrı hattı',
    columns: [
      'Hat (hizmet düzeyi eşiği)',
      'Gelen',
      'Cevaplanan',
      'Vazgeçen',
      'Hatta',
      'Hizmet düzeyi (%)',
      'Ort. cevaplama (sn)',
      'Vazgeçme oranı (%)',
      'En uzun bekleme (sn)',
    ],
    rows: [
      ...r.lines.map((l) => [
        `${l.line} — ${l.orgName} (${l.serviceLevelSeconds} sn)`,
        ...cells(l.figures),
      ]),
      ['Toplam', ...cells(r.total)],
    ],
  };
}
