import { create } from 'zustand';
import type { RejectedMutation, SyncStatus } from '../../../src/domain/session';
import { call } from '../bridge';
import { ui } from '../i18n';
import { toast, useToasts } from '../shell/toast-store';

interface SyncState {
  status: SyncStatus | null;
  rejected: RejectedMutation[];
  rejectedOpen: boolean;
  /** "Şimdi eşitle" is running. */
  syncingNow: boolean;
  load(): Promise<void>;
  setStatus(status: SyncStatus): void;
  refreshRejected(): Promise<void>;
  syncNow(): Promise<void>;
  /** Retries or discards one rejected change; failures throw for the caller to show. */
  resolve(mutationId: number, action: 'retry' | 'discard'): Promise<void>;
  openRejected(open: boolean): void;
}

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  rejected: [],
  rejectedOpen: false,
  syncingNow: false,
  async load() {
    try {
      get().setStatus(await call('sync.status', {}));
    } catch (error) {
      toast({ tone: 'error', text: (error as Error).message });
    }
  },
  setStatus(status) {
    const before = get().status;
    set({ status });
    if (before === null || before.rejected !== status.rejected) void get().refreshRejected();
  },
  async refreshRejected() {
    try {
      const shownBefore = useToasts.getState().nextId;
      const rejected = await call('sync.rejected', {});
      set({ rejected });
      // Every refusal has been dealt with: its warnings have done their job.
      if (rejected.length === 0) useToasts.getState().dismissTopic('rejected', shownBefore);
    } catch (error) {
      toast({ tone: 'error', text: (error as Error).message });
    }
  },
  async syncNow() {
    if (get().syncingNow) return;
    set({ syncingNow: true });
    try {
      get().setStatus(await call('sync.now', {}));
    } catch (error) {
      toast({ tone: 'error', text: (error as Error).message });
    } finally {
      set({ syncingNow: false });
    }
  },
  async resolve(mutationId, action) {
    await call('sync.resolve', { mutationId, action });
    toast({
      tone: 'success',
      text: ui(action === 'retry' ? 'rejected.retried' : 'rejected.discarded'),
    });
    await get().refreshRejected();
  },
  openRejected(open) {
    set({ rejectedOpen: open });
    if (open) void get().refreshRejected();
  },
}));
