import fs from 'node:fs';
import nodeModule from 'node:module';
import PDFDocument from 'pdfkit';
import {
  LATE_COLOURS,
  lateLevel,
  monthName,
  type DistrictTile,
  type OutlookResponse,
} from '../../domain/supervisor';
import { t } from '../i18n';
import type { Table } from './tables';

/**
 * The monthly report as a PDF. The standard PDF fonts have no ğ, ş, ı, İ: a TrueType font with
 * Turkish glyphs is embedded — the configured one, else DejaVu Sans from the `dejavu-fonts-ttf`
 * package, else Debian's fonts-dejavu-core.
 */
const SYSTEM_DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export function reportFontPath(configured?: string): string {
  const candidates: string[] = [];
  if (configured !== undefined) candidates.push(configured);
  try {
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    candidates.push(nodeModule.createRequire(from).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  } catch {
    // Not installed next to this build: try the system font.
  }
  candidates.push(SYSTEM_DEJAVU);
  const found = candidates.find((p) => fs.existsSync(p));
  if (found === undefined) {
    throw new Error(
      `No font with Turkish glyphs for the PDF report: set ALO153_REPORT_FONT (tried ${candidates.join(', ')})`,
    );
  }
  return found;
}

export interface MonthlyReport {
  month: string;
  /** Whose ŞÖKs the figures cover, e.g. "Tüm kurumlar". */
  scope: string;
  generatedAt: string;
  /** Headline lines under the title. */
  summary: string[];
  tables: Table[];
  /**
   * The console's charts, drawn with pdfkit from the same figures (volumeFigures, outlookFigures):
   * registrations per month over the last 12 months, and the district tile map.
   */
  charts?: {
    trend: { label: string; value: number }[];
    districts: OutlookResponse['byDistrict'];
    tiles: DistrictTile[];
    districtName: (code: string) => string;
  };
}

const MARGIN = 40;

export function renderMonthlyPdf(report: MonthlyReport, fontPath: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: t('report.pdfTitle', { month: report.month }), Author: 'Alo 153' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', fontPath);
  doc.font('body');
  doc.fontSize(18).text(t('report.heading', { month: monthName(report.month) }));
  doc
    .fontSize(10)
    .fillColor('#444')
    .text(t('report.byline', { scope: report.scope, at: report.generatedAt }));
  doc.moveDown();
  doc.fillColor('black').fontSize(11);
  for (const line of report.summary) doc.text(line);
  if (report.charts) {
    drawTrend(doc, report.charts.trend);
    drawTiles(doc, report.charts);
  }
  for (const table of report.tables) drawTable(doc, table);
  doc.end();
  return finished;
}

function drawTable(doc: PDFKit.PDFDocument, table: Table): void {
  const width = doc.page.width - 2 * MARGIN;
  const first = Math.min(200, width * 0.34);
  const rest = table.columns.length > 1 ? (width - first) / (table.columns.length - 1) : 0;
  const widths = table.columns.map((_, i) => (i === 0 ? (rest === 0 ? width : first) : rest));
  const rowHeight = (cells: string[], size: number) => {
    doc.fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 4 }))) + 4;
  };
  const drawRow = (cells: string[], size: number, shade: boolean) => {
    const h = rowHeight(cells, size);
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    if (shade) doc.rect(MARGIN, y, width, h).fill('#eeeeee').fillColor('black');
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.fontSize(size).text(c, x + 2, y + 2, {
        width: widths[i]! - 4,
        align: i === 0 ? 'left' : 'right',
      });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  doc.moveDown();
  if (doc.y + 60 > doc.page.height - MARGIN) doc.addPage();
  doc.fontSize(13).text(table.title, MARGIN, doc.y);
  doc.moveDown(0.3);
  drawRow(table.columns, headerFontSize(doc, table.columns, widths), true);
  for (const row of table.rows)
    drawRow(
      row.map((c) => (c === null ? '—' : String(c))),
      8,
      false,
    );
  if (table.rows.length === 0)
    drawRow([t('report.empty'), ...table.columns.slice(1).map(() => '')], 8, false);
}

/**
 * The largest size (8 pt down to 5 pt) at which no word of any header is wider than its column:
 * pdfkit breaks a word that does not fit mid-word ("Zamanınd a"), so the headers shrink instead.
 */
export function headerFontSize(
  doc: PDFKit.PDFDocument,
  cells: readonly string[],
  widths: readonly number[],
): number {
  for (let size = 8; size > 5; size -= 0.5) {
    doc.fontSize(size);
    const fits = cells.every((c, i) =>
      c.split(/\s+/).every((word) => doc.widthOfString(word) <= widths[i]! - 4),
    );
    if (fits) return size;
  }
  return 5;
}

/** Vertical bars with their values and labels: the console's monthly trend. */
function drawTrend(doc: PDFKit.PDFDocument, trend: { label: string; value: number }[]): void {
  if (trend.length === 0) return;
  const width = doc.page.width - 2 * MARGIN;
  const height = 120;
  doc.moveDown();
  if (doc.y + height + 50 > doc.page.height - MARGIN) doc.addPage();
  doc.fontSize(13).fillColor('black').text(t('report.trend'), MARGIN, doc.y);
  const top = doc.y + 14;
  const base = top + height;
  const max = Math.max(1, ...trend.map((t) => t.value));
  const slot = width / trend.length;
  doc
    .moveTo(MARGIN, base)
    .lineTo(MARGIN + width, base)
    .strokeColor('#999999')
    .stroke();
  trend.forEach((t, i) => {
    const h = (t.value / max) * (height - 12);
    const x = MARGIN + i * slot + slot * 0.15;
    doc.rect(x, base - h, slot * 0.7, h).fill('#1f5fa8');
    doc
      .fillColor('black')
      .fontSize(7)
      .text(String(t.value), MARGIN + i * slot, base - h - 9, { width: slot, align: 'center' });
    doc.fontSize(6.5).text(t.label, MARGIN + i * slot, base + 3, { width: slot, align: 'center' });
  });
  doc.x = MARGIN;
  doc.y = base + 22;
}

/** The district tile map: one square per district at its tile position, coloured by late ŞÖKs. */
function drawTiles(doc: PDFKit.PDFDocument, charts: NonNullable<MonthlyReport['charts']>): void {
  const { tiles, districts, districtName } = charts;
  if (tiles.length === 0) return;
  const cols = Math.max(...tiles.map((t) => t.col)) + 1;
  const rows = Math.max(...tiles.map((t) => t.row)) + 1;
  const width = doc.page.width - 2 * MARGIN;
  const cell = Math.min(80, width / cols);
  const h = cell * 0.6;
  doc.moveDown();
  if (doc.y + rows * (h + 4) + 40 > doc.page.height - MARGIN) doc.addPage();
  doc.fontSize(13).fillColor('black').text(t('report.where'), MARGIN, doc.y);
  const top = doc.y + 6;
  const byCode = new Map(districts.map((d) => [d.key, d]));
  const worst = Math.max(0, ...districts.map((d) => d.late));
  for (const t of tiles) {
    const d = byCode.get(t.code);
    const level = lateLevel(d?.late ?? 0, worst);
    const x = MARGIN + t.col * cell;
    const y = top + t.row * (h + 4);
    doc.rect(x + 2, y, cell - 4, h).fill(LATE_COLOURS[level]);
    doc
      .fillColor(level === 'high' ? 'white' : 'black')
      .fontSize(7)
      .text(districtName(t.code), x + 4, y + 3, { width: cell - 8 })
      .text(`${d?.open ?? 0} / ${d?.late ?? 0}`, x + 4, y + h - 11, { width: cell - 8 });
  }
  doc.fillColor('black');
  doc.x = MARGIN;
  doc.y = top + rows * (h + 4) + 6;
}
