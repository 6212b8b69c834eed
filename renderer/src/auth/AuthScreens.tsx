import { useFormState } from '../ui/form-state';
import { useState, type FormEvent, type ReactNode } from 'react';
import { LoginSchema, SetupAdminSchema } from '../../../src/domain/session';
import { useAuth } from './auth-store';
import { BridgeError, call } from '../bridge';
import { FormError, Notice, TextField } from '../ui/fields';
import { checkWith, checkWithRepeat, formErrors } from '../ui/form-errors';
import { ui } from '../i18n';
import { useShellUi } from '../shell/shell-ui';

function AuthLayout({
  titleId,
  title,
  children,
}: {
  titleId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <div className="auth-page">
      <main className="auth-card" aria-labelledby={titleId}>
        <p className="auth-brand">
          <strong>{ui('app.title')}</strong> <span>{ui('app.subtitle')}</span>
        </p>
        <h1 id={titleId}>{title}</h1>
        {children}
      </main>
    </div>
  );
}

export function LoginScreen() {
  const serverUnreachable = useAuth((s) => s.serverUnreachable);
  const notice = useAuth((s) => s.notice);
  const start = useAuth((s) => s.start);
  const signedIn = useAuth((s) => s.signedIn);
  const { values, setValues, errors, setErrors, bind } = useFormState({
    username: '',
    password: '',
  });
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const invalid = checkWith(LoginSchema, values);
    if (invalid) return setErrors(invalid);
    setBusy(true);
    try {
      const user = await call('auth.login', values);
      signedIn(user);
    } catch (error) {
      if (error instanceof BridgeError) {
        useAuth.getState().setServerReachable(error.data.code !== 'unavailable');
      }
      setErrors(formErrors(error, ['username', 'password']));
      setValues((v) => ({ ...v, password: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout titleId="login-title" title={ui('auth.loginTitle')}>
      {notice ? (
        <Notice tone="warn" role="alert">
          {notice}
        </Notice>
      ) : null}
      {serverUnreachable ? (
        <Notice tone="warn" role="alert">
          <span>{ui('auth.serverUnreachable')}</span>{' '}
          <button type="button" className="secondary small" onClick={() => void start()}>
            {ui('auth.retry')}
          </button>
        </Notice>
      ) : null}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="login-username"
          label={ui('auth.username')}
          {...bind('username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
        />
        <TextField
          id="login-password"
          label={ui('auth.password')}
          type="password"
          {...bind('password')}
          autoComplete="current-password"
        />
        <FormError message={errors.form} />
        <div className="actions">
          {/* When signing in fails, IT needs the desk's diagnostics most (issue #21). */}
          <button
            type="button"
            className="secondary"
            onClick={() => useShellUi.getState().openDiagnostics(true)}
          >
            {ui('diag.menu')}
          </button>
          <button type="submit" disabled={busy}>
            {busy ? ui('auth.loggingIn') : ui('auth.login')}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}

/** The empty embedded API offers the demo month instead of a first administrator. */
function DemoOffer() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const made = await call('auth.demo', {});
      useAuth.getState().signedOut(ui('auth.demoReady', { soks: made.soks, calls: made.calls }));
    } catch (e) {
      // Someone set the server up meanwhile: it now holds data and needs a login.
      if (e instanceof BridgeError && e.data.code === 'conflict') {
        return useAuth.getState().signedOut(e.data.message);
      }
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="stack" aria-labelledby="demo-title" id="setup-demo">
      <h2 id="demo-title">{ui('auth.demoTitle')}</h2>
      <p className="muted">{ui('auth.demoIntro')}</p>
      <FormError message={error} />
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void start()}>
          {busy ? ui('auth.demoBusy') : ui('auth.demoSubmit')}
        </button>
      </div>
    </section>
  );
}

export function SetupScreen() {
  const signedIn = useAuth((s) => s.signedIn);
  const demoAvailable = useAuth((s) => s.demoAvailable);
  const { values, errors, setErrors, bind } = useFormState({
    username: '',
    displayName: '',
    password: '',
    password2: '',
  });
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const { password2, ...input } = values;
    const invalid = checkWithRepeat(SetupAdminSchema, input, {
      password: input.password,
      repeat: password2,
      repeatField: 'password2',
    });
    if (invalid) return setErrors(invalid);
    setBusy(true);
    try {
      signedIn(await call('auth.setup', input));
    } catch (error) {
      // Someone finished the setup first: this installation now needs a login.
      if (error instanceof BridgeError && error.data.code === 'conflict') {
        return useAuth.getState().signedOut(error.data.message);
      }
      setErrors(formErrors(error, ['username', 'displayName', 'password']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout titleId="setup-title" title={ui('auth.setupTitle')}>
      <p>{ui('auth.setupIntro')}</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="setup-username"
          label={ui('auth.username')}
          {...bind('username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
        />
        <TextField
          id="setup-displayName"
          label={ui('auth.displayName')}
          {...bind('displayName')}
          autoComplete="name"
        />
        <TextField
          id="setup-password"
          label={ui('auth.password')}
          type="password"
          {...bind('password')}
          autoComplete="new-password"
        />
        <TextField
          id="setup-password2"
          label={ui('auth.password2')}
          type="password"
          {...bind('password2')}
          autoComplete="new-password"
        />
        <FormError message={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? ui('auth.settingUp') : ui('auth.setupSubmit')}
          </button>
        </div>
      </form>
      {demoAvailable ? <DemoOffer /> : null}
    </AuthLayout>
  );
}
