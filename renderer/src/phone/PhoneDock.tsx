import { useEffect } from 'react';
import { CallLogDialog } from './CallLogDialog';
import { sessionText } from './messages';
import { PhoneSettingsDialog } from './PhoneSettingsDialog';
import { ScreenPop } from './ScreenPop';
import { usePhoneSession } from './session';
import { SoftphonePanel } from './SoftphonePanel';
import { WrapUpPanel } from './WrapUpPanel';
import './phone.css';

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

  return (
    <aside className="phone-dock" aria-label="Telefon">
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
          {sessionText.callLog}
        </button>
        <button
          type="button"
          className="secondary small"
          id="open-phone-settings"
          onClick={() => usePhoneSession.getState().openSettings(true)}
        >
          {sessionText.settings}
        </button>
      </div>
      {settingsOpen ? <PhoneSettingsDialog /> : null}
      {logOpen ? <CallLogDialog /> : null}
    </aside>
  );
}
