import { BackgroundIndexer, type BackgroundIndexerDeps } from './indexer';

/** After a sync run, leave the store to the UI a moment before indexing again. */
const INDEX_AFTER_SYNC_MS = 250;

/**
 * When the background indexer (./indexer.ts) works: from the engine's start, never during a
 * sync run, and again a moment after each run.
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

  /** A sync run ended with no other queued behind it. */
  afterSync(): void {
    this.indexer.schedule(INDEX_AFTER_SYNC_MS);
  }
}
