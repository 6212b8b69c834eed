import { useEffect } from 'react';
import { useAuth } from './auth/auth-store';
import { LoginScreen, SetupScreen } from './auth/AuthScreens';
import { bridge } from './bridge';
import { connectBridgeEvents } from './events';
import { ui } from './i18n';
import { Shell } from './shell/Shell';
import { useReference } from './reference-store';
import { Toasts } from './shell/Toasts';
import { ShellOverlays } from './shell/ShellOverlays';

/** The gate: first-admin setup, login, or the signed-in app, as auth.status says. */
export function App() {
  const phase = useAuth((s) => s.phase);
  const user = useAuth((s) => s.user);
  const loadError = useReference((s) => s.loadError);

  useEffect(() => {
    if (!bridge) return;
    const disconnect = connectBridgeEvents();
    void useReference.getState().loadReference();
    void useAuth.getState().start();
    return disconnect;
  }, []);

  if (!bridge || loadError) {
    return (
      <main className="fatal" role="alert">
        {loadError ?? ui('app.noBridge')}
      </main>
    );
  }
  return (
    <>
      {phase === 'starting' ? (
        <main className="splash" aria-busy="true">
          {ui('app.loading')}
        </main>
      ) : phase === 'setup' ? (
        <SetupScreen />
      ) : phase === 'login' || !user ? (
        <LoginScreen />
      ) : (
        <Shell key={user.id} user={user} />
      )}
      <ShellOverlays />
      <Toasts />
    </>
  );
}
