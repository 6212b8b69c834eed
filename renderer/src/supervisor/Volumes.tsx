import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  FLOW_KINDS,
  FLOW_NAMES,
  monthName,
  type CountRow,
  type MonthRow,
} from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError } from '../ui/fields';
import { formatCount, ui } from '../i18n';
import { OfflineNotice, SectionTable, type Column } from './parts';
import { useLiveFigures } from './use-live-figures';

const COLOURS = ['#1f5fa8', '#2e8b57', '#c7772a', '#8a3ea8'];
const CHANGE = new Intl.NumberFormat('tr-TR', {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

function change(count: number, previous: number): string {
  return previous === 0 ? '—' : CHANGE.format((count - previous) / previous);
}

/** ŞÖKs registered in the period: monthly flows (chart + table) and counts by dimension. */
export function Volumes({ period }: { period: { from: string; to: string } }) {
  const live = useLiveFigures(
    () => call('supervisor.volumes', period),
    `volumes:${period.from}:${period.to}`,
  );
  const v = live.data;
  return (
    <section className="panel" aria-labelledby="sv-vol-title" id="sv-volumes">
      <div className="panel-head">
        <h2 id="sv-vol-title">{ui('supervisor.volumes')}</h2>
        {v ? (
          <span className="muted" id="sv-vol-total">
            {ui('supervisor.total')}: {formatCount(v.total)} ({ui('supervisor.previous')}:{' '}
            {formatCount(v.previousTotal)}, {change(v.total, v.previousTotal)})
          </span>
        ) : null}
      </div>
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {v ? (
        <>
          <h3>{ui('supervisor.flows')}</h3>
          <FlowChart months={v.months} />
          <table className="user-table sv-table" id="sv-flow-table">
            <thead>
              <tr>
                <th scope="col">{ui('supervisor.month')}</th>
                <th scope="col" className="num">
                  {ui('supervisor.total')}
                </th>
                {FLOW_KINDS.map((k) => (
                  <th key={k} scope="col" className="num">
                    {FLOW_NAMES[k]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {v.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthName(m.month)}</th>
                  <td className="num">{formatCount(m.total)}</td>
                  {FLOW_KINDS.map((k) => (
                    <td key={k} className="num">
                      {formatCount(m[k])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <CountTable
            title={ui('supervisor.byTopic')}
            first={ui('supervisor.topic')}
            rows={v.byTopic}
          />
          <CountTable
            title={ui('supervisor.byDistrict')}
            first={ui('supervisor.district')}
            rows={v.byDistrict}
          />
          <CountTable
            title={ui('supervisor.byReceiver')}
            first={ui('supervisor.org')}
            rows={v.byOrg}
          />
          <CountTable
            title={ui('supervisor.byChannel')}
            first={ui('supervisor.byChannel')}
            rows={v.byChannel}
          />
        </>
      ) : null}
    </section>
  );
}

/** Grouped bars per month, one per flow, drawn by recharts (the same numbers are in the table). */
function FlowChart({ months }: { months: MonthRow[] }) {
  const data = months.map((m) => ({ ...m, label: monthName(m.month) }));
  return (
    <figure className="sv-chart sv-rechart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {FLOW_KINDS.map((k, j) => (
            <Bar
              key={k}
              dataKey={k}
              name={FLOW_NAMES[k]}
              fill={COLOURS[j]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

const COUNT_COLUMNS: Column<CountRow>[] = [
  { label: ui('supervisor.count'), cell: (r) => formatCount(r.count) },
  { label: ui('supervisor.previous'), cell: (r) => formatCount(r.previous) },
  { label: ui('supervisor.change'), cell: (r) => change(r.count, r.previous) },
];

function CountTable({ title, first, rows }: { title: string; first: string; rows: CountRow[] }) {
  return <SectionTable title={title} first={first} columns={COUNT_COLUMNS} rows={rows} />;
}
