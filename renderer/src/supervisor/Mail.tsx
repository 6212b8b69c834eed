import type { MailFiguresResponse, MailRow } from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { formatCount, formatShort, ui } from '../i18n';
import { AsOf, OfflineNotice, SectionTable, type Column } from './parts';
import { Rate } from './Sla';
import { useLiveFigures } from './use-live-figures';

const HOURS = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 1 });

/** The oldest unhandled e-mail: when it came in, its age in working hours, past the target. */
function Oldest({ row }: { row: MailRow }) {
  if (row.oldestUnhandledAt === null || row.oldestWorkingHours === null) {
    return <span className="muted">—</span>;
  }
  return (
    <span
      className={row.oldestOverdue ? 'sla-bad' : 'sla-good'}
      data-level={row.oldestOverdue ? 'bad' : 'good'}
      title={formatShort(row.oldestUnhandledAt)}
    >
      {ui('supervisor.mailAge', { hours: HOURS.format(row.oldestWorkingHours) })}
    </span>
  );
}

/**
 * The "E-posta" intake queue (issue #18): what waits now and the oldest of it against the target
 * (a server setting, in working days), and the share of the period's mail handled within it.
 */
export function Mail({ period }: { period: { from: string; to: string } }) {
  const live = useLiveFigures(
    () => call('supervisor.mail', period),
    `mail:${period.from}:${period.to}`,
  );
  const m = live.data;
  return (
    <section className="panel" aria-labelledby="sv-mail-title" id="sv-mail">
      <div className="panel-head">
        <h2 id="sv-mail-title">{ui('supervisor.mail')}</h2>
        {m ? <AsOf at={m.asOf} /> : null}
      </div>
      {m ? (
        <p className="muted">{ui('supervisor.mailHelp', { days: m.targetWorkingDays })}</p>
      ) : null}
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {m ? <MailBody m={m} /> : null}
    </section>
  );
}

function MailBody({ m }: { m: MailFiguresResponse }) {
  const columns: Column<MailRow>[] = [
    { label: ui('supervisor.mailUnhandled'), cell: (r) => formatCount(r.unhandled) },
    { label: ui('supervisor.mailOverdue'), cell: (r) => formatCount(r.overdue) },
    { label: ui('supervisor.mailOldest'), cell: (r) => <Oldest row={r} /> },
    { label: ui('supervisor.mailReceived'), cell: (r) => formatCount(r.received) },
    { label: ui('supervisor.mailHandled'), cell: (r) => formatCount(r.handled) },
    {
      label: ui('supervisor.mailOnTimeRate'),
      cell: (r) => <Rate rate={r.rate} thresholds={m.thresholds} />,
    },
  ];
  return (
    <>
      <div className="sv-kpis">
        <div className="sv-kpi" id="sv-kpi-mail-unhandled">
          <span className="label">{ui('supervisor.mailUnhandled')}</span>
          <strong>{formatCount(m.overall.unhandled)}</strong>
          <span className="muted">
            {ui('supervisor.mailOverdue')}: {formatCount(m.overall.overdue)}
          </span>
        </div>
        <div className="sv-kpi" id="sv-kpi-mail-oldest">
          <span className="label">{ui('supervisor.mailOldest')}</span>
          <strong>
            <Oldest row={m.overall} />
          </strong>
        </div>
        <div className="sv-kpi" id="sv-kpi-mail-ontime">
          <span className="label">{ui('supervisor.mailOnTimeRate')}</span>
          <strong>
            <Rate rate={m.overall.rate} thresholds={m.thresholds} />
          </strong>
          <span className="muted">
            {formatCount(m.overall.handledOnTime)} / {formatCount(m.overall.handled)}
          </span>
        </div>
      </div>
      {m.overall.unhandled === 0 && m.overall.received === 0 ? (
        <Notice tone="info">{ui('supervisor.mailNone')}</Notice>
      ) : (
        <SectionTable
          title={ui('supervisor.byOrg')}
          first={ui('supervisor.org')}
          columns={columns}
          rows={m.byOrg}
          keyed
        />
      )}
    </>
  );
}
