import { useCallback, useEffect, useState } from 'react';
import type { AccessLogEntry, SubjectRequestView } from '../../../src/domain/api/kvkk';
import type { MethodInput } from '../../../src/domain/bridge/contract';
import type { AccessKind, RetentionSchedule, SubjectRequestKind } from '../../../src/domain/kvkk';
import { call } from '../bridge';
import { formatShort, istanbulDayStart, ui, type UiKey } from '../i18n';
import { saveDownload } from '../supervisor/download';
import { FormError, Notice } from '../ui/fields';
import { RequestWork } from './RequestWork';
import { Texts } from './Texts';

const KIND_KEY = {
  access: 'kvkk.kind.access',
  correct: 'kvkk.kind.correct',
  erase: 'kvkk.kind.erase',
} as const satisfies Record<SubjectRequestKind, UiKey>;

const ACCESS_KIND_KEY = {
  view: 'kvkk.access.view',
  'caller-history': 'kvkk.access.caller-history',
  search: 'kvkk.access.search',
  list: 'kvkk.access.list',
  export: 'kvkk.access.export',
  reveal: 'kvkk.access.reveal',
  'subject-request': 'kvkk.access.subject-request',
} as const satisfies Record<AccessKind, UiKey>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The KVKK screen for BİKOM's administrators (issue #19, docs/kvkk.md): who saw which citizen's
 * contact details, the citizens' requests with their 30-day due dates, and the retention schedule.
 * Everything is read from the central API as the screen opens; offline it shows the usual message.
 */
export function KvkkScreen() {
  return (
    <main className="workspace kvkk">
      <Requests />
      <AccessLog />
      <Texts />
      <Retention />
    </main>
  );
}

function Requests() {
  const [requests, setRequests] = useState<SubjectRequestView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [kind, setKind] = useState<SubjectRequestKind>('access');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [receivedOn, setReceivedOn] = useState('');
  const [note, setNote] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [working, setWorking] = useState<string | null>(null);

  const load = useCallback(() => {
    call('kvkk.requests', { state: 'open' }).then(setRequests, (e: unknown) =>
      setError(message(e)),
    );
  }, []);
  useEffect(load, [load]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const register = () =>
    run(async () => {
      if (phone.trim() === '' && email.trim() === '') throw new Error(ui('kvkk.needContact'));
      await call('kvkk.registerRequest', {
        kind,
        phone,
        email,
        note,
        ...(receivedOn === '' ? {} : { receivedAt: istanbulDayStart(receivedOn) ?? undefined }),
      });
      setPhone('');
      setEmail('');
      setNote('');
      setReceivedOn('');
    }, ui('kvkk.registered'));

  return (
    <section className="panel" aria-labelledby="kvkk-requests-title">
      <h2 id="kvkk-requests-title">{ui('kvkk.requests.title')}</h2>
      <p className="hint">{ui('kvkk.requests.help')}</p>
      <form
        className="kvkk-new-request"
        aria-label={ui('kvkk.register')}
        onSubmit={(e) => {
          e.preventDefault();
          void register();
        }}
      >
        <label>
          {ui('kvkk.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as SubjectRequestKind)}>
            {(Object.keys(KIND_KEY) as SubjectRequestKind[]).map((k) => (
              <option key={k} value={k}>
                {ui(KIND_KEY[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ui('kvkk.phone')}
          <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <label>
          {ui('kvkk.email')}
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {ui('kvkk.receivedOn')}
          <input type="date" value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />
        </label>
        <label>
          {ui('kvkk.note')}
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {ui('kvkk.register')}
        </button>
      </form>
      <FormError message={error} />
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      {requests === null ? null : requests.length === 0 ? (
        <p>{ui('kvkk.requests.none')}</p>
      ) : (
        <table aria-label={ui('kvkk.requests.title')}>
          <thead>
            <tr>
              <th>{ui('kvkk.kind')}</th>
              <th>{ui('kvkk.subject')}</th>
              <th>{ui('kvkk.receivedOn')}</th>
              <th>{ui('kvkk.dueAt')}</th>
              <th>{ui('kvkk.note')}</th>
              <th>{ui('kvkk.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
                <td>{ui(KIND_KEY[r.kind])}</td>
                <td>{[r.phone, r.email].filter(Boolean).join(' · ')}</td>
                <td>{formatShort(r.receivedAt)}</td>
                <td>
                  {formatShort(r.dueAt)}
                  {r.overdue ? (
                    <strong className="overdue-flag"> {ui('kvkk.overdue')}</strong>
                  ) : null}
                </td>
                <td>{r.note}</td>
                <td>
                  <button
                    type="button"
                    aria-expanded={working === r.id}
                    onClick={() => setWorking(working === r.id ? null : r.id)}
                  >
                    {ui('kvkk.work.open')}
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void run(
                        async () => saveDownload(await call('kvkk.requestPdf', { id: r.id })),
                        ui('kvkk.pdfSaved'),
                      )
                    }
                  >
                    {ui('kvkk.pdf')}
                  </button>
                  <input
                    aria-label={ui('kvkk.answerNote')}
                    value={answers[r.id] ?? ''}
                    onChange={(e) => setAnswers({ ...answers, [r.id]: e.target.value })}
                  />
                  <button
                    type="button"
                    disabled={busy || (answers[r.id] ?? '').trim() === ''}
                    onClick={() =>
                      void run(
                        () => call('kvkk.answerRequest', { id: r.id, note: answers[r.id] ?? '' }),
                        ui('kvkk.answered'),
                      )
                    }
                  >
                    {ui('kvkk.answer')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {requests?.some((r) => r.id === working) ? (
        <RequestWork
          key={working}
          request={requests.find((r) => r.id === working)!}
          onChanged={load}
        />
      ) : null}
    </section>
  );
}

/** The filter as typed: days (yyyy-MM-dd) for the period. */
type Filter = Omit<MethodInput<'kvkk.accessLog'>, 'from' | 'to'> & { from?: string; to?: string };

/** The period's days as Istanbul instants, the last day included. */
const toQuery = (f: Filter): MethodInput<'kvkk.accessLog'> => ({
  ...f,
  from: f.from === undefined ? undefined : (istanbulDayStart(f.from) ?? undefined),
  to: f.to === undefined ? undefined : (istanbulDayStart(f.to, 1) ?? undefined),
});

function AccessLog() {
  const [filter, setFilter] = useState<Filter>({});
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof Filter, value: string) =>
    setFilter({ ...filter, [key]: value === '' ? undefined : value });

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const search = () =>
    run(async () => {
      setEntries(await call('kvkk.accessLog', toQuery(filter)));
    });
  useEffect(() => {
    call('kvkk.accessLog', {}).then(setEntries, (e: unknown) => setError(message(e)));
  }, []);

  return (
    <section className="panel" aria-labelledby="kvkk-log-title">
      <h2 id="kvkk-log-title">{ui('kvkk.log.title')}</h2>
      <form
        aria-label={ui('kvkk.log.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          {ui('kvkk.log.userId')}
          <input value={filter.userId ?? ''} onChange={(e) => set('userId', e.target.value)} />
        </label>
        <label>
          {ui('kvkk.phone')}
          <input
            type="tel"
            value={filter.phone ?? ''}
            onChange={(e) => set('phone', e.target.value)}
          />
        </label>
        <label>
          {ui('kvkk.email')}
          <input value={filter.email ?? ''} onChange={(e) => set('email', e.target.value)} />
        </label>
        <label>
          {ui('kvkk.log.from')}
          <input
            type="date"
            value={filter.from ?? ''}
            onChange={(e) => set('from', e.target.value)}
          />
        </label>
        <label>
          {ui('kvkk.log.to')}
          <input type="date" value={filter.to ?? ''} onChange={(e) => set('to', e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {ui('kvkk.log.search')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => saveDownload(await call('kvkk.accessLogCsv', toQuery(filter))))
          }
        >
          {ui('kvkk.log.csv')}
        </button>
      </form>
      <FormError message={error} />
      {entries === null ? null : entries.length === 0 ? (
        <p>{ui('kvkk.log.none')}</p>
      ) : (
        <table aria-label={ui('kvkk.log.title')}>
          <thead>
            <tr>
              <th>{ui('kvkk.log.at')}</th>
              <th>{ui('kvkk.log.user')}</th>
              <th>{ui('kvkk.log.kind')}</th>
              <th>{ui('kvkk.log.regNo')}</th>
              <th>{ui('kvkk.log.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatShort(e.at)}</td>
                <td>{e.displayName ?? e.username ?? e.userId}</td>
                <td data-kind={e.kind}>
                  {e.kind in ACCESS_KIND_KEY ? ui(ACCESS_KIND_KEY[e.kind as AccessKind]) : e.kind}
                </td>
                <td>{e.regNo ?? '—'}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const RETENTION_FIELDS = [
  ['closedSokYears', 'kvkk.retention.closedSokYears'],
  ['callLogMonths', 'kvkk.retention.callLogMonths'],
  ['deskClosedDays', 'kvkk.retention.deskClosedDays'],
] as const satisfies readonly (readonly [keyof RetentionSchedule, UiKey])[];

function Retention() {
  const [schedule, setSchedule] = useState<RetentionSchedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    call('kvkk.retention', {}).then(setSchedule, (e: unknown) => setError(message(e)));
  }, []);
  const save = async () => {
    if (schedule === null) return;
    setError(null);
    setNotice(null);
    try {
      setSchedule(await call('kvkk.setRetention', schedule));
      setNotice(ui('kvkk.retention.saved'));
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <section className="panel" aria-labelledby="kvkk-retention-title">
      <h2 id="kvkk-retention-title">{ui('kvkk.retention.title')}</h2>
      {schedule === null ? null : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {RETENTION_FIELDS.map(([field, key]) => (
            <label key={field}>
              {ui(key)}
              <input
                type="number"
                min={1}
                value={schedule[field]}
                onChange={(e) => setSchedule({ ...schedule, [field]: Number(e.target.value) })}
              />
            </label>
          ))}
          <button type="submit">{ui('kvkk.retention.save')}</button>
        </form>
      )}
      <FormError message={error} />
      {notice ? <Notice tone="info">{notice}</Notice> : null}
    </section>
  );
}
