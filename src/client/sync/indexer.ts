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
  private immediate: NodeJS.Immediate | null = null;
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
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  schedule(delayMs = 0): void {
    if (this.stopped || this.timer || this.immediate) return;
    const run = () => {
      this.timer = null;
      this.immediate = null;
      if (this.stopped || this.deps.busy()) return;
      this.step();
    };
    // Chunk after chunk through setImmediate: a setTimeout(0) waits for the next timer tick
    // (about 1 ms), which left the CPU idle a fifth of the time between 4 ms chunks.
    if (delayMs <= 0) this.immediate = setImmediate(run);
    else {
      this.timer = setTimeout(run, delayMs);
      this.timer.unref();
    }
  }

  /**
   * Writes deferred search rows while `waiting` is not settled (a sync run waiting for its next
   * pulled page: the server and the network work, the desk's CPU would be idle), a chunk per
   * event-loop turn; returns `waiting`'s outcome. List indexes are left for after the run (the
   * bulk load is still going on).
   */
  async indexWhileWaiting<T>(waiting: Promise<T>): Promise<T> {
    let settled = false;
    const done = waiting.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    for (;;) {
      await Promise.race([done, new Promise<void>((resolve) => setImmediate(resolve))]);
      if (settled || this.stopped || this.deps.soks.searchBacklog() === 0) return waiting;
      try {
        this.indexChunk();
      } catch (error) {
        this.deps.log?.('search indexing failed', error);
        return waiting;
      }
    }
  }

  /** One chunk of deferred search rows, sized on the CPU time the last one took; rows left. */
  private indexChunk(): number {
    // Sized on the CPU time a chunk took, not the wall time: on a busy machine the wall time of a
    // chunk includes waiting for a core, which would shrink the chunks to a few rows each and
    // make every row cost more (each commit writes an FTS5 segment that is merged later).
    const started = process.cpuUsage();
    const left = this.deps.soks.indexPending(this.chunk);
    // Aim at chunks of about CHUNK_MS.
    const used = process.cpuUsage(started);
    const took = Math.max(0.5, (used.user + used.system) / 1000);
    this.chunk = Math.round(
      Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, (this.chunk * CHUNK_MS) / took)),
    );
    return left;
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
    let left: number;
    try {
      left = this.indexChunk();
    } catch (error) {
      log?.('search indexing failed', error);
      return;
    }
    if (left > 0) {
      this.working = true;
      this.schedule(PAUSE_MS);
    } else if (this.working) {
      this.working = false;
      soks.settleAfterBulkLoad();
    }
  }
}
