import type { ExternalFiguresResponse, ExternalOrgRow } from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { formatCount, ui } from '../i18n';
import { AsOf, OfflineNotice, SectionTable, type Column } from './parts';
import { useLiveFigures } from './use-live-figures';

const DAYS = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 1 });

const days = (v: number | null) =>
  v === null ? (
    <span className="muted">—</span>
  ) : (
    ui('supervisor.externalDays', { days: DAYS.format(v) })
  );

/**
 * How long organisations outside the app take to answer by e-mail (issue #18 item 3): per
 * organisation, the ŞÖKs sent to it in the period, answered, the median and average answer time
 * in working days, and those unanswered past the reply time after which it is reminded.
 */
export function ExternalOrgs({ period }: { period: { from: string; to: string } }) {
  const live = useLiveFigures(
    () => call('supervisor.external', period),
    `external:${period.from}:${period.to}`,
  );
  const e = live.data;
  return (
    <section className="panel" aria-labelledby="sv-external-title" id="sv-external">
      <div className="panel-head">
        <h2 id="sv-external-title">{ui('supervisor.external')}</h2>
        {e ? <AsOf at={e.asOf} /> : null}
      </div>
      {e ? (
        <p className="muted">{ui('supervisor.externalHelp', { days: e.replyWorkingDays })}</p>
      ) : null}
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {e ? <ExternalBody e={e} /> : null}
    </section>
  );
}

function ExternalBody({ e }: { e: ExternalFiguresResponse }) {
  const columns: Column<ExternalOrgRow>[] = [
    { label: ui('supervisor.externalSent'), cell: (r) => formatCount(r.sent) },
    { label: ui('supervisor.externalAnswered'), cell: (r) => formatCount(r.answered) },
    { label: ui('supervisor.externalMedian'), cell: (r) => days(r.medianWorkingDays) },
    { label: ui('supervisor.externalAverage'), cell: (r) => days(r.averageWorkingDays) },
    {
      label: ui('supervisor.externalOverdue'),
      cell: (r) => (
        <span className={r.overdue > 0 ? 'sla-bad' : undefined}>{formatCount(r.overdue)}</span>
      ),
    },
  ];
  if (e.overall.sent === 0) return <Notice tone="info">{ui('supervisor.externalNone')}</Notice>;
  return (
    <SectionTable
      title={ui('supervisor.byOrg')}
      first={ui('supervisor.org')}
      columns={columns}
      rows={[...e.byOrg, e.overall]}
      keyed
    />
  );
}
