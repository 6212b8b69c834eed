export interface SyncConfig {
  /** Lease another block when fewer numbers than this remain. */
  numberRefillThreshold: number;
  pushBatch: number;
  pullPage: number;
  /** Background sync even without pokes. */
  pollIntervalMs: number;
  /**
   * Sync by itself (after local changes, on pokes, on a timer). Off only in tests that drive
   * every sync by hand with `syncNow`.
   */
  auto: boolean;
  backoffMinMs: number;
  backoffMaxMs: number;
  /**
   * A pulled page is stored in slices of about this many milliseconds of CPU time, each its own
   * transaction, with the event loop free between them: a bridge request waits at most one slice.
   */
  pullSliceMs: number;
  /**
   * With a store thread (./store-thread.ts): its longest transaction, ms of wall time, while the UI
   * thread does not write (a UI-thread write ends one at once: it waits for the ŞÖKs stored so far
   * to be committed). Long ones cost less per ŞÖK (fewer commits and FTS5 segments: 98 µs per ŞÖK
   * at 200 ms, 111 at 50, 165 at 8, bench first-sync).
   */
  storeSliceMs: number;
  /**
   * A first sync (with a store thread) copies the API's seed of the desk's scope when it has one
   * (./seed.ts, docs/sync.md "A first sync from a seed"); off: always page by page.
   */
  seed: boolean;
  /**
   * Called after each committed slice of a pulled page that is not its last (the page's
   * cursor not yet stored); tests use it to kill a desk mid-page.
   */
  afterPullSlice?: (stored: number, pageSize: number) => void;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  numberRefillThreshold: 20,
  pushBatch: 200,
  pullPage: 5000,
  pollIntervalMs: 30_000,
  auto: true,
  backoffMinMs: 1_000,
  backoffMaxMs: 30_000,
  pullSliceMs: 4,
  storeSliceMs: 100,
  seed: true,
};
