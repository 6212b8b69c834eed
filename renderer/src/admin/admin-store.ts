import { create } from 'zustand';
import type { AdminUser } from '../../../src/domain/session';
import { call } from '../bridge';

interface AdminState {
  users: AdminUser[];
  loading: boolean;
  error: string | null;
  /** The user being edited, or null for the create form. */
  editingId: string | null;
  load(): Promise<void>;
  edit(id: string | null): void;
}

/** User administration always talks to the central API; nothing here works offline. */
export const useAdmin = create<AdminState>((set) => ({
  users: [],
  loading: false,
  error: null,
  editingId: null,
  async load() {
    set({ loading: true });
    try {
      set({ users: await call('admin.users.list', {}), error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ loading: false });
    }
  },
  edit(id) {
    set({ editingId: id });
  },
}));
