import { create } from 'zustand';
import type { ReferenceSnapshot } from '../../src/domain/reference';
import { call } from './bridge';

/** The reference data (districts, topics, organisations) every screen draws from. */
interface ReferenceState {
  reference: ReferenceSnapshot | null;
  loadError: string | null;
  loadReference(): Promise<void>;
}

export const useReference = create<ReferenceState>((set) => ({
  reference: null,
  loadError: null,
  async loadReference() {
    try {
      set({ reference: await call('reference.get', {}) });
    } catch (error) {
      set({ loadError: (error as Error).message });
    }
  },
}));
