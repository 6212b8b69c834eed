import {
  slaLevel,
  type SlaResponse,
  type SlaRow,
  type SlaThresholds,
} from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { formatCount } from '../i18n';
import { AsOf, OfflineNotice, SectionTable, type Column } from './parts';
import { sv } from './texts';
import { useLiveFigures } from './use-live-figures';

const PERCENT = new Intl.NumberFormat('tr-TR', { style: 'percent', maximumFractionDigits: 1 });

/** A rate in its colour band (green / amber / red against the server's thresholds). */
export function Rate({ rate, thresholds }: { rate: number | null; thresholds: SlaThresholds }) {
  const level = slaLevel(rate, thresholds);
  return (
    <span className={`sla-${level}`} data-level={level}>
      {rate === null ? sv('noRate') : PERCENT.format(rate)}
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
        <h2 id="sv-sla-title">{sv('sla')}</h2>
        {s ? <AsOf at={s.asOf} /> : null}
      </div>
      <p className="muted">{sv('slaHelp')}</p>
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
          <span className="label">{sv('onTimeRate')}</span>
          <strong>
            <Rate rate={s.overall.rate} thresholds={s.thresholds} />
          </strong>
          <span className="muted">
            {formatCount(s.overall.onTime)} /{' '}
            {formatCount(s.overall.closed + s.overall.openOverdue)}
          </span>
        </div>
        <div className="sv-kpi" id="sv-kpi-legal">
          <span className="label">{sv('legalRate')}</span>
          <strong>
            <Rate rate={s.overall.legalRate} thresholds={s.thresholds} />
          </strong>
          <span className="muted">
            {formatCount(s.overall.legalCompliant)} / {formatCount(s.overall.legalDue)}
          </span>
        </div>
      </div>
      <section aria-labelledby="sv-calls-title">
        <h3 id="sv-calls-title">{sv('calls')}</h3>
        {s.calls.inbound === 0 ? (
          <Notice tone="info">{sv('callsNone')}</Notice>
        ) : (
          <p id="sv-calls">
            {sv('callsInbound')}: <strong>{formatCount(s.calls.inbound)}</strong> ·{' '}
            {sv('callsAnswered')}: <strong>{formatCount(s.calls.answered)}</strong> (
            <Rate rate={s.calls.answerRate} thresholds={s.thresholds} />) · {sv('callsMissed')}:{' '}
            <strong>{formatCount(s.calls.missed)}</strong> · {sv('callsAnswerTime')}:{' '}
            <strong>
              {s.calls.avgAnswerSeconds === null
                ? '—'
                : `${s.calls.avgAnswerSeconds.toLocaleString('tr-TR')} sn`}
            </strong>
          </p>
        )}
      </section>
      <SectionTable title={sv('byOrg')} first={sv('org')} columns={columns} rows={s.byOrg} keyed />
      <SectionTable
        title={sv('byDistrict')}
        first={sv('district')}
        columns={columns}
        rows={s.byDistrict}
        keyed
      />
      <SectionTable
        title={sv('byTopic')}
        first={sv('topic')}
        columns={columns}
        rows={s.byTopic}
        keyed
      />
    </>
  );
}

function slaColumns(thresholds: SlaThresholds): Column<SlaRow>[] {
  return [
    { label: sv('onTime'), cell: (r) => formatCount(r.onTime) },
    { label: sv('closed'), cell: (r) => formatCount(r.closed) },
    { label: sv('openOverdue'), cell: (r) => formatCount(r.openOverdue) },
    { label: sv('onTimeRate'), cell: (r) => <Rate rate={r.rate} thresholds={thresholds} /> },
    { label: sv('legalDue'), cell: (r) => formatCount(r.legalDue) },
    { label: sv('legalCompliant'), cell: (r) => formatCount(r.legalCompliant) },
    { label: sv('legalRate'), cell: (r) => <Rate rate={r.legalRate} thresholds={thresholds} /> },
  ];
}
