import { useEffect, useState } from 'react';
import type { DayOff } from '../../../src/domain/calendar/calendar';
import { formatDay } from '../../../src/domain/workflow';
import { BridgeError, call } from '../bridge';
import { FormError, Notice } from '../ui/fields';
import { ui } from '../i18n';

type Org = { code: string; name: string; kind: string; email: string | null };

/**
 * Admin settings of the callback workflow: the extra days off declared by circular (idari izin),
 * which move callback deadlines, and each organisation's mailbox, where the other side's e-mails
 * and late-callback notices go. Straight to the central API: never edited offline.
 */
export function AdminWorkflow() {
  return (
    <div className="admin">
      <DaysOff />
      <Mailboxes />
    </div>
  );
}

function DaysOff() {
  const [days, setDays] = useState<DayOff[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<DayOff['kind']>('full');
  const [note, setNote] = useState('');

  useEffect(() => {
    call('admin.daysOff.list', {}).then(setDays, (e: unknown) => setError((e as Error).message));
  }, []);

  const save = async (next: DayOff[]) => {
    setError(null);
    setSaved(false);
    try {
      setDays(await call('admin.daysOff.save', { daysOff: next }));
      setSaved(true);
      return true;
    } catch (e) {
      const fields = e instanceof BridgeError ? e.data.fields : undefined;
      setError(fields ? Object.values(fields).join(' ') : (e as Error).message);
      return false;
    }
  };

  return (
    <section className="panel" aria-labelledby="daysoff-title" id="admin-days-off">
      <h2 id="daysoff-title">{ui('adminWf.daysOff')}</h2>
      <p className="muted">{ui('adminWf.daysOffHelp')}</p>
      <table className="user-table">
        <thead>
          <tr>
            <th>{ui('adminWf.date')}</th>
            <th>{ui('adminWf.kind')}</th>
            <th>{ui('adminWf.note')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(days ?? []).map((d) => (
            <tr key={d.date}>
              <td>{formatDay(d.date)}</td>
              <td>{ui(d.kind === 'full' ? 'adminWf.full' : 'adminWf.half')}</td>
              <td>{d.note}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void save((days ?? []).filter((x) => x.date !== d.date))}
                >
                  {ui('adminWf.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save([...(days ?? []), { date, kind, note }]).then((ok) => {
            if (ok) {
              setDate('');
              setNote('');
            }
          });
        }}
      >
        <div className="field">
          <label htmlFor="dayoff-date">{ui('adminWf.date')}</label>
          <input
            id="dayoff-date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="dayoff-kind">{ui('adminWf.kind')}</label>
          <select
            id="dayoff-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as DayOff['kind'])}
          >
            <option value="full">{ui('adminWf.full')}</option>
            <option value="half">{ui('adminWf.half')}</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="dayoff-note">{ui('adminWf.note')}</label>
          <input id="dayoff-note" value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit">{ui('adminWf.add')}</button>
        </div>
      </form>
      <FormError message={error} />
      {saved ? (
        <Notice tone="success" role="status">
          {ui('adminWf.saved')}
        </Notice>
      ) : null}
    </section>
  );
}

function Mailboxes() {
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    call('admin.organisations.list', {}).then(setOrgs, (e: unknown) =>
      setError((e as Error).message),
    );
  }, []);

  const save = async (org: Org) => {
    const value = (drafts[org.code] ?? org.email ?? '').trim();
    setError(null);
    setSaved(null);
    try {
      await call('admin.organisations.setEmail', { code: org.code, email: value || null });
      setOrgs(
        (list) =>
          list?.map((o) => (o.code === org.code ? { ...o, email: value || null } : o)) ?? null,
      );
      setSaved(org.name);
    } catch (e) {
      setError(`${org.name}: ${(e as Error).message}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="mailbox-title" id="admin-mailboxes">
      <h2 id="mailbox-title">{ui('adminWf.mailboxes')}</h2>
      <p className="muted">{ui('adminWf.mailboxesHelp')}</p>
      <FormError message={error} />
      {saved ? (
        <Notice tone="success" role="status">
          {ui('adminWf.mailboxSaved', { org: saved })}
        </Notice>
      ) : null}
      <table className="user-table">
        <tbody>
          {(orgs ?? [])
            .filter((o) => o.kind !== 'institution')
            .map((o) => (
              <tr key={o.code}>
                <td>{o.name}</td>
                <td>
                  <input
                    aria-label={ui('adminWf.mailboxOf', { org: o.name })}
                    type="email"
                    value={drafts[o.code] ?? o.email ?? ''}
                    onChange={(e) => setDrafts((d) => ({ ...d, [o.code]: e.target.value }))}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => void save(o)}>
                    {ui('adminWf.save')}
                  </button>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
