import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { formatPhoneForDisplay } from '../../src/domain/phone';
import type { ReferenceSnapshot } from '../../src/domain/reference';
import { SokDraftSchema, type Sok, type SokDraftInput } from '../../src/domain/sok';
import { compareTurkish } from '../../src/domain/text';
import { fieldErrors } from '../../src/domain/validation';
import { BridgeError, call } from './bridge';
import { ui } from './i18n';

type Field = Exclude<keyof SokDraftInput, 'channelCode'>;
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
  const firstField = useRef<HTMLSelectElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const topicGroups = useMemo(() => {
    const roots = reference.topics.filter((t) => t.parentCode === null);
    return roots
      .map((root) => ({
        root,
        children: reference.topics.filter((t) => t.parentCode === root.code),
      }))
      .sort((a, b) => compareTurkish(a.root.name, b.root.name));
  }, [reference.topics]);
  const districts = useMemo(
    () => [...reference.districts].sort((a, b) => compareTurkish(a.name, b.name)),
    [reference.districts],
  );

  function reset() {
    setValues(EMPTY);
    setErrors({});
    setAttempted(false);
    setFormError(null);
    firstField.current?.focus();
  }

  function validateField(field: Field) {
    if (!attempted && values[field].trim() === '') return;
    const result = SokDraftSchema.safeParse({ ...values, channelCode: 'telefon' });
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
      {saved ? <Receipt sok={saved} reference={reference} /> : null}
      <form ref={formRef} onSubmit={onSubmit} noValidate className="sok-form">
        <div className="row">
          <div className="field">
            {label('typeCode', ui('form.type'))}
            <select {...bind('typeCode')} ref={firstField} autoFocus>
              <option value="">{ui('form.choose')}</option>
              {reference.sokTypes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            {label('topicCode', ui('form.topic'))}
            <select {...bind('topicCode')}>
              <option value="">{ui('form.choose')}</option>
              {topicGroups.map(({ root, children }) => (
                <optgroup key={root.code} label={root.name}>
                  {children.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
        </div>
        <div className="row">
          <div className="field">
            {label('districtCode', ui('form.district'))}
            <select {...bind('districtCode')}>
              <option value="">{ui('form.choose')}</option>
              {districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
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

function Receipt({ sok, reference }: { sok: Sok; reference: ReferenceSnapshot }) {
  const topic = reference.topics.find((t) => t.code === sok.topicCode)?.name ?? sok.topicCode;
  return (
    <div className="receipt" role="status" aria-live="polite">
      <strong>{ui('form.saved')}</strong>
      <dl>
        <dt>{ui('form.regNo')}</dt>
        <dd className="reg-no">{sok.regNo ?? ui('form.regNoPending')}</dd>
        <dt>{ui('form.topic')}</dt>
        <dd>{topic}</dd>
        <dt>{ui('form.citizenPhone')}</dt>
        <dd>{formatPhoneForDisplay(sok.citizenPhone)}</dd>
        <dt>Tarih</dt>
        <dd>{new Date(sok.createdAt).toLocaleString('tr-TR', { timeZone: 'Europe/Istanbul' })}</dd>
      </dl>
    </div>
  );
}
