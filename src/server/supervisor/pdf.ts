import fs from 'node:fs';
import nodeModule from 'node:module';
import PDFDocument from 'pdfkit';
import { monthName } from '../../domain/supervisor';
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
}

const MARGIN = 40;

export function renderMonthlyPdf(report: MonthlyReport, fontPath: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Alo 153 aylık rapor ${report.month}`, Author: 'Alo 153' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', fontPath);
  doc.font('body');
  doc.fontSize(18).text(`Alo 153 — Aylık rapor: ${monthName(report.month)}`);
  doc.fontSize(10).fillColor('#444').text(`${report.scope} · Hazırlanma: ${report.generatedAt}`);
  doc.moveDown();
  doc.fillColor('black').fontSize(11);
  for (const line of report.summary) doc.text(line);
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
    drawRow(['Kayıt yok', ...table.columns.slice(1).map(() => '')], 8, false);
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
