import { useEffect, useRef, useState } from 'react';
import type { EraseOutcomeView, SubjectRequestView } from '../../../src/domain/api/kvkk';
import type { KvkkFindings, KvkkFoundSok } from '../../../src/domain/bridge/contract';
import { call } from '../bridge';
import { formatShort, ui } from '../i18n';
import { FormError, Notice } from '../ui/fields';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One citizen's request at work (KVKK art. 11): what is held about the person across all
 * organisations; for a correction request, each ŞÖK's contact data corrected; for an erasure
 * request, everything no legal duty keeps anonymised, with the administrator's note on a duty to
 * keep recorded on the request beside the product's own reasons.
 */
export function RequestWork({
  request,
  onChanged,
}: {
  request: SubjectRequestView;
  onChanged(): void;
}) {
  const [found, setFound] = useState<KvkkFindings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [erased, setErased] = useState<EraseOutcomeView | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [request.id]);
  useEffect(() => {
    let live = true;
    call('kvkk.findings', { id: request.id }).then(
      (f) => live && setFound(f),
      (e: unknown) => live && setError(message(e)),
    );
    return () => {
      live = false;
    };
  }, [request.id, reloads]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      setReloads((n) => n + 1);
      onChanged();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const subject = [request.phone, request.email].filter(Boolean).join(' · ');
  return (
    <section className="kvkk-work" aria-labelledby="kvkk-work-title">
      <h3 id="kvkk-work-title" ref={heading} tabIndex={-1}>
        {ui('kvkk.work.title', { subject })}
      </h3>
      <FormError message={error} />
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      {found === null ? null : (
        <>
          <p>
            {ui('kvkk.work.found', {
              soks: String(found.soks.length),
              calls: String(found.calls),
              messages: String(found.messages),
            })}
          </p>
          {found.soks.length === 0 ? null : (
            <table aria-label={ui('kvkk.work.soks')}>
              <thead>
                <tr>
                  <th>{ui('kvkk.log.regNo')}</th>
                  <th>{ui('kvkk.work.registered')}</th>
                  <th>{ui('kvkk.work.name')}</th>
                  <th>{ui('kvkk.phone')}</th>
                  <th>{ui('kvkk.email')}</th>
                  <th>{ui('kvkk.work.address')}</th>
                  {request.kind === 'correct' ? <th>{ui('kvkk.work.correct')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {found.soks.map((s) => (
                  <tr key={s.id} data-sok={s.id}>
                    <td>{s.regNo}</td>
                    <td>{formatShort(s.createdAt)}</td>
                    <td>{s.anonymisedAt ? ui('kvkk.work.anonymised') : s.citizenName}</td>
                    <td>{s.citizenPhone}</td>
                    <td>{s.citizenEmail ?? ''}</td>
                    <td>{s.address}</td>
                    {request.kind === 'correct' ? (
                      <td>
                        {s.anonymisedAt ? null : (
                          <button
                            type="button"
                            disabled={busy}
                            aria-expanded={editing === s.id}
                            onClick={() => setEditing(editing === s.id ? null : s.id)}
                          >
                            {ui('kvkk.work.correctOne', { regNo: s.regNo })}
                          </button>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {editing !== null && found.soks.some((s) => s.id === editing) ? (
            <CorrectForm
              key={editing}
              sok={found.soks.find((s) => s.id === editing)!}
              busy={busy}
              onSubmit={(change) =>
                void run(async () => {
                  const { corrected } = await call('kvkk.correct', {
                    id: request.id,
                    sokId: editing,
                    ...change,
                  });
                  setEditing(null);
                  return ui('kvkk.work.corrected', { regNo: corrected });
                })
              }
              onError={setError}
            />
          ) : null}
          {request.kind === 'erase' ? (
            <form
              aria-label={ui('kvkk.work.erase')}
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  const outcome = await call('kvkk.erase', { id: request.id, reason });
                  setErased(outcome);
                  return ui('kvkk.work.erased', { count: String(outcome.anonymised.length) });
                });
              }}
            >
              <label>
                {ui('kvkk.work.keepReason')}
                <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="submit" disabled={busy}>
                {ui('kvkk.work.erase')}
              </button>
            </form>
          ) : null}
          {erased ? (
            <div id="kvkk-erase-outcome">
              <p>
                {ui('kvkk.work.anonymisedList', {
                  list: erased.anonymised.join(', ') || '—',
                })}
              </p>
              {erased.kept.length === 0 ? null : (
                <ul aria-label={ui('kvkk.work.kept')}>
                  {erased.kept.map((k) => (
                    <li key={k.regNo}>
                      {k.regNo}: {k.reason}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

type Change = Partial<Pick<KvkkFoundSok, 'citizenName' | 'citizenPhone' | 'address'>> & {
  citizenEmail?: string;
};

/** The contact data of one ŞÖK, as found, to correct; only what changed is sent. */
function CorrectForm({
  sok,
  busy,
  onSubmit,
  onError,
}: {
  sok: KvkkFoundSok;
  busy: boolean;
  onSubmit(change: Change): void;
  onError(message: string): void;
}) {
  const [values, setValues] = useState({
    citizenName: sok.citizenName,
    citizenPhone: sok.citizenPhone,
    citizenEmail: sok.citizenEmail ?? '',
    address: sok.address,
  });
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const field = (key: keyof typeof values, label: string, type = 'text') => (
    <label>
      {label}
      <input
        ref={key === 'citizenName' ? first : undefined}
        type={type}
        value={values[key]}
        onChange={(e) => setValues({ ...values, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <form
      aria-label={ui('kvkk.work.correctOne', { regNo: sok.regNo })}
      onSubmit={(e) => {
        e.preventDefault();
        const change: Change = {};
        if (values.citizenName.trim() !== sok.citizenName) change.citizenName = values.citizenName;
        if (values.citizenPhone.trim() !== sok.citizenPhone)
          change.citizenPhone = values.citizenPhone;
        if (values.citizenEmail.trim() !== (sok.citizenEmail ?? ''))
          change.citizenEmail = values.citizenEmail;
        if (values.address.trim() !== sok.address) change.address = values.address;
        if (Object.keys(change).length === 0) onError(ui('kvkk.work.nothingChanged'));
        else onSubmit(change);
      }}
    >
      {field('citizenName', ui('kvkk.work.name'))}
      {field('citizenPhone', ui('kvkk.phone'), 'tel')}
      {field('citizenEmail', ui('kvkk.email'), 'email')}
      {field('address', ui('kvkk.work.address'))}
      <button type="submit" disabled={busy}>
        {ui('kvkk.work.saveCorrection')}
      </button>
    </form>
  );
}
