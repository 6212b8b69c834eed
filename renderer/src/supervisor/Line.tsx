import type { LineLiveRow } from '../../../src/domain/line-console';
import { call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { useNow, usePolledRead } from '../ui/use-polled-read';
import { formatCount, ui } from '../i18n';
import { AsOf } from './parts';

/** How often the line is read: as often as the agent board, a caller's wait is seconds. */
const POLL_MS = 1000;

const PERCENT = new Intl.NumberFormat('tr-TR', { style: 'percent', maximumFractionDigits: 1 });
const SECONDS = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 1 });

/** m:ss or h:mm:ss */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const rate = (r: number | null) => (r === null ? ui('supervisor.noRate') : PERCENT.format(r));

function Kpi({
  id,
  label,
  value,
  note,
}: {
  id: string;
  label: string;
  value: string;
  note?: string;
}) {
  return (
    <div className="sv-kpi" data-kpi={id}>
      <span className="label">{label}</span>
      <strong>{value}</strong>
      {note ? <span className="muted">{note}</span> : null}
    </div>
  );
}

/** One line: who waits now (masked, in order, the wait ticking) and today's figures. */
function LineView({ row, elapsed }: { row: LineLiveRow; elapsed: number }) {
  const f = row.today;
  const longestNow = row.waiting + row.ringing > 0 ? row.longestWaitNowSeconds + elapsed : 0;
  return (
    <div className="sv-line" data-line={row.line}>
      <h3>{ui('supervisor.lineTitle', { line: row.line, org: row.orgName })}</h3>
      <div className="sv-kpis">
        <Kpi
          id="waiting"
          label={ui('supervisor.lineWaiting')}
          value={formatCount(row.waiting)}
          note={ui('supervisor.lineRinging', { count: formatCount(row.ringing) })}
        />
        <Kpi
          id="longest"
          label={ui('supervisor.lineLongest')}
          value={clock(longestNow)}
          note={ui('supervisor.lineLongestToday', {
            time: clock(Math.max(f.longestWaitSeconds, longestNow)),
          })}
        />
        <Kpi
          id="offered"
          label={ui('supervisor.lineOffered')}
          value={formatCount(f.offered)}
          note={ui('supervisor.lineOutcomes', {
            answered: formatCount(f.answered),
            abandoned: formatCount(f.abandoned),
            inProgress: formatCount(f.inProgress),
          })}
        />
        <Kpi
          id="service-level"
          label={ui('supervisor.lineServiceLevel', { seconds: row.serviceLevelSeconds })}
          value={rate(f.serviceLevel)}
          note={`${formatCount(f.answeredWithinThreshold)} / ${formatCount(
            f.answered + f.abandoned - f.shortAbandoned,
          )}`}
        />
        <Kpi
          id="asa"
          label={ui('supervisor.lineAsa')}
          value={
            f.asaSeconds === null
              ? ui('supervisor.noRate')
              : ui('supervisor.lineSeconds', { seconds: SECONDS.format(f.asaSeconds) })
          }
        />
        <Kpi
          id="abandonment"
          label={ui('supervisor.lineAbandonment')}
          value={rate(f.abandonmentRate)}
          {...(row.shortAbandonSeconds > 0
            ? {
                note: ui('supervisor.lineShortAbandons', {
                  count: formatCount(f.shortAbandoned),
                  seconds: row.shortAbandonSeconds,
                }),
              }
            : {})}
        />
      </div>
      {row.callers.length === 0 ? (
        <p className="muted">{ui('supervisor.lineNobody')}</p>
      ) : (
        <table className="queue-table sv-line-callers">
          <thead>
            <tr>
              <th scope="col">{ui('supervisor.linePosition')}</th>
              <th scope="col">{ui('supervisor.lineNumber')}</th>
              <th scope="col">{ui('supervisor.lineState')}</th>
              <th scope="col">{ui('supervisor.lineWait')}</th>
            </tr>
          </thead>
          <tbody>
            {row.callers.map((c) => (
              <tr key={`${c.arrivedAt}-${c.number}`} data-state={c.state}>
                <td>{c.position > 0 ? c.position : '—'}</td>
                <td>{c.number}</td>
                <td>
                  {c.state === 'waiting'
                    ? ui('supervisor.lineStateWaiting')
                    : ui('supervisor.lineStateRinging')}
                </td>
                <td>
                  <time>{clock(c.waitSeconds + elapsed)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The call line live (issue #20): per line (153 and each district desk's number) the callers
 * waiting now, masked, in their order and with their wait, and today's figures. Read from the
 * central API every second like the agent board (one read at a time); the waits tick between.
 */
export function Line() {
  const { value: view, at, error } = usePolledRead(() => call('supervisor.line', {}), POLL_MS);
  const now = useNow();
  const data = view === null ? null : { view, at };

  // Seconds since the figures were read: the waits go on counting until the next read.
  const elapsed = data ? Math.max(0, Math.floor((now - data.at) / 1000)) : 0;
  return (
    <section className="panel" aria-labelledby="sv-line-title" id="sv-line">
      <div className="panel-head">
        <h2 id="sv-line-title">{ui('supervisor.line')}</h2>
        {data ? <AsOf at={data.view.asOf} /> : null}
      </div>
      <FormError message={error} />
      {data && data.view.lines.length === 0 ? (
        <Notice tone="info">{ui('supervisor.lineNone')}</Notice>
      ) : null}
      {data?.view.lines.map((row) => (
        <LineView key={row.line} row={row} elapsed={elapsed} />
      ))}
    </section>
  );
}
