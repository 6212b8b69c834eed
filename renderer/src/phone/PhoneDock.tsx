import { useEffect } from 'react';
import { CallLogDialog } from './CallLogDialog';
import { PhoneSettingsDialog } from './PhoneSettingsDialog';
import { ScreenPop } from './ScreenPop';
import { runPhoneShortcut, usePhoneSession } from './session';
import { PHONE_SHORTCUTS, shortcutOf } from './shortcuts';
import { SoftphonePanel } from './SoftphonePanel';
import { usePhone } from './store';
import { WrapUpPanel } from './WrapUpPanel';
import './phone.css';
import { ui, PHONE_SHORTCUT_KEY } from '../i18n';

/**
 * The phone in the signed-in app: screen pops, the softphone, wrap-ups, and the settings and
 * call-log dialogs. Mounted once by the shell; starts the phone for the signed-in user and stops
 * it when they sign out.
 */
export function PhoneDock() {
  const pops = usePhoneSession((s) => s.pops);
  const wrapUps = usePhoneSession((s) => s.wrapUps);
  const error = usePhoneSession((s) => s.error);
  const settingsOpen = usePhoneSession((s) => s.settingsOpen);
  const logOpen = usePhoneSession((s) => s.logOpen);
  const view = usePhoneSession((s) => s.view);

  useEffect(() => {
    const session = usePhoneSession.getState();
    void session.start();
    return () => void session.stop();
  }, []);

  // Global shortcuts, before anything else sees the key (capture): they work in any field and
  // with any dialog open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutOf(e);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      if (!e.repeat) runPhoneShortcut(action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  const ringingOrTalking = usePhone((s) => s.calls.length > 0);
  const attention = ringingOrTalking || pops.length > 0 || wrapUps.length > 0;

  return (
    // Always reachable (Dialog.tsx leaves it out of what an open dialog makes inert); above
    // dialogs while a call or its wrap-up needs the agent.
    <aside
      className={attention ? 'phone-dock attention' : 'phone-dock'}
      aria-label="Telefon"
      data-always-reachable=""
    >
      {pops.map((p) => (
        <ScreenPop key={p.callId} pop={p} />
      ))}
      {wrapUps.map((w) => (
        <WrapUpPanel key={w.entry.id} wrapUp={w} />
      ))}
      {error ? (
        <p className="phone-error" role="alert">
          {error}
        </p>
      ) : null}
      {view?.settings ? <SoftphonePanel /> : null}
      <div className="phone-dock-actions">
        <button
          type="button"
          className="secondary small"
          id="open-call-log"
          onClick={() => usePhoneSession.getState().openLog(true)}
        >
          {ui('phone.callLog')}
        </button>
        <button
          type="button"
          className="secondary small"
          id="open-phone-settings"
          onClick={() => usePhoneSession.getState().openSettings(true)}
        >
          {ui('phone.settings')}
        </button>
      </div>
      <details className="phone-shortcuts" id="phone-shortcuts">
        <summary>{ui('phone.shortcutsHelp')}</summary>
        <dl>
          {(Object.keys(PHONE_SHORTCUTS) as (keyof typeof PHONE_SHORTCUTS)[]).map((name) => (
            <div key={name}>
              <dt>
                <kbd>{PHONE_SHORTCUTS[name].keys}</kbd>
              </dt>
              <dd>{ui(PHONE_SHORTCUT_KEY[name])}</dd>
            </div>
          ))}
        </dl>
      </details>
      {settingsOpen ? <PhoneSettingsDialog /> : null}
      {logOpen ? <CallLogDialog /> : null}
    </aside>
  );
}
