import { create } from 'zustand';
import type { Sok, SokSearchResult } from '../../../src/domain/sok';
import { call } from '../bridge';

/** The search box: the last query, its results and why each matched. */
interface SearchState {
  query: string;
  results: Sok[];
  more: boolean;
  /** Why each result matched (registration number, phone, name, place, text), best first. */
  matchedBy: SokSearchResult['matchedBy'];
  /** ŞÖKs whose address and description words are still being indexed (after a first sync). */
  indexing: number;
  searchError: string | null;
  /** Increments per search so a slow answer never overwrites a newer one. */
  searchSeq: number;
  search(query: string): Promise<void>;
  refresh(): Promise<void>;
  /** Forgets the last results, so the next person to sign in never sees them. */
  clearSearch(): void;
}

export const useSearch = create<SearchState>((set, get) => ({
  query: '',
  results: [],
  more: false,
  matchedBy: {},
  indexing: 0,
  searchError: null,
  searchSeq: 0,
  async search(query) {
    const seq = get().searchSeq + 1;
    set({ query, searchSeq: seq });
    try {
      const result = await call('sok.search', { query, limit: 50 });
      if (get().searchSeq === seq) {
        set({
          results: result.items,
          more: result.more,
          matchedBy: result.matchedBy,
          indexing: result.indexing,
          searchError: null,
        });
      }
    } catch (error) {
      if (get().searchSeq === seq) set({ searchError: (error as Error).message });
    }
  },
  refresh() {
    return get().search(get().query);
  },
  clearSearch() {
    set((s) => ({
      query: '',
      results: [],
      more: false,
      matchedBy: {},
      indexing: 0,
      searchSeq: s.searchSeq + 1,
    }));
  },
}));
