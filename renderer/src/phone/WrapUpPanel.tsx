import { useEffect, useState } from 'react';
import {
  CALL_DISPOSITION_NAMES,
  CALL_DISPOSITIONS,
  type CallDisposition,
} from '../../../src/domain/call';
import { BridgeError } from '../bridge';
import { FieldLabel, FormError } from '../ui/fields';
import { displayNumber, usePhoneSession, type PendingWrapUp } from './session';
import { ui } from '../i18n';
import { t } from '../../../src/domain/i18n/tr';

function formatDuration(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** After a call: its disposition (required), the ŞÖK it concerned, a note. */
export function WrapUpPanel({ wrapUp }: { wrapUp: PendingWrapUp }) {
  const { entry, until, context } = wrapUp;
  const save = usePhoneSession((s) => s.wrapUp);
  const [disposition, setDisposition] = useState<CallDisposition | ''>('');
  // A ŞÖK registered (or added to) during the call is already chosen.
  const [sokId, setSokId] = useState(wrapUp.sokId ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  const id = `wrapup-${entry.id}`;

  return (
    <form
      className="wrap-up"
      id="wrap-up"
      aria-label={ui('phone.wrapUpTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!disposition) {
          setFieldError(t('phone.dispositionRequired'));
          return;
        }
        void save(entry.id, { disposition, sokId: sokId || null, note })
          .then(() => setError(null))
          .catch((err: unknown) => {
            if (err instanceof BridgeError) {
              setFieldError(err.data.fields?.disposition);
              setError(err.data.message);
            } else setError(String(err));
          });
      }}
    >
      <h3>
        {ui('phone.wrapUpTitle')}: {displayNumber(entry.number).display} ·{' '}
        {formatDuration(entry.durationSeconds)}
      </h3>
      <p className="muted" role="status">
        {left > 0 ? ui('phone.wrapUpReadyIn', { seconds: left }) : ui('phone.wrapUpReady')}
      </p>
      <div className="field">
        <FieldLabel
          htmlFor={`${id}-disposition`}
          text={ui('phone.disposition')}
          error={fieldError}
        />
        <select
          id={`${id}-disposition`}
          className="wrapup-disposition"
          value={disposition}
          onChange={(e) => {
            setDisposition(e.target.value as CallDisposition);
            setFieldError(undefined);
          }}
        >
          <option value="">{ui('phone.choose')}</option>
          {CALL_DISPOSITIONS.map((d) => (
            <option key={d} value={d}>
              {CALL_DISPOSITION_NAMES[d]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <FieldLabel htmlFor={`${id}-sok`} text={ui('phone.linkSok')} />
        <select
          id={`${id}-sok`}
          className="wrapup-sok"
          value={sokId}
          onChange={(e) => setSokId(e.target.value)}
        >
          <option value="">{ui('phone.noSok')}</option>
          {(context?.soks ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.regNo ?? '—'} · {s.description.slice(0, 40)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <FieldLabel htmlFor={`${id}-note`} text={ui('phone.note')} />
        <input
          id={`${id}-note`}
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <FormError message={error} />
      <button type="submit" className="wrapup-save">
        {ui('phone.save')}
      </button>
    </form>
  );
}
