import {
  slaLevel,
  type SlaResponse,
  type SlaRow,
  type SlaThresholds,
} from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { formatCount, ui } from '../i18n';
import { AsOf, OfflineNotice, SectionTable, type Column } from './parts';
import { useLiveFigures } from './use-live-figures';

const PERCENT = new Intl.NumberFormat('tr-TR', { style: 'percent', maximumFractionDigits: 1 });

/** A rate in its colour band (green / amber / red against the server's thresholds). */
export function Rate({ rate, thresholds }: { rate: number | null; thresholds: SlaThresholds }) {
  const level = slaLevel(rate, thresholds);
  return (
    <span className={`sla-${level}`} data-level={level}>
      {rate === null ? ui('supervisor.noRate') : PERCENT.format(rate)}
    </span>
  );
}

/** Callback on-time rate and the 30-day legal limit, overall and by organisation, district, topic. */
export function Sla({ period }: { period: { from: string; to: string } }) {
  const live = useLiveFigures(
    () => call('supervisor.sla', period),
    `sla:${period.from}:${period.to}`,
  );
  const s = live.data;
  return (
    <section className="panel" aria-labelledby="sv-sla-title" id="sv-sla">
      <div className="panel-head">
        <h2 id="sv-sla-title">{ui('supervisor.sla')}</h2>
        {s ? <AsOf at={s.asOf} /> : null}
      </div>
      <p className="muted">{ui('supervisor.slaHelp')}</p>
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {s ? <SlaBody s={s} /> : null}
    </section>
  );
}

function SlaBody({ s }: { s: SlaResponse }) {
  const columns = slaColumns(s.thresholds);
  return (
    <>
      <div className="sv-kpis">
        <div className="sv-kpi" id="sv-kpi-ontime">
          <span className="label">{ui('supervisor.onTimeRate')}</span>
          <strong>
            <Rate rate={s.overall.rate} thresholds={s.thresholds} />
          </strong>
          <span className="muted">
            {formatCount(s.overall.onTime)} /{' '}
            {formatCount(s.overall.closed + s.overall.openOverdue)}
          </span>
        </div>
        <div className="sv-kpi" id="sv-kpi-legal">
          <span className="label">{ui('supervisor.legalRate')}</span>
          <strong>
            <Rate rate={s.overall.legalRate} thresholds={s.thresholds} />
          </strong>
          <span className="muted">
            {formatCount(s.overall.legalCompliant)} / {formatCount(s.overall.legalDue)}
          </span>
        </div>
      </div>
      <section aria-labelledby="sv-calls-title">
        <h3 id="sv-calls-title">{ui('supervisor.calls')}</h3>
        {s.calls.inbound === 0 ? (
          <Notice tone="info">{ui('supervisor.callsNone')}</Notice>
        ) : (
          <p id="sv-calls">
            {ui('supervisor.callsInbound')}: <strong>{formatCount(s.calls.inbound)}</strong> ·{' '}
            {ui('supervisor.callsAnswered')}: <strong>{formatCount(s.calls.answered)}</strong> (
            <Rate rate={s.calls.answerRate} thresholds={s.thresholds} />) ·{' '}
            {ui('supervisor.callsMissed')}: <strong>{formatCount(s.calls.missed)}</strong> ·{' '}
            {ui('supervisor.callsAnswerTime')}:{' '}
            <strong>
              {s.calls.avgAnswerSeconds === null
                ? '—'
                : `${s.calls.avgAnswerSeconds.toLocaleString('tr-TR')} sn`}
            </strong>
          </p>
        )}
      </section>
      <SectionTable
        title={ui('supervisor.byOrg')}
        first={ui('supervisor.org')}
        columns={columns}
        rows={s.byOrg}
        keyed
      />
      <SectionTable
        title={ui('supervisor.byDistrict')}
        first={ui('supervisor.district')}
        columns={columns}
        rows={s.byDistrict}
        keyed
      />
      <SectionTable
        title={ui('supervisor.byTopic')}
        first={ui('supervisor.topic')}
        columns={columns}
        rows={s.byTopic}
        keyed
      />
    </>
  );
}

function slaColumns(thresholds: SlaThresholds): Column<SlaRow>[] {
  return [
    { label: ui('supervisor.onTime'), cell: (r) => formatCount(r.onTime) },
    { label: ui('supervisor.closed'), cell: (r) => formatCount(r.closed) },
    { label: ui('supervisor.openOverdue'), cell: (r) => formatCount(r.openOverdue) },
    {
      label: ui('supervisor.onTimeRate'),
      cell: (r) => <Rate rate={r.rate} thresholds={thresholds} />,
    },
    { label: ui('supervisor.legalDue'), cell: (r) => formatCount(r.legalDue) },
    { label: ui('supervisor.legalCompliant'), cell: (r) => formatCount(r.legalCompliant) },
    {
      label: ui('supervisor.legalRate'),
      cell: (r) => <Rate rate={r.legalRate} thresholds={thresholds} />,
    },
  ];
}
