import { z } from 'zod';
import { AGENT_STATES, BREAK_REASONS, type AgentStateKind } from './call';

/**
 * What the desktop shell (tray, taskbar, updater) needs to know of the page, and what it may
 * ask of it (issue #21). The page reports its state with `app.shellState`; the Electron shell
 * answers with the `shell.command` event. The browser host has no tray: it ignores both.
 */
export const ShellStateSchema = z.strictObject({
  /** The agent's state; null when this user has no phone. */
  agentState: z.enum(AGENT_STATES).nullable(),
  /** The softphone is registered with the exchange. */
  registered: z.boolean(),
  /** A call is ringing on this desk. */
  ringing: z.boolean(),
  /** A call is being talked (or held). */
  inCall: z.boolean(),
  /** Callbacks this user holds that fell due. */
  dueCallbacks: z.number().int().min(0).max(100_000),
});
export type ShellState = z.output<typeof ShellStateSchema>;

export const IDLE_SHELL_STATE: ShellState = {
  agentState: null,
  registered: false,
  ringing: false,
  inCall: false,
  dueCallbacks: 0,
};

export const ShellCommandSchema = z.discriminatedUnion('command', [
  /** The agent changed their state from the tray. */
  z.strictObject({
    command: z.literal('agent.state'),
    state: z.enum(AGENT_STATES),
    reason: z.enum(BREAK_REASONS).nullable(),
  }),
  /** The tray's "Tanı bilgisi". */
  z.strictObject({ command: z.literal('diagnostics.open') }),
  /** An update is downloaded: ask the agent (the page answers with `app.updateAnswer`). */
  z.strictObject({ command: z.literal('update.ready'), version: z.string() }),
]);
export type ShellCommand = z.output<typeof ShellCommandSchema>;

/** The tray icon's states (one picture each, see electron/tray-icon.ts). */
export type TrayIconState = 'available' | 'break' | 'talking' | 'wrap-up' | 'dnd' | 'unregistered';

export const TRAY_STATE_NAMES: Record<TrayIconState, string> = {
  available: 'Hazır',
  break: 'Molada',
  talking: 'Görüşmede',
  'wrap-up': 'Çağrı sonrası işlem',
  dnd: 'Rahatsız etmeyin',
  unregistered: 'Telefon bağlı değil',
};

/** A call outranks the agent's state; no registration outranks everything. */
export function trayIconState(state: ShellState): TrayIconState {
  if (!state.registered || state.agentState === null || state.agentState === 'offline') {
    return 'unregistered';
  }
  if (state.ringing || state.inCall) return 'talking';
  return state.agentState satisfies Exclude<AgentStateKind, 'offline'>;
}

/** "Alo 153 — Hazır · 2 geri arama zamanı geldi" */
export function trayTooltip(state: ShellState): string {
  const parts = [TRAY_STATE_NAMES[trayIconState(state)]];
  if (state.dueCallbacks > 0) parts.push(`${state.dueCallbacks} geri arama zamanı geldi`);
  return `Alo 153 — ${parts.join(' · ')}`;
}

/**
 * Closing the window: with a registered phone (and the setting on, and a tray to come back
 * from) it only hides, so no call is missed because a window was closed; otherwise it closes.
 */
export function closeAction(options: {
  closeToTray: boolean;
  hasTray: boolean;
  quitting: boolean;
  state: ShellState;
}): 'hide' | 'close' {
  if (options.quitting || !options.closeToTray || !options.hasTray) return 'close';
  return options.state.registered ? 'hide' : 'close';
}

/** The states an agent may pick from the tray (wrap-up and offline are the phone's own). */
export function selectableStates(state: ShellState): {
  state: 'available' | 'break' | 'dnd';
  enabled: boolean;
}[] {
  // Not while a call rings or is talked, nor without a phone: the page decides those.
  const enabled = trayIconState(state) !== 'unregistered' && !state.ringing && !state.inCall;
  return (['available', 'break', 'dnd'] as const).map((s) => ({ state: s, enabled }));
}

/** ALO153_CLOSE_TO_TRAY: on unless "0", "false", "no" or "hayır". */
export function closeToTrayFromEnv(value: string | undefined): boolean {
  return !['0', 'false', 'no', 'hayır', 'off'].includes(
    (value ?? '').trim().toLocaleLowerCase('tr'),
  );
}
