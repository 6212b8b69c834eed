import { useEffect } from 'react';
import { useAuth } from './auth-store';
import { LoginScreen, SetupScreen } from './AuthScreens';
import { bridge } from './bridge';
import { connectBridgeEvents } from './events';
import { ui } from './i18n';
import { Shell } from './Shell';
import { useApp } from './store';
import { ShellOverlays } from './shell/ShellOverlays';
import { Toasts } from './Toasts';

/** The gate: first-admin setup, login, or the signed-in app, as auth.status says. */
export function App() {
  const phase = useAuth((s) => s.phase);
  const user = useAuth((s) => s.user);
  const loadError = useApp((s) => s.loadError);

  useEffect(() => {
    if (!bridge) return;
    const disconnect = connectBridgeEvents();
    void useApp.getState().loadReference();
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
