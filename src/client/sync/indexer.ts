import type { SokRepo } from '../store/sok-repo';

/**
 * Chunk size bounds (rows) and the CPU time a chunk aims at: about a pulled page's slice (SyncConfig
 * pullSliceMs), so an agent's look-up waits at most a few milliseconds behind it. Between chunks
 * the event loop runs whatever is waiting, then the next chunk follows at once: a pause there
 * would only make the desk searchable later.
 */
const CHUNK_START = 50;
const CHUNK_MIN = 20;
const CHUNK_MAX = 2000;
const CHUNK_MS = 4;
const PAUSE_MS = 0;

export interface BackgroundIndexerDeps {
  soks: SokRepo;
  /** True while something else holds the store (a sync run): its end schedules again. */
  busy: () => boolean;
  log?: (message: string, error?: unknown) => void;
}

/**
 * After a bulk pull: builds the list indexes a first sync left out, then writes the place and
 * full-text rows the pull deferred, a bounded chunk at a time between other work, newest first
 * (docs/search.md). Registration number, phone and name look-ups need none of this; the backlog
 * only delays matches on words of an address or a description, and search results say so.
 */
export class BackgroundIndexer {
  private timer: NodeJS.Timeout | null = null;
  private chunk = CHUNK_START;
  private stopped = true;
  /** Something was indexed since the backlog was last empty. */
  private working = false;

  constructor(private readonly deps: BackgroundIndexerDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  schedule(delayMs = 0): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped || this.deps.busy()) return;
      this.step();
    }, delayMs);
    this.timer.unref();
  }

  private step(): void {
    const { soks, log } = this.deps;
    // First the list indexes, one per turn (each a sorted pass of a fraction of a second);
    // lists work meanwhile, by scanning.
    try {
      if (soks.restoreListIndexes(1) > 0) {
        this.working = true;
        this.schedule(0);
        return;
      }
    } catch (error) {
      log?.('rebuilding list indexes failed', error);
      return;
    }
    // Sized on the CPU time a chunk took, not the wall time: on a busy machine the wall time of a
    // chunk includes waiting for a core, which would shrink the chunks to a few rows each and
    // make every row cost more (each commit writes an FTS5 segment that is merged later).
    const started = process.cpuUsage();
    let left: number;
    try {
      left = soks.indexPending(this.chunk);
    } catch (error) {
      log?.('search indexing failed', error);
      return;
    }
    // Aim at chunks of about CHUNK_MS.
    const used = process.cpuUsage(started);
    const took = Math.max(0.5, (used.user + used.system) / 1000);
    this.chunk = Math.round(
      Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, (this.chunk * CHUNK_MS) / took)),
    );
    if (left > 0) {
      this.working = true;
      this.schedule(PAUSE_MS);
    } else if (this.working) {
      this.working = false;
      soks.settleAfterBulkLoad();
    }
  }
}
