import { useFormState } from '../ui/form-state';
import { useState, type FormEvent } from 'react';
import { PasswordChangeSchema } from '../../../src/domain/session';
import { useAuth } from '../auth/auth-store';
import { BridgeError, call } from '../bridge';
import { Dialog } from '../ui/Dialog';
import { FormError, TextField } from '../ui/fields';
import { checkWithRepeat, formErrors } from '../ui/form-errors';
import { ui } from '../i18n';
import { usePhoneSession } from '../phone/session';
import { useShellUi } from './shell-ui';
import { toast } from './toast-store';

/** Account actions, always visible so they are one Tab away: password and logout. */
export function UserMenu() {
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [pendingMessage, setPendingMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function logout(force: boolean) {
    if (busy) return;
    setBusy(true);
    try {
      await usePhoneSession.getState().signOff();
      await call('auth.logout', { force });
      setPendingMessage(null);
      useAuth.getState().signedOut(null);
    } catch (error) {
      // Work not yet sent to the server: say so and let the user decide.
      if (error instanceof BridgeError && error.data.code === 'conflict' && !force) {
        setPendingMessage(error.data.message);
      } else {
        toast({ tone: 'error', text: (error as Error).message });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="user-menu" role="group" aria-label={ui('menu.label')}>
      <button type="button" className="header-button" onClick={() => setPasswordOpen(true)}>
        {ui('menu.changePassword')}
      </button>
      <button
        type="button"
        className="header-button"
        onClick={() => useShellUi.getState().openDiagnostics(true)}
      >
        {ui('diag.menu')}
      </button>
      <button
        type="button"
        className="header-button"
        disabled={busy}
        onClick={() => void logout(false)}
      >
        {ui('menu.logout')}
      </button>
      {passwordOpen ? <ChangePasswordDialog onClose={() => setPasswordOpen(false)} /> : null}
      {pendingMessage ? (
        <Dialog
          title={ui('logout.pendingTitle')}
          role="alertdialog"
          onClose={() => setPendingMessage(null)}
        >
          <p role="alert">{pendingMessage}</p>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setPendingMessage(null)}>
              {ui('logout.stay')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void logout(true)}
            >
              {ui('logout.force')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const { values, errors, setErrors, bind } = useFormState({
    currentPassword: '',
    newPassword: '',
    repeat: '',
  });
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const { repeat, ...input } = values;
    const invalid = checkWithRepeat(PasswordChangeSchema, input, {
      password: input.newPassword,
      repeat,
      repeatField: 'repeat',
    });
    if (invalid) return setErrors(invalid);
    setBusy(true);
    try {
      await call('auth.changePassword', input);
      toast({ tone: 'success', text: ui('password.changed') });
      onClose();
    } catch (error) {
      setErrors(formErrors(error, ['currentPassword', 'newPassword']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={ui('password.title')} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="password-current"
          label={ui('password.current')}
          type="password"
          {...bind('currentPassword')}
          autoComplete="current-password"
          autoFocus
        />
        <TextField
          id="password-new"
          label={ui('password.new')}
          type="password"
          {...bind('newPassword')}
          autoComplete="new-password"
        />
        <TextField
          id="password-repeat"
          label={ui('password.repeat')}
          type="password"
          {...bind('repeat')}
          autoComplete="new-password"
        />
        <FormError message={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? ui('password.saving') : ui('password.save')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {ui('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
