import { useState } from 'react';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { ExportQuery } from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { AgentBoard } from './AgentBoard';
import { saveDownload } from './download';
import { Line } from './Line';
import { Mail } from './Mail';
import { Outlook } from './Outlook';
import { Queues } from './Queues';
import { Sla } from './Sla';
import { Volumes } from './Volumes';
import { ui } from '../i18n';

/** Today and 29 days before, as Istanbul calendar days. */
function lastThirtyDays(now = new Date()): { from: string; to: string } {
  const day = (ms: number) => new Date(ms + 3 * 3600_000).toISOString().slice(0, 10);
  return { from: day(now.getTime() - 29 * 86_400_000), to: day(now.getTime()) };
}

function lastMonth(now = new Date()): string {
  const d = new Date(now.getTime() + 3 * 3600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * The supervisor console (issue #7): queues per organisation with drill-down and assignment,
 * the callback SLA and the legal limit, volumes and flows, the e-mail intake queue, exports and the monthly report. All
 * figures come from the central API over what this supervisor may see; they refresh when a ŞÖK
 * changes and every few seconds.
 */
export function SupervisorConsole({ reference }: { reference: ReferenceSnapshot }) {
  const [period, setPeriod] = useState(lastThirtyDays);
  const [month, setMonth] = useState(lastMonth);
  const [exportError, setExportError] = useState<string | null>(null);
  const valid = period.from !== '' && period.to !== '' && period.from <= period.to;

  const download = async (load: () => Promise<Parameters<typeof saveDownload>[0]>) => {
    setExportError(null);
    try {
      saveDownload(await load());
    } catch (e) {
      setExportError((e as Error).message);
    }
  };
  const exportReport = (report: ExportQuery['report'], format: ExportQuery['format']) =>
    download(() =>
      call('supervisor.export', {
        report,
        format,
        ...(report === 'queues' ? {} : period),
      }),
    );

  return (
    <div className="supervisor" id="supervisor-console">
      <AgentBoard reference={reference} />
      <Line />
      <section className="panel" aria-labelledby="sv-period-title">
        <div className="panel-head">
          <h2 id="sv-period-title">{ui('supervisor.title')}</h2>
        </div>
        <div className="row filters">
          <div className="field">
            <label htmlFor="sv-from">{ui('supervisor.from')}</label>
            <input
              id="sv-from"
              type="date"
              value={period.from}
              onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor="sv-to">{ui('supervisor.to')}</label>
            <input
              id="sv-to"
              type="date"
              value={period.to}
              onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
            />
          </div>
          <div className="field sv-exports" role="group" aria-label={ui('supervisor.exports')}>
            <span className="label">{ui('supervisor.exports')}</span>
            <div className="row">
              {(
                [
                  ['queues', ui('supervisor.exportQueues')],
                  ['sla', ui('supervisor.exportSla')],
                  ['volumes', ui('supervisor.exportVolumes')],
                  ['mail', ui('supervisor.exportMail')],
                  ['line', ui('supervisor.exportLine')],
                ] as const
              ).map(([report, label]) =>
                (['csv', 'xlsx'] as const).map((format) => (
                  <button
                    key={`${report}-${format}`}
                    type="button"
                    className="secondary"
                    disabled={report !== 'queues' && !valid}
                    onClick={() => void exportReport(report, format)}
                  >
                    {label} {format.toUpperCase()}
                  </button>
                )),
              )}
            </div>
          </div>
          <div className="field">
            <label htmlFor="sv-month">{ui('supervisor.monthly')}</label>
            <div className="row">
              <input
                id="sv-month"
                type="month"
                value={month}
                onChange={(e) => setMonth(e.target.value)}
              />
              <button
                type="button"
                className="secondary"
                disabled={!/^\d{4}-\d{2}$/.test(month)}
                onClick={() => void download(() => call('supervisor.monthlyReport', { month }))}
              >
                {ui('supervisor.monthlyGet')}
              </button>
            </div>
          </div>
        </div>
        {!valid ? <Notice tone="warn">{ui('supervisor.periodInvalid')}</Notice> : null}
        <FormError message={exportError} />
      </section>
      <Outlook reference={reference} />
      <Queues reference={reference} onExport={download} />
      {valid ? <Sla period={period} /> : null}
      {valid ? <Volumes period={period} /> : null}
      {valid ? <Mail period={period} /> : null}
    </div>
  );
}
