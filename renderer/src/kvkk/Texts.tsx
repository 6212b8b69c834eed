import { useCallback, useEffect, useState } from 'react';
import type { KvkkTextView } from '../../../src/domain/api/kvkk';
import type { KvkkTextKind } from '../../../src/domain/kvkk';
import { call } from '../bridge';
import { formatShort, ui } from '../i18n';
import { FormError, Notice } from '../ui/fields';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const TEXT_KEY = {
  notice: 'kvkk.texts.notice',
  'sms-consent': 'kvkk.texts.smsConsent',
} as const;

/**
 * The notice (aydınlatma) and the SMS-survey consent in force, a new version published (every
 * ŞÖK keeps the version read to its caller), and a citizen's withdrawal of the survey consent.
 */
export function Texts() {
  const [texts, setTexts] = useState<KvkkTextView[] | null>(null);
  const [kind, setKind] = useState<KvkkTextKind>('notice');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    call('kvkk.texts', {}).then(setTexts, (e: unknown) => setError(message(e)));
  }, []);
  useEffect(load, [load]);

  const publish = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const published = await call('kvkk.publishText', { kind, text });
      setText('');
      setNotice(
        ui('kvkk.texts.published', {
          name: ui(TEXT_KEY[published.kind]),
          version: String(published.version),
        }),
      );
      load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="kvkk-texts-title">
      <h2 id="kvkk-texts-title">{ui('kvkk.texts.title')}</h2>
      {texts === null ? null : (
        <dl id="kvkk-texts-in-force">
          {texts.map((t) => (
            <div key={t.kind} data-kind={t.kind}>
              <dt>
                {ui('kvkk.texts.inForce', {
                  name: ui(TEXT_KEY[t.kind]),
                  version: String(t.version),
                  date: formatShort(t.publishedAt),
                })}
              </dt>
              <dd>{t.text}</dd>
            </div>
          ))}
        </dl>
      )}
      <form
        aria-label={ui('kvkk.texts.publish')}
        onSubmit={(e) => {
          e.preventDefault();
          void publish();
        }}
      >
        <label>
          {ui('kvkk.texts.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as KvkkTextKind)}>
            {(Object.keys(TEXT_KEY) as KvkkTextKind[]).map((k) => (
              <option key={k} value={k}>
                {ui(TEXT_KEY[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ui('kvkk.texts.newText')}
          <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || text.trim().length < 20}>
          {ui('kvkk.texts.publish')}
        </button>
      </form>
      <FormError message={error} />
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      <WithdrawConsent />
    </section>
  );
}

function WithdrawConsent() {
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const withdraw = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (phone.trim() === '' && email.trim() === '') throw new Error(ui('kvkk.needContact'));
      const { withdrawn } = await call('kvkk.withdrawConsent', { phone, email });
      setNotice(ui('kvkk.consent.withdrawn', { count: String(withdrawn) }));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      aria-label={ui('kvkk.consent.withdraw')}
      onSubmit={(e) => {
        e.preventDefault();
        void withdraw();
      }}
    >
      <h3>{ui('kvkk.consent.withdraw')}</h3>
      <p className="hint">{ui('kvkk.consent.help')}</p>
      <label>
        {ui('kvkk.phone')}
        <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
      </label>
      <label>
        {ui('kvkk.email')}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {ui('kvkk.consent.withdraw')}
      </button>
      <FormError message={error} />
      {notice ? <Notice tone="info">{notice}</Notice> : null}
    </form>
  );
}
