import { useEffect } from 'react';
import type { ShellState } from '../../../src/domain/shell';
import { call } from '../bridge';
import { usePhoneSession } from '../phone/session';
import { usePhone } from '../phone/store';
import { useShellUi } from './shell-ui';

/**
 * Tells the desktop shell (tray, taskbar, updater) the agent's state, the phone's registration,
 * whether a call rings or is talked, and the due callbacks — on every change. The browser host
 * has no tray; the client core ignores it there.
 */
export function useShellState(): void {
  const agentState = usePhoneSession((s) => s.agent?.state ?? null);
  const hasPhone = usePhoneSession((s) => s.view?.settings != null);
  const registered = usePhone((s) => s.registration.kind === 'registered');
  const ringing = usePhone((s) => s.calls.some((c) => c.status === 'ringing'));
  const inCall = usePhone((s) =>
    s.calls.some((c) => c.status === 'established' || c.status === 'dialing'),
  );
  const dueCallbacks = useShellUi((s) => s.dueCallbacks);
  useEffect(() => {
    const state: ShellState = {
      agentState: hasPhone ? agentState : null,
      registered,
      ringing,
      inCall,
      dueCallbacks,
    };
    void call('app.shellState', state).catch(() => undefined);
  }, [agentState, hasPhone, registered, ringing, inCall, dueCallbacks]);
  // Signed out (the shell unmounts): the tray shows no phone.
  useEffect(
    () => () =>
      void call('app.shellState', {
        agentState: null,
        registered: false,
        ringing: false,
        inCall: false,
        dueCallbacks: 0,
      }).catch(() => undefined),
    [],
  );
}
