import { describe, expect, it } from 'vitest';
import {
  closeAction,
  IDLE_SHELL_STATE,
  selectableStates,
  trayIconState,
  trayTooltip,
  type ShellState,
} from './shell';

const ready: ShellState = { ...IDLE_SHELL_STATE, agentState: 'available', registered: true };

describe('the tray shows the agent’s state', () => {
  it('names each state as the header does', () => {
    expect(trayTooltip(ready)).toBe('Alo 153 — Hazır');
    expect(trayTooltip({ ...ready, agentState: 'break' })).toBe('Alo 153 — Molada');
    expect(trayTooltip({ ...ready, agentState: 'wrap-up' })).toBe('Alo 153 — Çağrı sonrası işlem');
    expect(trayTooltip({ ...ready, agentState: 'dnd' })).toBe('Alo 153 — Rahatsız etmeyin');
  });

  it('shows a call above the agent’s state, and no phone above everything', () => {
    expect(trayIconState({ ...ready, ringing: true })).toBe('talking');
    expect(trayIconState({ ...ready, inCall: true, agentState: 'dnd' })).toBe('talking');
    expect(trayIconState({ ...ready, registered: false, inCall: true })).toBe('unregistered');
    expect(trayIconState({ ...ready, agentState: 'offline' })).toBe('unregistered');
    expect(trayTooltip(IDLE_SHELL_STATE)).toBe('Alo 153 — Telefon bağlı değil');
  });

  it('counts the callbacks that fell due', () => {
    expect(trayTooltip({ ...ready, dueCallbacks: 3 })).toBe(
      'Alo 153 — Hazır · 3 geri arama zamanı geldi',
    );
  });

  it('lets the agent pick Hazır, Molada or Rahatsız etmeyin, but not during a call or without a phone', () => {
    expect(selectableStates(ready)).toEqual([
      { state: 'available', enabled: true },
      { state: 'break', enabled: true },
      { state: 'dnd', enabled: true },
    ]);
    expect(selectableStates({ ...ready, inCall: true }).every((s) => !s.enabled)).toBe(true);
    expect(selectableStates(IDLE_SHELL_STATE).every((s) => !s.enabled)).toBe(true);
  });
});

describe('closing the window', () => {
  const base = { closeToTray: true, hasTray: true, quitting: false, state: ready };

  it('keeps a registered phone running in the tray', () => {
    expect(closeAction(base)).toBe('hide');
  });

  it('closes when the phone is not registered, the setting is off, there is no tray, or the agent quits', () => {
    expect(closeAction({ ...base, state: IDLE_SHELL_STATE })).toBe('close');
    expect(closeAction({ ...base, closeToTray: false })).toBe('close');
    expect(closeAction({ ...base, hasTray: false })).toBe('close');
    expect(closeAction({ ...base, quitting: true })).toBe('close');
  });
});
