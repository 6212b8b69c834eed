import { useAuth } from './auth/auth-store';
import { bridge } from './bridge';
import { ui } from './i18n';
import { useSearch } from './search/search-store';
import { useSync } from './sync/sync-store';
import { toast } from './shell/toast-store';
import { usePhoneSession } from './phone/session';
import { useNotifications } from './shell/notification-store';
import { useShellUi } from './shell/shell-ui';

/** Feeds the stores from the bridge's events; returns the unsubscribe. */
export function connectBridgeEvents(): () => void {
  if (!bridge) return () => undefined;
  const offs = [
    bridge.on('auth.changed', ({ signedIn, reason }) => {
      const auth = useAuth.getState();
      if (signedIn) {
        // Our own login already set the user; a sign-in from elsewhere asks for it.
        if (auth.phase !== 'ready') void auth.start();
        return;
      }
      if (auth.phase === 'ready' || (auth.phase === 'login' && reason !== null)) {
        auth.signedOut(reason);
      }
    }),
    bridge.on('sync.status', (status) => {
      const before = useSync.getState().status;
      useSync.getState().setStatus(status);
      // Pushed changes lose their "bekliyor" tag in the list.
      if (before !== null && before.pending !== status.pending) void useSearch.getState().refresh();
    }),
    bridge.on('sync.rejected', ({ message }) => {
      void useSync.getState().refreshRejected();
      toast({
        tone: 'error',
        topic: 'rejected',
        text: ui('toast.rejected', { message }),
        action: {
          label: ui('toast.showRejected'),
          run: () => useSync.getState().openRejected(true),
        },
      });
    }),
    bridge.on('sok.changed', () => void useSearch.getState().refresh()),
    bridge.on('app.notification', (n) => useNotifications.getState().add(n)),
    // The Electron shell's tray and updater (src/domain/shell.ts).
    bridge.on('shell.command', (command) => {
      if (command.command === 'agent.state') {
        void usePhoneSession.getState().setAgentState(command.state, command.reason);
      } else if (command.command === 'diagnostics.open') {
        useShellUi.getState().openDiagnostics(true);
      } else {
        useShellUi.getState().askUpdate(command.version);
      }
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
