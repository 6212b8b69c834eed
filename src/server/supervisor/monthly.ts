import { startPeriodicJob } from '../periodic';
import nodemailer from 'nodemailer';
import { FLOW_KINDS, FLOW_NAMES, monthName, type SlaThresholds } from '../../domain/supervisor';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/open';
import { withWriteLock } from '../db/write-lock';
import { formatIstanbulTime, t } from '../i18n';
import { transportOptions } from '../notifications/senders/email';
import tilesFile from '../../../resources/reference/district-tiles.json';
import { DistrictTileSchema } from '../../domain/supervisor';
import type { LineConfig } from '../../domain/call-queue';
import {
  linePeriodFigures,
  slaFigures,
  volumeFigures,
  type FigureContext,
  type Names,
} from './figures';
import { lineReportTable } from './line-tables';
import { outlookFigures } from './outlook';
import { renderMonthlyPdf, reportFontPath, type MonthlyReport } from './pdf';
import { monthPeriod, previousMonth } from './period';
import { percent, slaTables, volumeTables } from './tables';

const DISTRICT_TILES = DistrictTileSchema.array().parse(tilesFile.tiles);

/** "2026-03" moved by `by` months. */
function addMonths(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + by;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The month's figures over what `ctx.user` may see, as the PDF's content. */
export async function buildMonthlyReport(
  ctx: FigureContext,
  month: string,
  thresholds: SlaThresholds,
  scope: string,
  lineSettings: {
    lines: readonly LineConfig[];
    supervisor: { lineServiceLevelSeconds: number };
  },
): Promise<MonthlyReport> {
  const period = monthPeriod(month);
  const sla = await slaFigures(ctx, period, thresholds);
  const line = await linePeriodFigures(
    ctx,
    lineSettings.lines,
    period,
    lineSettings.supervisor.lineServiceLevelSeconds,
  );
  const volumes = await volumeFigures(ctx, period);
  const m = volumes.months[0];
  // The console's charts from the same functions: 12 months up to this one, and where it stands.
  const trendFrom = monthPeriod(addMonths(month, -11)).from;
  const [trend, outlook] = await Promise.all([
    volumeFigures(ctx, { from: trendFrom, to: period.to }),
    outlookFigures(ctx),
  ]);
  const rate = (r: number | null) => (r === null ? '—' : `%${percent(r)}`);
  return {
    month,
    scope,
    generatedAt: formatIstanbulTime(ctx.now.toISOString()),
    summary: [
      t('report.registered', { total: volumes.total, previous: volumes.previousTotal }),
      ...FLOW_KINDS.map((k) => `${FLOW_NAMES[k]}: ${m?.[k] ?? 0}`),
      t('report.onTime', {
        rate: rate(sla.overall.rate),
        onTime: sla.overall.onTime,
        counted: sla.overall.closed + sla.overall.openOverdue,
      }),
      t('report.legal', {
        rate: rate(sla.overall.legalRate),
        compliant: sla.overall.legalCompliant,
        due: sla.overall.legalDue,
      }),
      t('report.calls', {
        inbound: sla.calls.inbound,
        answered: sla.calls.answered,
        answerRate: rate(sla.calls.answerRate),
        missed: sla.calls.missed,
        avgAnswer: sla.calls.avgAnswerSeconds ?? '—',
      }),
      ...line.lines.map((l) =>
        t('report.line', {
          line: l.line,
          offered: l.figures.offered,
          answered: l.figures.answered,
          abandoned: l.figures.abandoned,
          serviceLevel: rate(l.figures.serviceLevel),
          threshold: l.serviceLevelSeconds,
          asa: l.figures.asaSeconds === null ? '—' : Math.round(l.figures.asaSeconds),
          abandonmentRate: rate(l.figures.abandonmentRate),
          longest: l.figures.longestWaitSeconds,
        }),
      ),
    ],
    charts: {
      trend: trend.months.map((x) => ({ label: x.month, value: x.total })),
      districts: outlook.byDistrict,
      tiles: DISTRICT_TILES,
      districtName: ctx.names.district,
    },
    tables: [
      ...slaTables(sla).slice(1, 3),
      ...volumeTables(volumes).map((t) => ({ ...t, rows: t.rows.slice(0, 25) })),
      lineReportTable(line),
    ],
  };
}

export interface MonthlyMailDeps {
  db: ServerDb;
  config: ServerConfig;
  names: Names;
  now: Date;
}

export type MonthlyMailResult = 'disabled' | 'already-sent' | 'busy' | 'sent' | 'failed';

/**
 * Sends last month's report once: the month's row is claimed under the write lock (so of several
 * API instances exactly one sends), marked sent, or failed and tried again at the next check.
 */
export async function sendMonthlyReportIfDue(deps: MonthlyMailDeps): Promise<MonthlyMailResult> {
  const { db, config, now } = deps;
  const to = config.supervisor.monthlyReportTo;
  const smtp = config.notifications.smtp;
  if (to.length === 0 || smtp === undefined) return 'disabled';
  const month = previousMonth(now);
  const nowIso = now.toISOString();
  const claimed = await withWriteLock(db, async (trx) => {
    const row = await trx
      .selectFrom('monthly_report')
      .selectAll()
      .where('month', '=', month)
      .executeTakeFirst();
    if (row?.state === 'sent') return 'already-sent' as const;
    if (row?.state === 'sending' && row.claimed_until > nowIso) return 'busy' as const;
    const values = {
      state: 'sending' as const,
      recipients: to.join(','),
      claimed_until: new Date(now.getTime() + 10 * 60_000).toISOString(),
      updated_at: nowIso,
    };
    if (row === undefined) {
      await trx
        .insertInto('monthly_report')
        .values({ month, attempts: 1, last_error: null, sent_at: null, ...values })
        .execute();
    } else {
      await trx
        .updateTable('monthly_report')
        .set({ ...values, attempts: row.attempts + 1 })
        .where('month', '=', month)
        .execute();
    }
    return 'claimed' as const;
  });
  if (claimed !== 'claimed') return claimed;
  try {
    const report = await buildMonthlyReport(
      {
        db,
        now,
        names: deps.names,
        // The whole call centre's figures, as BİKOM's supervisors see them.
        user: {
          role: 'supervisor',
          orgKind: 'call-centre',
          orgCode: config.workflow.callCentreOrg,
        },
      },
      month,
      {
        goodPercent: config.supervisor.slaGoodPercent,
        warnPercent: config.supervisor.slaWarnPercent,
      },
      t('report.allOrganisations'),
      config,
    );
    const pdf = await renderMonthlyPdf(report, reportFontPath(config.supervisor.reportFont));
    const transport = nodemailer.createTransport(transportOptions(smtp));
    try {
      await transport.sendMail({
        from: smtp.from,
        to,
        subject: t('report.mailSubject', { month: monthName(month) }),
        text: `${report.summary.join('\n')}\n\n${t('report.mailBody')}\n`,
        attachments: [
          { filename: `alo153-rapor-${month}.pdf`, content: pdf, contentType: 'application/pdf' },
        ],
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } finally {
      transport.close();
    }
    await db
      .updateTable('monthly_report')
      .set({ state: 'sent', sent_at: now.toISOString(), last_error: null, updated_at: nowIso })
      .where('month', '=', month)
      .execute();
    return 'sent';
  } catch (error) {
    await db
      .updateTable('monthly_report')
      .set({ state: 'failed', last_error: String((error as Error).message).slice(0, 500) })
      .where('month', '=', month)
      .execute();
    return 'failed';
  }
}

/** Checks every `monthlyReportCheckSeconds` (0: never) whether last month's report is due. */
export function startMonthlyReports(options: {
  db: ServerDb;
  config: ServerConfig;
  names: Names;
  clock: Clock;
  log: (message: string, error: unknown) => void;
}): { close(): Promise<void> } {
  const seconds = options.config.supervisor.monthlyReportCheckSeconds;
  if (options.config.supervisor.monthlyReportTo.length === 0) {
    return { close: () => Promise.resolve() };
  }
  return startPeriodicJob(seconds, () =>
    sendMonthlyReportIfDue({ ...options, now: options.clock() }).then(
      (result) => {
        if (result === 'failed') options.log('monthly report e-mail failed; retrying later', null);
      },
      (error: unknown) => options.log('monthly report check failed', error),
    ),
  );
}
