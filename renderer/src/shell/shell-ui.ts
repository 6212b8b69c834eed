import { create } from 'zustand';

/** What the desktop shell asked of the page, and what the page tells it. */
interface ShellUiState {
  diagnosticsOpen: boolean;
  /** An update waiting for the agent's answer (Electron). */
  updateVersion: string | null;
  /** Callbacks this user holds that fell due (for the tray). */
  dueCallbacks: number;
  openDiagnostics(open: boolean): void;
  askUpdate(version: string | null): void;
  setDueCallbacks(count: number): void;
}

export const useShellUi = create<ShellUiState>((set) => ({
  diagnosticsOpen: false,
  updateVersion: null,
  dueCallbacks: 0,
  openDiagnostics: (open) => set({ diagnosticsOpen: open }),
  askUpdate: (version) => set({ updateVersion: version }),
  setDueCallbacks: (count) => set({ dueCallbacks: count }),
}));
