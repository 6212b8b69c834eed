import type { ShellState } from '../domain/shell';

/**
 * What the Electron shell plugs into the client core for the tray and the updater; the
 * browser host has neither and passes nothing (the page's calls are then no-ops).
 */
export interface ShellPort {
  onState(state: ShellState): void;
  /** True when an update was waiting for this answer. */
  updateAnswer(answer: 'install-now' | 'later'): boolean;
  /** Extra lines for "Tanı bilgisi" (Electron and Chromium versions are in process.versions). */
  diagnostics?: () => Record<string, unknown>;
}
