import PDFDocument from 'pdfkit';
import { expect, it } from 'vitest';
import { headerFontSize, reportFontPath } from './pdf';
import { slaTables } from './tables';
import type { SlaResponse, SlaRow } from '../../domain/supervisor';

/** Issue #17 item 11: no table header of the monthly PDF breaks mid-word ("Zamanınd a"). */
it('sizes every PDF table header so that each of its words fits its column', () => {
  const doc = new PDFDocument({ size: 'A4', margin: 40 });
  doc.registerFont('body', reportFontPath());
  doc.font('body');
  const row: SlaRow = {
    key: '',
    name: 'Genel',
    onTime: 0,
    closed: 0,
    openOverdue: 0,
    rate: null,
    legalDue: 0,
    legalCompliant: 0,
    legalRate: null,
  };
  const sla: SlaResponse = {
    period: { from: '2026-02-01', to: '2026-02-28' },
    asOf: '2026-03-01T00:00:00.000Z',
    thresholds: { goodPercent: 90, warnPercent: 75 },
    overall: row,
    byOrg: [],
    byDistrict: [],
    byTopic: [],
    calls: { inbound: 0, answered: 0, missed: 0, answerRate: null, avgAnswerSeconds: null },
  };
  const width = doc.page.width - 80;
  for (const table of slaTables(sla)) {
    const first = Math.min(200, width * 0.34);
    const rest = (width - first) / (table.columns.length - 1);
    const widths = table.columns.map((_, i) => (i === 0 ? first : rest));
    const size = headerFontSize(doc, table.columns, widths);
    doc.fontSize(size);
    for (const [i, c] of table.columns.entries()) {
      for (const word of c.split(/\s+/)) {
        expect(doc.widthOfString(word), `${word} in ${table.title}`).toBeLessThanOrEqual(
          widths[i]! - 4,
        );
      }
    }
    // 'Zamanında' at the old fixed 8 pt did not fit its column.
    doc.fontSize(8);
  }
  doc.fontSize(8);
  const cols = slaTables(sla)[1]!.columns;
  const rest = (width - Math.min(200, width * 0.34)) / (cols.length - 1);
  expect(doc.widthOfString('Zamanında')).toBeGreaterThan(rest - 4);
  doc.end();
});
