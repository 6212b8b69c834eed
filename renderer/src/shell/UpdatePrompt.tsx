import { call } from '../bridge';
import { Dialog } from '../ui/Dialog';
import { ui } from '../i18n';
import { useShellUi } from './shell-ui';

/**
 * An update is downloaded (Electron): restart now, or later — then it installs when the app is
 * closed, and is there at the next start. The shell asks only when no call rings or is talked.
 */
export function UpdatePrompt() {
  const version = useShellUi((s) => s.updateVersion);
  const askUpdate = useShellUi((s) => s.askUpdate);
  if (!version) return null;
  const answer = (choice: 'install-now' | 'later') => {
    askUpdate(null);
    void call('app.updateAnswer', { answer: choice }).catch(() => undefined);
  };
  return (
    <Dialog title={ui('update.title')} role="alertdialog" onClose={() => answer('later')}>
      <p>{ui('update.body', { version })}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => answer('later')}>
          {ui('update.later')}
        </button>
        <button type="button" onClick={() => answer('install-now')}>
          {ui('update.now')}
        </button>
      </div>
    </Dialog>
  );
}
