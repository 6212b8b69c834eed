import { useState } from 'react';
import { errorAria } from '../ui/fields';
import { ui } from '../i18n';
import type { IntakeBinding } from './binding';

/**
 * KVKK: the agent tells the caller who handles their data and why (a legal duty, so never a
 * condition), and may record a separate, optional consent to SMS surveys.
 */
export function ConsentFields({ b }: { b: IntakeBinding }) {
  const { values, errors } = b;
  const [noticeOpen, setNoticeOpen] = useState(false);
  return (
    <div className="consents">
      <div className="consent-line">
        <div className="field checkbox">
          <input
            id="sok-kvkkNoticeGiven"
            type="checkbox"
            checked={values.kvkkNoticeGiven}
            onChange={(e) => b.set('kvkkNoticeGiven', e.target.checked)}
            {...errorAria('sok-kvkkNoticeGiven', errors.kvkkNoticeGiven)}
          />
          <label htmlFor="sok-kvkkNoticeGiven">
            {ui('form.kvkk')}
            {errors.kvkkNoticeGiven ? (
              <span className="field-error" id="sok-kvkkNoticeGiven-error" role="alert">
                {errors.kvkkNoticeGiven}
              </span>
            ) : null}
          </label>
        </div>
        <button
          type="button"
          className="link-button"
          aria-expanded={noticeOpen}
          aria-controls="kvkk-notice-text"
          onClick={() => setNoticeOpen((open) => !open)}
        >
          {noticeOpen ? ui('form.kvkkHide') : ui('form.kvkkShow')}
        </button>
      </div>
      <p id="kvkk-notice-text" className="kvkk-text" hidden={!noticeOpen}>
        {ui('form.kvkkText')}
      </p>
      <div className="field checkbox">
        <input
          id="sok-smsConsent"
          type="checkbox"
          checked={values.smsConsent}
          onChange={(e) => b.set('smsConsent', e.target.checked)}
          aria-describedby={
            [errors.smsConsent ? 'sok-smsConsent-error' : null, 'sok-smsConsent-hint']
              .filter(Boolean)
              .join(' ') || undefined
          }
        />
        <label htmlFor="sok-smsConsent">
          {ui('form.smsConsent')}
          {errors.smsConsent ? (
            <span className="field-error" id="sok-smsConsent-error" role="alert">
              {errors.smsConsent}
            </span>
          ) : null}
          <span className="field-hint" id="sok-smsConsent-hint">
            {ui('form.smsConsentHint')}
          </span>
        </label>
      </div>
    </div>
  );
}
