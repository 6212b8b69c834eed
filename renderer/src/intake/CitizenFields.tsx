import type { ReactNode } from 'react';
import { parseTurkishPhone } from '../../../src/domain/phone';
import { CONTACT_PREFERENCES } from '../../../src/domain/sok';
import { FieldLabel } from '../ui/fields';
import { ui } from '../i18n';
import { contactName } from '../sok/sok-format';
import { textProps, type IntakeBinding } from './binding';

/**
 * Who, and how they want to hear back. `afterPhone` sits right under the phone number (the open
 * ŞÖK this caller may be calling about, offered once the number is typed).
 */
export function CitizenFields({ b, afterPhone }: { b: IntakeBinding; afterPhone?: ReactNode }) {
  const { values, errors } = b;
  const phone = parseTurkishPhone(values.citizenPhone);
  const kind =
    phone.ok && phone.kind === 'mobile'
      ? ui('form.phoneMobile')
      : phone.ok && phone.kind === 'fixed'
        ? ui('form.phoneFixed')
        : null;
  const phoneDescribedBy =
    [
      errors.citizenPhone ? 'sok-citizenPhone-error' : null,
      phone.ok ? 'sok-citizenPhone-normalised' : null,
    ]
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <>
      <div className="row">
        <div className="field grow">
          <FieldLabel
            htmlFor="sok-citizenName"
            text={ui('form.citizenName')}
            error={errors.citizenName}
          />
          <input {...textProps(b, 'citizenName')} autoComplete="off" />
        </div>
        <div className="field">
          <FieldLabel
            htmlFor="sok-citizenPhone"
            text={ui('form.citizenPhone')}
            error={errors.citizenPhone}
          />
          <input
            {...textProps(b, 'citizenPhone')}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            aria-describedby={phoneDescribedBy}
          />
          {phone.ok ? (
            <span className="field-hint phone-normalised" id="sok-citizenPhone-normalised">
              <strong>{phone.display}</strong>
              {kind ? ` · ${kind}` : null}
            </span>
          ) : null}
        </div>
      </div>
      {afterPhone}
      <div className="row">
        <div className="field grow">
          <FieldLabel
            htmlFor="sok-citizenEmail"
            text={ui('form.citizenEmail')}
            error={errors.citizenEmail}
          />
          <input
            {...textProps(b, 'citizenEmail')}
            type="email"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div
          className="field radios"
          role="radiogroup"
          aria-labelledby="sok-preferredContact-label"
          aria-describedby={errors.preferredContact ? 'sok-preferredContact-error' : undefined}
        >
          <span className="label" id="sok-preferredContact-label">
            {ui('form.preferredContact')}
            {errors.preferredContact ? (
              <span className="field-error" id="sok-preferredContact-error" role="alert">
                {errors.preferredContact}
              </span>
            ) : null}
          </span>
          <div className="radio-row">
            {CONTACT_PREFERENCES.map((p) => (
              <label key={p} className="radio" htmlFor={`sok-preferredContact-${p}`}>
                <input
                  type="radio"
                  id={`sok-preferredContact-${p}`}
                  name="preferredContact"
                  value={p}
                  checked={values.preferredContact === p}
                  onChange={() => b.set('preferredContact', p)}
                  onBlur={() => b.blur('preferredContact')}
                  aria-invalid={errors.preferredContact ? true : undefined}
                />
                {contactName(p)}
              </label>
            ))}
          </div>
        </div>
      </div>
    </>
  );
}
