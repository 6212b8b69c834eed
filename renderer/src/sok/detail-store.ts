import { create } from 'zustand';

/** Which ŞÖK's detail is open (one at a time, from the search, the list or the caller panel). */
interface DetailState {
  openId: string | null;
  open(id: string): void;
  close(): void;
}

export const useDetail = create<DetailState>((set) => ({
  openId: null,
  open: (id) => set({ openId: id }),
  close: () => set({ openId: null }),
}));
