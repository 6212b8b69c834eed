import {
  slaLevel,
  type SlaResponse,
  type SlaRow,
  type SlaThresholds,
} from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError, Notice } from '../fields';
import { formatCount } from '../i18n';
import { AsOf, OfflineNotice } from './parts';
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
      <SlaTable title={sv('byOrg')} first={sv('org')} rows={s.byOrg} thresholds={s.thresholds} />
      <SlaTable
        title={sv('byDistrict')}
        first={sv('district')}
        rows={s.byDistrict}
        thresholds={s.thresholds}
      />
      <SlaTable
        title={sv('byTopic')}
        first={sv('topic')}
        rows={s.byTopic}
        thresholds={s.thresholds}
      />
    </>
  );
}

function SlaTable({
  title,
  first,
  rows,
  thresholds,
}: {
  title: string;
  first: string;
  rows: SlaRow[];
  thresholds: SlaThresholds;
}) {
  return (
    <details className="sv-section" open={rows.length <= 20}>
      <summary>
        <h3>{title}</h3>
      </summary>
      {rows.length === 0 ? (
        <p className="muted">{sv('empty')}</p>
      ) : (
        <table className="user-table sv-table">
          <thead>
            <tr>
              <th scope="col">{first}</th>
              <th scope="col" className="num">
                {sv('onTime')}
              </th>
              <th scope="col" className="num">
                {sv('closed')}
              </th>
              <th scope="col" className="num">
                {sv('openOverdue')}
              </th>
              <th scope="col" className="num">
                {sv('onTimeRate')}
              </th>
              <th scope="col" className="num">
                {sv('legalDue')}
              </th>
              <th scope="col" className="num">
                {sv('legalCompliant')}
              </th>
              <th scope="col" className="num">
                {sv('legalRate')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-key={r.key}>
                <th scope="row">{r.name}</th>
                <td className="num">{formatCount(r.onTime)}</td>
                <td className="num">{formatCount(r.closed)}</td>
                <td className="num">{formatCount(r.openOverdue)}</td>
                <td className="num">
                  <Rate rate={r.rate} thresholds={thresholds} />
                </td>
                <td className="num">{formatCount(r.legalDue)}</td>
                <td className="num">{formatCount(r.legalCompliant)}</td>
                <td className="num">
                  <Rate rate={r.legalRate} thresholds={thresholds} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
