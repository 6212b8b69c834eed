import {
  useEffect,
  useEffectEvent,
  useMemo,
  useReducer,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';
import { parseTurkishPhone } from '../../../src/domain/phone';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { DESCRIPTION_MAX, type Sok } from '../../../src/domain/sok';
import { call } from '../bridge';
import { Combobox } from '../ui/Combobox';
import { FieldLabel, FormError, Notice } from '../ui/fields';
import { formErrors } from '../ui/form-errors';
import { formatCount, formatTime, ui, ORG_KIND_KEY } from '../i18n';
import { comboProps, textProps, type IntakeBinding } from './binding';
import { CallerContextPanel } from './CallerContextPanel';
import { DuplicateOffer, isJoinDuplicateKey } from './DuplicateOffer';
import { CitizenFields } from './CitizenFields';
import { ConsentFields } from './ConsentFields';
import { PlaceFields } from './PlaceFields';
import { ContactAdded, Receipt } from './Receipt';
import { RoutingSection } from './RoutingSection';
import { readTopicUses, recordTopicUse, withTopicUses } from './topic-usage';
import { useCallerContext } from './use-caller-context';
import { useDraftAutosave } from './use-draft';
import { useRoutePreview } from './use-route-preview';
import { INITIAL_INTAKE, intakeReducer } from './reducer';
import { toDraftInput, validateIntake, type IntakeField, type IntakeValues } from './values';
import { orgName, routingOrgOptions } from '../ui/org-options';
import { usePhoneSession } from '../phone/session';
import { useMailIntake } from '../mailbox/mail-intake';
import { namedOptions, topicOptions } from '../sok/sok-format';

/** Fields in the order they are tabbed through: the first with an error gets the focus. */
const FIELD_ORDER: readonly IntakeField[] = [
  'channelCode',
  'typeCode',
  'topicCode',
  'districtCode',
  'mahalle',
  'address',
  'latitude',
  'longitude',
  'description',
  'citizenName',
  'citizenPhone',
  'citizenEmail',
  'preferredContact',
  'kvkkNoticeGiven',
  'smsConsent',
  'targetOrg',
  'routeReason',
];

const hasCoordinates = (v: IntakeValues) => v.latitude !== '' || v.longitude !== '';

/**
 * The intake of one call, keyboard first: Tab walks the fields in the order a call goes, Alt+Y
 * starts a new ŞÖK, Ctrl+Enter saves. Beside it (`aside` below the caller panel) the caller's
 * history and possible duplicates.
 */
export function SokForm({ reference, aside }: { reference: ReferenceSnapshot; aside?: ReactNode }) {
  const [state, dispatch] = useReducer(intakeReducer, INITIAL_INTAKE);
  const { values, errors, restoredAt, cleared } = state;
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [contactAdded, setContactAdded] = useState<Sok | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  // Null follows the values (open when coordinates are filled); a click decides for itself.
  const [locationToggled, setLocationOpen] = useState<boolean | null>(null);
  const locationOpen = locationToggled ?? hasCoordinates(values);
  const firstField = useRef<HTMLInputElement>(null);
  const intakeRef = useRef<HTMLElement>(null);

  const typeOptions = useMemo(() => namedOptions(reference.sokTypes, false), [reference]);
  const [saved, setSaved] = useState<Sok | null>(null);
  // The most used topics here rank first among equally good matches.
  const [topicUses, setTopicUses] = useState(readTopicUses);
  const topics = useMemo(
    () => withTopicUses(topicOptions(reference), topicUses),
    [reference, topicUses],
  );
  const districtOptions = useMemo(() => namedOptions(reference.districts), [reference]);
  const orgOptions = useMemo(
    () => routingOrgOptions(reference.organisations, (kind) => ui(ORG_KIND_KEY[kind])),
    [reference],
  );

  const route = useRoutePreview(values);
  const caller = useCallerContext(values.citizenPhone, values.topicCode, values.mahalle);
  const draft = useDraftAutosave(values, (restored, at) =>
    dispatch({ type: 'restore', values: restored, at }),
  );

  // "ŞÖK olarak kaydet" in the E-posta queue: the form takes the mail's values and, until it is
  // saved or cleared, saves through mailbox.register (the mail is reserved for the new ŞÖK).
  const mail = useMailIntake((s) => s.active);
  useEffect(
    () =>
      useMailIntake.subscribe((s) => {
        if (!s.pending) return;
        const taken = useMailIntake.getState().take();
        if (!taken) return;
        dispatch({ type: 'prefill', values: taken.values });
        setSaved(null);
        setContactAdded(null);
        setFormError(null);
        setLocationOpen(null);
        requestAnimationFrame(() => firstField.current?.focus());
      }),
    [],
  );

  const binding: IntakeBinding = {
    values,
    errors,
    set: (field, value) => dispatch({ type: 'set', field, value, suggestion: route.preview }),
    blur: (field) => dispatch({ type: 'blur', field, suggestion: route.preview }),
  };

  /** Empties the form; `keep` stashes what was there for "Geri al", so a slip loses nothing. */
  function clearForm(keep: boolean) {
    dispatch({ type: 'clear', keep });
    useMailIntake.getState().finish();
    setFormError(null);
    setAddError(null);
    setLocationOpen(null);
  }

  function focusField(field: IntakeField) {
    if (field === 'latitude' || field === 'longitude') setLocationOpen(true);
    const id =
      field === 'preferredContact'
        ? `sok-preferredContact-${values.preferredContact}`
        : `sok-${field}`;
    requestAnimationFrame(() => document.getElementById(id)?.focus());
  }

  async function save() {
    if (saving) return;
    const found = validateIntake(values, route.preview);
    const invalid = FIELD_ORDER.filter((f) => found[f] !== undefined);
    if (invalid.length > 0 || found._ !== undefined) {
      dispatch({ type: 'errors', errors: found });
      setFormError(ui('form.fixErrors'));
      if (invalid[0]) focusField(invalid[0]);
      return;
    }
    setSaving(true);
    try {
      const sok = mail
        ? await call('mailbox.register', { id: mail.id, draft: toDraftInput(values) })
        : await call('sok.create', toDraftInput(values));
      usePhoneSession.getState().linkSok(sok);
      setTopicUses(recordTopicUse(sok.topicCode));
      setSaved(sok);
      setContactAdded(null);
      clearForm(false);
    } catch (error) {
      const split = formErrors(error, [...FIELD_ORDER]);
      dispatch({ type: 'errors', errors: split.fields });
      setFormError(split.form);
      const first = FIELD_ORDER.find((f) => split.fields[f] !== undefined);
      if (first) focusField(first);
    } finally {
      setSaving(false);
    }
  }

  /** This call is about an open ŞÖK: it goes on that ŞÖK's timeline instead of a new one. */
  async function addToExisting(sok: Sok) {
    if (adding) return;
    const name = values.citizenName.trim();
    if (name.length < 2) {
      dispatch({ type: 'errors', errors: { ...errors, citizenName: ui('caller.needName') } });
      focusField('citizenName');
      return;
    }
    const phone = parseTurkishPhone(values.citizenPhone);
    setAdding(sok.id);
    setAddError(null);
    try {
      await call('sok.addContact', {
        sokId: sok.id,
        citizenName: name,
        citizenPhone: phone.ok ? phone.e164 : '',
        note: values.description.trim().slice(0, 1000),
      });
      usePhoneSession.getState().linkSok(sok);
      setContactAdded(sok);
      setSaved(null);
      clearForm(false);
    } catch (error) {
      setAddError(formErrors(error, []).form);
    } finally {
      setAdding(null);
    }
  }

  // Alt+Y starts a new ŞÖK from anywhere; Ctrl+Enter saves from any field of the intake. The
  // save runs once React has applied the keystroke (a combobox may have just picked an option).
  const onNewSok = useEffectEvent(() => {
    setSaved(null);
    setContactAdded(null);
    clearForm(true);
    firstField.current?.focus();
  });
  const onSaveKey = useEffectEvent(() => void save());
  const onJoinKey = useEffectEvent(() => {
    const duplicate = caller.context?.duplicates[0];
    if (duplicate) void addToExisting(duplicate);
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && (e.code === 'KeyY' || e.key.toLocaleLowerCase('tr') === 'y')) {
        e.preventDefault();
        onNewSok();
      } else if (
        e.ctrlKey &&
        e.key === 'Enter' &&
        intakeRef.current?.contains(document.activeElement)
      ) {
        e.preventDefault();
        setTimeout(onSaveKey, 0);
      } else if (isJoinDuplicateKey(e) && intakeRef.current?.contains(document.activeElement)) {
        e.preventDefault();
        setTimeout(onJoinKey, 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };
  // Enter in a one-line field must not save a half-taken call: saving is Ctrl+Enter or the button.
  const onFormKeyDown = (e: ReactKeyboardEvent<HTMLFormElement>) => {
    const target = e.target as HTMLElement;
    if (e.key === 'Enter' && !e.ctrlKey && target instanceof HTMLInputElement) {
      e.preventDefault();
    }
  };

  const descriptionLength = values.description.trim().length;

  return (
    <>
      <section className="panel intake" aria-labelledby="sok-form-title" ref={intakeRef}>
        <h2 id="sok-form-title">{ui('form.title')}</h2>
        {saved ? <Receipt key={saved.id} sok={saved} reference={reference} /> : null}
        {contactAdded ? <ContactAdded sok={contactAdded} reference={reference} /> : null}
        {mail ? (
          <Notice tone="info" role="status" id="intake-from-mail">
            <span>
              {ui('mailbox.registering', {
                sender: mail.from.name ?? mail.from.address ?? '',
                subject: mail.subject,
              })}
            </span>{' '}
            <button
              type="button"
              className="secondary small"
              onClick={() => useMailIntake.getState().finish()}
            >
              {ui('mailbox.registerCancel')}
            </button>
          </Notice>
        ) : null}
        {restoredAt ? (
          <Notice tone="info" role="status" id="draft-restored">
            <span>
              {ui('draft.restored')} {ui('draft.restoredAt', { time: formatTime(restoredAt) })}
            </span>{' '}
            <button type="button" className="secondary small" onClick={() => clearForm(false)}>
              {ui('draft.discard')}
            </button>
          </Notice>
        ) : null}
        {cleared ? (
          <Notice tone="info" role="status" id="form-cleared">
            <span>{ui('form.cleared')}</span>{' '}
            <button
              type="button"
              className="secondary small"
              onClick={() => dispatch({ type: 'undoClear' })}
            >
              {ui('form.undoClear')}
            </button>
          </Notice>
        ) : null}
        <form onSubmit={onSubmit} onKeyDown={onFormKeyDown} noValidate className="sok-form">
          <div className="row">
            <div className="field">
              <FieldLabel
                htmlFor="sok-channelCode"
                text={ui('form.channel')}
                error={errors.channelCode}
              />
              <select
                {...textProps(binding, 'channelCode')}
                onChange={(e) => binding.set('channelCode', e.target.value)}
              >
                {reference.channels.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <FieldLabel htmlFor="sok-typeCode" text={ui('form.type')} error={errors.typeCode} />
              <Combobox
                {...comboProps(binding, 'typeCode')}
                options={typeOptions}
                inputRef={firstField}
                autoFocus
              />
            </div>
            <div className="field grow">
              <FieldLabel
                htmlFor="sok-topicCode"
                text={ui('form.topic')}
                error={errors.topicCode}
              />
              <Combobox {...comboProps(binding, 'topicCode')} options={topics} />
            </div>
          </div>
          <PlaceFields
            b={binding}
            districtOptions={districtOptions}
            locationOpen={locationOpen}
            onLocationOpen={setLocationOpen}
          />
          <div className="field">
            <FieldLabel
              htmlFor="sok-description"
              text={ui('form.description')}
              error={errors.description}
            />
            <textarea
              {...textProps(binding, 'description')}
              rows={5}
              aria-describedby={
                [errors.description ? 'sok-description-error' : null, 'sok-description-count']
                  .filter(Boolean)
                  .join(' ') || undefined
              }
            />
            <span
              id="sok-description-count"
              className={descriptionLength > DESCRIPTION_MAX ? 'char-count over' : 'char-count'}
            >
              {ui('form.descriptionCount', {
                count: formatCount(descriptionLength),
                max: formatCount(DESCRIPTION_MAX),
              })}
            </span>
          </div>
          <CitizenFields
            b={binding}
            afterPhone={
              <DuplicateOffer
                duplicates={caller.context?.duplicates ?? []}
                reference={reference}
                adding={adding}
                onAdd={(sok) => void addToExisting(sok)}
              />
            }
          />
          <ConsentFields b={binding} />
          <RoutingSection
            b={binding}
            route={route}
            orgOptions={orgOptions}
            orgName={(code) => orgName(reference.organisations, code)}
            placeNames={{
              topic: topics.find((t) => t.code === values.topicCode)?.label ?? '',
              district: reference.districts.find((d) => d.code === values.districtCode)?.name ?? '',
            }}
          />
          <FormError
            message={
              // "Fix the marked fields" goes once the last marked field is fixed.
              formError === ui('form.fixErrors') && !Object.values(errors).some(Boolean)
                ? null
                : formError
            }
          />
          {draft.error ? <p className="muted">{draft.error}</p> : null}
          <div className="actions">
            <button type="submit" disabled={saving}>
              {saving ? ui('form.saving') : ui('form.save')}
            </button>
            <button type="button" onClick={() => clearForm(true)} className="secondary">
              {ui('form.clear')}
            </button>
          </div>
        </form>
        <p className="shortcuts muted">{ui('form.shortcuts')}</p>
      </section>
      <div className="side-column">
        <CallerContextPanel
          state={caller}
          reference={reference}
          adding={adding}
          addError={addError}
          onAdd={(sok) => void addToExisting(sok)}
        />
        {aside}
      </div>
    </>
  );
}
