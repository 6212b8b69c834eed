import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { formatPhoneForDisplay } from '../../src/domain/phone';
import type { ReferenceSnapshot } from '../../src/domain/reference';
import { SokDraftSchema, type Sok } from '../../src/domain/sok';
import { compareTurkish } from '../../src/domain/text';
import { fieldErrors } from '../../src/domain/validation';
import { bridge, BridgeError, call } from './bridge';
import { Combobox } from './Combobox';
import { formatTime, ui } from './i18n';
import { useSync } from './sync-store';

type Field =
  | 'typeCode'
  | 'topicCode'
  | 'districtCode'
  | 'mahalle'
  | 'address'
  | 'description'
  | 'citizenName'
  | 'citizenPhone';
const EMPTY: Record<Field, string> = {
  typeCode: '',
  topicCode: '',
  districtCode: '',
  mahalle: '',
  address: '',
  description: '',
  citizenName: '',
  citizenPhone: '',
};

export function SokForm({ reference }: { reference: ReferenceSnapshot }) {
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Sok | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // Fields are checked on blur once they hold something, and all of them after a save attempt.
  const [attempted, setAttempted] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const typeOptions = useMemo(
    () => reference.sokTypes.map((t) => ({ code: t.code, label: t.name })),
    [reference.sokTypes],
  );
  const topicOptions = useMemo(() => {
    const names = new Map(reference.topics.map((t) => [t.code, t.name]));
    return reference.topics
      .filter((t) => t.parentCode !== null)
      .map((t) => ({
        code: t.code,
        label: t.name,
        group: names.get(t.parentCode ?? '') ?? '',
        keywords: t.keywords,
      }))
      .sort((a, b) => compareTurkish(a.group, b.group) || compareTurkish(a.label, b.label));
  }, [reference.topics]);
  const districtOptions = useMemo(
    () =>
      reference.districts
        .map((d) => ({ code: d.code, label: d.name }))
        .sort((a, b) => compareTurkish(a.label, b.label)),
    [reference.districts],
  );

  function reset() {
    setValues(EMPTY);
    setErrors({});
    setAttempted(false);
    setFormError(null);
    firstField.current?.focus();
  }

  function validateField(field: Field, current: Record<Field, string> = values) {
    if (!attempted && current[field].trim() === '') return;
    const result = SokDraftSchema.safeParse({ ...current, channelCode: 'telefon' });
    const next = result.success ? {} : fieldErrors(result.error);
    setErrors((prev) => ({ ...prev, [field]: next[field] }));
  }

  async function save() {
    if (saving) return;
    setAttempted(true);
    const result = SokDraftSchema.safeParse({ ...values, channelCode: 'telefon' });
    if (!result.success) {
      setErrors(fieldErrors(result.error));
      setFormError(ui('form.fixErrors'));
      return;
    }
    setSaving(true);
    try {
      const sok = await call('sok.create', { ...values, channelCode: 'telefon' });
      setSaved(sok);
      setValues(EMPTY);
      setErrors({});
      setFormError(null);
      setAttempted(false);
    } catch (error) {
      if (error instanceof BridgeError) {
        setErrors(error.data.fields ?? {});
        setFormError(error.data.message);
      } else {
        setFormError((error as Error).message);
      }
    } finally {
      setSaving(false);
    }
  }

  // A ŞÖK the server refused is rolled back here: the receipt says so instead of going stale.
  const [rejectedId, setRejectedId] = useState<string | null>(null);
  // The receipt follows its ŞÖK until the server has it and it has its number: on its own
  // change events, and whenever the outbox moves. (Between push and pull a ŞÖK can be sent but
  // still without the number the server gave it.)
  const pendingId =
    saved && (saved.syncState === 'pending' || saved.regNo === null) ? saved.id : null;
  const queueLength = useSync((s) => s.status?.pending);
  useEffect(() => {
    if (pendingId === null) return;
    let live = true;
    const reload = () =>
      call('sok.get', { id: pendingId }).then(
        (sok) => {
          if (!live) return;
          setSaved((current) => (current?.id === sok.id ? sok : current));
          setRejectedId(null);
        },
        (error: unknown) => {
          if (live && error instanceof BridgeError && error.data.code === 'not-found') {
            setRejectedId(pendingId);
          }
        },
      );
    const off = bridge?.on('sok.changed', ({ id }) => {
      if (id === pendingId || id === '*') void reload();
    });
    void reload();
    return () => {
      live = false;
      off?.();
    };
  }, [pendingId, queueLength]);

  // Keyboard-first: Alt+Y starts a new ŞÖK, Ctrl+Enter saves from any field.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && e.key.toLocaleLowerCase('tr') === 'y') {
        e.preventDefault();
        setSaved(null);
        reset();
      } else if (
        e.ctrlKey &&
        e.key === 'Enter' &&
        formRef.current?.contains(document.activeElement)
      ) {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const bind = (field: Field) => ({
    id: `sok-${field}`,
    name: field,
    value: values[field],
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `sok-${field}-error` : undefined,
    onChange: (e: { target: { value: string } }) =>
      setValues((v) => ({ ...v, [field]: e.target.value })),
    onBlur: () => validateField(field),
  });
  const combo = (field: Field) => ({
    id: `sok-${field}`,
    value: values[field],
    invalid: Boolean(errors[field]),
    describedBy: errors[field] ? `sok-${field}-error` : undefined,
    placeholder: ui('form.typeToFilter'),
    onChange: (code: string) => {
      const next = { ...values, [field]: code };
      setValues(next);
      validateField(field, next);
    },
  });
  const label = (field: Field, text: string) => (
    <label htmlFor={`sok-${field}`}>
      {text}
      {errors[field] ? (
        <span className="field-error" id={`sok-${field}-error`} role="alert">
          {errors[field]}
        </span>
      ) : null}
    </label>
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };

  return (
    <section className="panel" aria-labelledby="sok-form-title">
      <h2 id="sok-form-title">{ui('form.title')}</h2>
      {saved ? (
        <Receipt sok={saved} reference={reference} rejected={rejectedId === saved.id} />
      ) : null}
      <form ref={formRef} onSubmit={onSubmit} noValidate className="sok-form">
        <div className="row">
          <div className="field">
            {label('typeCode', ui('form.type'))}
            <Combobox
              {...combo('typeCode')}
              options={typeOptions}
              inputRef={firstField}
              autoFocus
            />
          </div>
          <div className="field grow">
            {label('topicCode', ui('form.topic'))}
            <Combobox {...combo('topicCode')} options={topicOptions} />
          </div>
        </div>
        <div className="row">
          <div className="field">
            {label('districtCode', ui('form.district'))}
            <Combobox {...combo('districtCode')} options={districtOptions} />
          </div>
          <div className="field grow">
            {label('mahalle', ui('form.mahalle'))}
            <input {...bind('mahalle')} autoComplete="off" />
          </div>
        </div>
        <div className="field">
          {label('address', ui('form.address'))}
          <input {...bind('address')} autoComplete="off" />
        </div>
        <div className="field">
          {label('description', ui('form.description'))}
          <textarea {...bind('description')} rows={5} />
        </div>
        <div className="row">
          <div className="field grow">
            {label('citizenName', ui('form.citizenName'))}
            <input {...bind('citizenName')} autoComplete="off" />
          </div>
          <div className="field">
            {label('citizenPhone', ui('form.citizenPhone'))}
            <input {...bind('citizenPhone')} type="tel" inputMode="tel" autoComplete="off" />
          </div>
        </div>
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? ui('form.saving') : ui('form.save')}
          </button>
          <button type="button" onClick={reset} className="secondary">
            {ui('form.clear')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Receipt({
  sok,
  reference,
  rejected,
}: {
  sok: Sok;
  reference: ReferenceSnapshot;
  rejected: boolean;
}) {
  const topic = reference.topics.find((t) => t.code === sok.topicCode)?.name ?? sok.topicCode;
  const openRejected = useSync((s) => s.openRejected);
  return (
    <div className={rejected ? 'receipt rejected' : 'receipt'} role="status" aria-live="polite">
      <strong>{ui('form.saved')}</strong>
      {rejected ? (
        <p className="receipt-rejected" role="alert">
          {ui('form.rejected')}{' '}
          <button type="button" className="secondary small" onClick={() => openRejected(true)}>
            {ui('toast.showRejected')}
          </button>
        </p>
      ) : null}
      <div className="receipt-number">
        <span className="receipt-label">{ui('form.regNo')}</span>
        {sok.regNo ? (
          <span className="reg-no big" id="receipt-regNo">
            {sok.regNo}
          </span>
        ) : (
          <span className="receipt-wait">{ui('form.regNoPending')}</span>
        )}
        {sok.regNo && sok.syncState === 'pending' && !rejected ? (
          <span className="receipt-note">{ui('form.pendingNote')}</span>
        ) : null}
      </div>
      <dl>
        <dt>{ui('form.topic')}</dt>
        <dd>{topic}</dd>
        <dt>{ui('form.citizenPhone')}</dt>
        <dd>{formatPhoneForDisplay(sok.citizenPhone)}</dd>
        <dt>{ui('form.date')}</dt>
        <dd>{formatTime(sok.createdAt)}</dd>
      </dl>
    </div>
  );
}
