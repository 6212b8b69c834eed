import ExcelJS from 'exceljs';
import type { Cell, Table } from './tables';

/**
 * Tables to files. CSV as Turkish Excel opens it without a wizard: UTF-8 with a byte-order mark,
 * `;` between fields (the decimal separator is the comma), CRLF, and several tables one after
 * the other, each under its title and followed by an empty line. XLSX: one sheet per table.
 */

const needsQuotes = /[";\r\n]/;

function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell).replace('.', ',') : cell;
  // A leading = + - @ would be read as a formula by spreadsheet programs (CSV injection).
  const safe = /^[=+\-@]/.test(text) && typeof cell === 'string' ? `'${text}` : text;
  return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(tables: Table[]): Buffer {
  const lines: string[] = [];
  tables.forEach((table, i) => {
    if (i > 0) lines.push('');
    if (tables.length > 1) lines.push(csvField(table.title));
    lines.push(table.columns.map(csvField).join(';'));
    for (const row of table.rows) lines.push(row.map(csvField).join(';'));
  });
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, '-').slice(0, 28) || 'Tablo';
  let name = base;
  for (let i = 2; taken.has(name.toLocaleLowerCase('tr-TR')); i += 1) name = `${base} ${i}`;
  taken.add(name.toLocaleLowerCase('tr-TR'));
  return name;
}

export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Alo 153';
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = book.addWorksheet(sheetName(table.title, taken));
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row.map((c) => c ?? ''));
    sheet.columns.forEach((column, i) => {
      const widest = Math.max(
        table.columns[i]?.length ?? 0,
        ...table.rows.map((r) => String(r[i] ?? '').length),
      );
      column.width = Math.min(60, Math.max(8, widest + 2));
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
