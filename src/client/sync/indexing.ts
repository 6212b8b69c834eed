import { BackgroundIndexer, type BackgroundIndexerDeps } from './indexer';

/** After a sync run, leave the store to the UI a moment before indexing again. */
const INDEX_AFTER_SYNC_MS = 250;

/**
 * When the background indexer (./indexer.ts) works: from the engine's start, during a sync run
 * only while it waits for a pulled page, and again a moment after each run.
 */
export class IndexingTrigger {
  private readonly indexer: BackgroundIndexer;

  /** `busy`: a sync run holds the store. */
  constructor(deps: Omit<BackgroundIndexerDeps, 'busy'>, busy: () => boolean) {
    this.indexer = new BackgroundIndexer({ ...deps, busy });
  }

  start(): void {
    this.indexer.start();
  }

  stop(): void {
    this.indexer.stop();
  }

  /** Indexes deferred search rows while a sync run waits for `waiting` (its next page). */
  whileWaiting<T>(waiting: Promise<T>): Promise<T> {
    return this.indexer.indexWhileWaiting(waiting);
  }

  /** A sync run ended with no other queued behind it. */
  afterSync(): void {
    this.indexer.schedule(INDEX_AFTER_SYNC_MS);
  }
}
