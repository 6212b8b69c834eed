import type { MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { BreakReason } from '../src/domain/call';
import { AGENT_STATE_NAMES, BREAK_REASONS, BREAK_REASON_NAMES } from '../src/domain/call';
import {
  IDLE_SHELL_STATE,
  TRAY_STATE_NAMES,
  selectableStates,
  trayIconState,
  trayTooltip,
  type ShellState,
  type TrayIconState,
} from '../src/domain/shell';

/** The parts of Electron's Tray the shell uses (a fake in tests). */
export type TrayLike = Pick<Tray, 'setImage' | 'setToolTip' | 'destroy'> & {
  on(event: 'click', listener: () => void): unknown;
};

export interface TrayActions {
  setAgentState(state: 'available' | 'break' | 'dnd', reason: BreakReason | null): void;
  showWindow(): void;
  openDiagnostics(): void;
  quit(): void;
}

export interface TrayDeps {
  tray: TrayLike;
  /** Menu.buildFromTemplate + tray.setContextMenu. */
  setMenu(template: MenuItemConstructorOptions[]): void;
  icon(state: TrayIconState, dueCallbacks: number): NativeImage;
  /** app.setBadgeCount where the desktop has badges (macOS, Unity); the count of due callbacks. */
  setBadge?(count: number): void;
  actions: TrayActions;
}

/** The tray's menu: the state, the agent's choices, due callbacks, the window, diagnostics. */
export function trayMenuTemplate(
  state: ShellState,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const current = trayIconState(state);
  const choices = selectableStates(state);
  const item = (s: 'available' | 'dnd'): MenuItemConstructorOptions => ({
    label: AGENT_STATE_NAMES[s],
    type: 'radio',
    checked: current === s,
    enabled: choices.find((c) => c.state === s)?.enabled ?? false,
    click: () => actions.setAgentState(s, null),
  });
  const breakEnabled = choices.find((c) => c.state === 'break')?.enabled ?? false;
  return [
    { label: `Alo 153 — ${TRAY_STATE_NAMES[current]}`, enabled: false },
    ...(state.dueCallbacks > 0
      ? [
          {
            label: `Geri aramalar: ${state.dueCallbacks} zamanı geldi`,
            click: () => actions.showWindow(),
          },
        ]
      : []),
    { type: 'separator' },
    item('available'),
    {
      label: AGENT_STATE_NAMES.break,
      type: 'submenu',
      enabled: breakEnabled,
      submenu: BREAK_REASONS.map((reason) => ({
        label: BREAK_REASON_NAMES[reason],
        type: 'radio',
        checked: current === 'break',
        click: () => actions.setAgentState('break', reason),
      })),
    },
    item('dnd'),
    ...(current === 'wrap-up'
      ? [
          {
            label: AGENT_STATE_NAMES['wrap-up'],
            type: 'radio' as const,
            checked: true,
            enabled: false,
          },
        ]
      : []),
    { type: 'separator' },
    { label: 'Pencereyi göster', click: () => actions.showWindow() },
    { label: 'Tanı bilgisi', click: () => actions.openDiagnostics() },
    { type: 'separator' },
    { label: 'Çıkış', click: () => actions.quit() },
  ];
}

/** Keeps the tray in step with the page's state; a click on the icon shows the window. */
export function createTrayController(deps: TrayDeps) {
  let state: ShellState = IDLE_SHELL_STATE;
  let shown = '';
  const render = () => {
    const key = JSON.stringify(state);
    if (key === shown) return;
    shown = key;
    deps.tray.setImage(deps.icon(trayIconState(state), state.dueCallbacks));
    deps.tray.setToolTip(trayTooltip(state));
    deps.setMenu(trayMenuTemplate(state, deps.actions));
    deps.setBadge?.(state.dueCallbacks);
  };
  deps.tray.on('click', () => deps.actions.showWindow());
  render();
  return {
    update(next: ShellState): void {
      state = next;
      render();
    },
    get state(): ShellState {
      return state;
    },
    destroy(): void {
      deps.tray.destroy();
    },
  };
}
