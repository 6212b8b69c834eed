import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import tilesFile from '../../../resources/reference/district-tiles.json';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import {
  DistrictTileSchema,
  lateLevel,
  type OutlookResponse,
} from '../../../src/domain/supervisor';
import { call } from '../bridge';
import { FormError } from '../ui/fields';
import { formatCount, ui } from '../i18n';
import { AsOf, OfflineNotice } from './parts';
import { useLiveFigures } from './use-live-figures';

const TILES = DistrictTileSchema.array().parse(tilesFile.tiles);
const DAY = new Intl.DateTimeFormat('tr-TR', {
  day: 'numeric',
  month: 'short',
  weekday: 'short',
  timeZone: 'UTC',
});
const dayName = (day: string) => DAY.format(new Date(`${day}T00:00:00Z`));

/**
 * Where the city stands now (issue #17 item 11): a tile-grid map of the 17 districts coloured by
 * late ŞÖKs (our own tile table, no boundary data), and the legal-limit risk of the next seven
 * days as a chart; each with its table, for screen readers and export.
 */
export function Outlook({ reference }: { reference: ReferenceSnapshot }) {
  const live = useLiveFigures(() => call('supervisor.outlook', {}), 'outlook');
  const o = live.data;
  return (
    <section className="panel" aria-labelledby="sv-outlook-title" id="sv-outlook">
      <div className="panel-head">
        <h2 id="sv-outlook-title">{ui('supervisor.outlook')}</h2>
        {o ? <AsOf at={o.asOf} /> : null}
      </div>
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {o ? (
        <div className="sv-outlook">
          <DistrictMap outlook={o} reference={reference} />
          <LegalRisk outlook={o} />
        </div>
      ) : null}
    </section>
  );
}

function DistrictMap({
  outlook,
  reference,
}: {
  outlook: OutlookResponse;
  reference: ReferenceSnapshot;
}) {
  const byCode = new Map(outlook.byDistrict.map((d) => [d.key, d]));
  const worst = Math.max(0, ...outlook.byDistrict.map((d) => d.late));
  const name = (code: string) => reference.districts.find((d) => d.code === code)?.name ?? code;
  return (
    <figure className="sv-figure">
      <h3>{ui('supervisor.where')}</h3>
      <div className="sv-tiles" role="img" aria-label={ui('supervisor.whereHelp')} id="sv-tile-map">
        {TILES.map((t) => {
          const d = byCode.get(t.code);
          const late = d?.late ?? 0;
          return (
            <div
              key={t.code}
              className={`sv-tile late-${lateLevel(late, worst)}`}
              style={{ gridRow: t.row + 1, gridColumn: t.col + 1 }}
              data-district={t.code}
              title={`${name(t.code)}: ${formatCount(d?.open ?? 0)} ${ui('supervisor.openCount')}, ${formatCount(late)} ${ui('supervisor.lateCount')}`}
            >
              <span className="sv-tile-name">{name(t.code)}</span>
              <span className="sv-tile-figs">
                {formatCount(d?.open ?? 0)} / <strong>{formatCount(late)}</strong>
              </span>
            </div>
          );
        })}
      </div>
      <figcaption className="muted">{ui('supervisor.whereHelp')}</figcaption>
      <table className="user-table sv-table" id="sv-district-table">
        <thead>
          <tr>
            <th scope="col">{ui('supervisor.district')}</th>
            <th scope="col" className="num">
              {ui('supervisor.openCount')}
            </th>
            <th scope="col" className="num">
              {ui('supervisor.lateCount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {outlook.byDistrict.map((d) => (
            <tr key={d.key} data-district={d.key}>
              <th scope="row">{d.name}</th>
              <td className="num">{formatCount(d.open)}</td>
              <td className="num">{formatCount(d.late)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function LegalRisk({ outlook }: { outlook: OutlookResponse }) {
  const data = outlook.legalRisk.map((r) => ({ day: dayName(r.day), count: r.count }));
  return (
    <figure className="sv-figure">
      <h3>{ui('supervisor.legalRisk')}</h3>
      <div className="sv-rechart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Bar
              dataKey="count"
              name={ui('supervisor.legalRiskCount')}
              fill="#c7772a"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">{ui('supervisor.legalRiskHelp')}</figcaption>
      <table className="user-table sv-table" id="sv-legal-risk-table">
        <thead>
          <tr>
            <th scope="col">{ui('supervisor.day')}</th>
            <th scope="col" className="num">
              {ui('supervisor.legalRiskCount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {outlook.legalRisk.map((r) => (
            <tr key={r.day} data-day={r.day}>
              <th scope="row">{dayName(r.day)}</th>
              <td className="num">{formatCount(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {outlook.legalRiskByOrg.length > 0 ? (
        <table className="user-table sv-table" id="sv-legal-risk-org-table">
          <thead>
            <tr>
              <th scope="col">{ui('supervisor.org')}</th>
              <th scope="col" className="num">
                {ui('supervisor.legalRiskCount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {outlook.legalRiskByOrg.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td className="num">{formatCount(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </figure>
  );
}
