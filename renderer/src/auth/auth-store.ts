import { create } from 'zustand';
import type { SessionUser } from '../../../src/domain/session';
import { useAdmin } from '../admin/admin-store';
import { call } from '../bridge';
import { useSearch } from '../search/search-store';
import { useSync } from '../sync/sync-store';
import { useToasts } from '../shell/toast-store';

/** Which screen the app shows: first-admin setup, login, or the workspace. */
export type AuthPhase = 'starting' | 'setup' | 'login' | 'ready';

interface AuthState {
  phase: AuthPhase;
  user: SessionUser | null;
  /** auth.status could not ask the central API (needsSetup null). */
  serverUnreachable: boolean;
  /** The empty embedded API offers the demo month on the setup screen. */
  demoAvailable: boolean;
  /** Why the login screen is shown, e.g. "Oturumunuz sona erdi…". */
  notice: string | null;
  start(): Promise<void>;
  signedIn(user: SessionUser): void;
  signedOut(reason: string | null): void;
  /** A login attempt learnt whether the central API answers. */
  setServerReachable(reachable: boolean): void;
}

export const useAuth = create<AuthState>((set, get) => ({
  phase: 'starting',
  user: null,
  serverUnreachable: false,
  demoAvailable: false,
  notice: null,
  async start() {
    try {
      const status = await call('auth.status', {});
      if (status.user) {
        set({ phase: 'ready', user: status.user, serverUnreachable: false, notice: null });
      } else if (status.needsSetup === true) {
        set({
          phase: 'setup',
          user: null,
          serverUnreachable: false,
          demoAvailable: status.demoAvailable,
        });
      } else {
        // Unknown (server unreachable) still shows login: it fails with a clear message.
        set({ phase: 'login', user: null, serverUnreachable: status.needsSetup === null });
      }
    } catch (error) {
      set({ phase: 'login', user: null, notice: (error as Error).message });
    }
  },
  setServerReachable(reachable) {
    set({ serverUnreachable: !reachable });
  },
  signedIn(user) {
    set({ phase: 'ready', user, notice: null, serverUnreachable: false });
  },
  signedOut(reason) {
    set({ phase: 'login', user: null, notice: reason, demoAvailable: false });
    // What this user saw leaves the screen before the next one signs in.
    useSearch.getState().clearSearch();
    useSync.setState({ rejectedOpen: false, rejected: [] });
    useAdmin.setState({ users: [], editingId: null, error: null });
    useToasts.getState().clear();
    // Learn whether the server is reachable now, for the notice on the login screen.
    void call('auth.status', {}).then(
      (status) => {
        if (status.user === null && get().phase === 'login') {
          set({ serverUnreachable: status.needsSetup === null });
        }
      },
      () => undefined,
    );
  },
}));
