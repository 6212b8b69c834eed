import fs from 'node:fs';
import type { PullPage } from '../../domain/sync';
import type { ApiClient } from '../api/http';
import type { EventHub } from '../events';
import type { Db } from '../store/database';
import type { EventRepo } from '../store/event-repo';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import type { SyncConfig } from './config';
import type { SyncMeta } from './meta';
import { deskDropCutoff } from './refresh';
import type { Outbox } from './outbox';
import { applyPageSlice, BULK_LOAD_MAX_ROWS, changedSummary, readPage } from './page-apply';
import { storeFormat } from './seed';
import type { StoreThread } from './store-thread';

/** CPU time of the process so far, ms. */
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/** Pages with at least this many changes store their ŞÖKs without search rows (indexed later). */
const DEFER_INDEX_MIN_CHANGES = 200;

export interface PullDeps {
  db: Db;
  api: ApiClient;
  soks: SokRepo;
  timeline: EventRepo;
  outbox: Outbox;
  workflow?: Workflow | undefined;
  events: EventHub;
  meta: SyncMeta;
  config: Pick<SyncConfig, 'pullPage' | 'pullSliceMs' | 'storeSliceMs' | 'afterPullSlice' | 'seed'>;
  log?: ((message: string, error?: unknown) => void) | undefined;
  /** True once the engine stops: a page half stored is left for the next start. */
  stopped: () => boolean;
  /**
   * Awaits a pulled page, using the time (the desk's CPU is idle while the server reads and
   * sends it) to write deferred search rows (IndexingTrigger.whileWaiting).
   */
  whileWaiting?: <T>(waiting: Promise<T>) => Promise<T>;
  /**
   * The store thread (./store-thread.ts): when there is one, big pages (a first sync, a desk
   * catching up) are read and stored there, search rows included, and the UI's thread only
   * fetches them.
   */
  thread?: StoreThread | undefined;
  now?: (() => Date) | undefined;
}

/** A fetched page: parsed here, or its bytes for the store thread. */
type Fetched = { page: PullPage; body?: never } | { body: Uint8Array; page?: never };

/**
 * Pulls the server's changes after the stored cursor, page by page, and stores each page in
 * slices (docs/sync.md, "Pulling many changes").
 */
export class PagedPull {
  /** The store's format (./seed.ts, storeFormat), read once. */
  private format: string | undefined;

  constructor(private readonly deps: PullDeps) {}

  async pull(): Promise<void> {
    const { api, soks, meta, config, thread } = this.deps;
    const cursorNow = () => Number(meta.get.get('sync.cursor') ?? 0);
    // A first sync starts from the API's seed of this scope when it has one (below).
    if (cursorNow() === 0) await this.fromSeed();
    let cursor = cursorNow();
    // Big pages go to the store thread: the first one, and every one after a full page.
    let big = cursor === 0;
    const fetchPage = (after: number): Promise<Fetched> =>
      thread?.usable() && big
        ? api.pullBytes(after, config.pullPage).then((body) => ({ body }))
        : api.pull(after, config.pullPage).then((page) => ({ page }));
    let next = fetchPage(cursor);
    let bulk = false;
    let threaded = false;
    try {
      for (;;) {
        const fetched = await (this.deps.whileWaiting?.(next) ?? next);
        let more: boolean;
        let pageCursor: number;
        let ahead: Promise<Fetched> | null;
        // A thread that cannot start (it says so in the log) leaves the page to this one.
        const job =
          fetched.body !== undefined && thread?.usable()
            ? thread.store(fetched.body, cursor, {
                sliceMs: config.storeSliceMs,
                dropPersonal: this.dropPersonal(),
              })
            : null;
        if (job !== null) {
          threaded = true;
          const head = await job.head;
          big = head.more && head.size >= DEFER_INDEX_MIN_CHANGES;
          // Ask for the next page while this one is stored (see below).
          ahead = head.more ? fetchPage(head.cursor) : null;
          ahead?.catch(() => undefined);
          const outcome = await job.done;
          this.announce(outcome.changed);
          if (outcome.stale) return;
          if (outcome.handOver !== null) {
            // Unsent local work appeared: the rest of the page is stored here, with it on top.
            if (!(await this.storePage(outcome.handOver, cursor, outcome.next))) return;
          }
          more = head.more;
          pageCursor = head.cursor;
        } else {
          // (Bytes fetched for a store thread that failed meanwhile are read here.)
          const page = fetched.page ?? readPage(fetched.body);
          big = page.more && page.changes.length >= DEFER_INDEX_MIN_CHANGES;
          // Ask for the next page while this one is stored: the server and the network work on
          // it meanwhile. It is dropped if storing this one moves the cursor elsewhere (scope
          // change).
          ahead = page.more ? fetchPage(page.cursor) : null;
          ahead?.catch(() => undefined);
          // A first sync of a big feed: load without the list indexes, build them at the end.
          if (!bulk && cursor === 0 && page.more)
            bulk = soks.suspendListIndexes(BULK_LOAD_MAX_ROWS);
          if (!(await this.storePage(page, cursor))) return;
          more = page.more;
          pageCursor = page.cursor;
        }
        if (!more) return;
        const moved = cursorNow();
        next = ahead !== null && moved === pageCursor ? ahead : fetchPage(moved);
        cursor = moved;
      }
    } finally {
      // Built again in the background, one index at a time, as soon as the run is over (also
      // when the pull failed half-way); at once if nothing runs in the background.
      if (bulk && this.deps.stopped()) soks.restoreListIndexes();
      // The store thread's bulk load: it builds them itself, before the run ends. (If it cannot,
      // the background indexer does, as above.)
      if (threaded) await thread?.restoreListIndexes().catch(() => undefined);
      thread?.release();
    }
  }

  /**
   * A first sync from a seed (docs/sync.md, "A first sync from a seed"): into a store that holds
   * nothing yet, with a store thread, download the API's seed of this scope next to the store and
   * have the thread copy it in; true when it did. Anything else (no seed yet, another store
   * format, a failed download, work registered meanwhile) leaves the store as it was, says why
   * in the log, and the pull goes on page by page.
   */
  private async fromSeed(): Promise<boolean> {
    const { api, db, soks, outbox, thread, config } = this.deps;
    if (!config.seed || !thread?.usable() || db.memory) return false;
    if (soks.count() > 0 || outbox.hasPending()) return false;
    const file = `${db.name}.seed`;
    try {
      const seed = await api.seed((this.format ??= storeFormat(db)), file);
      if (seed === null || this.deps.stopped()) return false;
      const outcome = await thread.adopt(file, seed.scope);
      if (outcome === null) return false;
      if (!outcome.adopted) {
        this.deps.log?.(`first-sync seed not used: ${outcome.reason}`);
        return false;
      }
      this.deps.log?.(`first sync from a seed: ${outcome.soks} ŞÖKs up to ${outcome.cursor}`);
      this.announce('*');
      return true;
    } catch (error) {
      this.deps.log?.('first-sync seed not used; pulling page by page', error);
      return false;
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  /** KVKK: closed ŞÖKs past the desk's period are stored with their personal data dropped. */
  private dropPersonal(): { cutoff: Date; at: Date } {
    const at = this.deps.now?.() ?? new Date();
    return { cutoff: deskDropCutoff(this.deps.meta, at), at };
  }

  /** Tells the UI which ŞÖKs changed ('*': many). */
  private announce(changed: string[] | '*'): void {
    if (changed === '*') this.deps.events.emit('sok.changed', { id: '*' });
    else for (const id of changed) this.deps.events.emit('sok.changed', { id });
  }

  /**
   * Stores a pulled page in slices of about `pullSliceMs`, each its own transaction, yielding to
   * the event loop between them so bridge requests (an agent's look-up) never wait for a whole
   * page. The cursor moves only in the transaction that stores the page's last change: a crash
   * mid-page leaves the slices already stored (the server's rows, stored idempotently: upserts,
   * events and receipts by id, removes) and pulls the same page again. Slices commit without
   * waiting for the disk (synchronous=NORMAL, WAL): everything in them is the server's and
   * comes again with the cursor if a power cut takes the commit away. The next
   * synchronous=FULL commit (any local change) flushes them anyway; the setting is back before
   * anything else can write. Returns false when the engine stopped before the page was stored.
   */
  private async storePage(page: PullPage, cursor: number, from = 0): Promise<boolean> {
    const { db } = this.deps;
    const changed = new Set<string>();
    let next = from;
    try {
      for (let first = true; first || next < page.changes.length; first = false) {
        if (!first || from > 0) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.deps.stopped()) return false;
        }
        const sync = db.pragma('synchronous', { simple: true }) as number;
        db.pragma('synchronous = NORMAL');
        try {
          next = db.transaction(() => this.applySlice(page, cursor, next, changed))();
        } finally {
          db.pragma(`synchronous = ${sync}`);
        }
        // Someone else reset the sync state meanwhile (a sign-in as another user): drop it.
        if (next < 0) return false;
        if (next < page.changes.length)
          this.deps.config.afterPullSlice?.(next, page.changes.length);
      }
      return true;
    } finally {
      this.announce(changedSummary(changed));
    }
  }

  /** One slice of a page in the caller's transaction (applyPageSlice), about `pullSliceMs` of CPU. */
  private applySlice(page: PullPage, cursor: number, from: number, changed: Set<string>): number {
    // CPU time, like the indexer's chunks: on a busy machine a wall-clock slice holds a few rows
    // only (the rest of its 4 ms is spent waiting for a core), and every commit costs (FTS5
    // segments, WAL pages), so the same rows cost more CPU exactly when there is least of it.
    const until = cpuMs() + this.deps.config.pullSliceMs;
    const local = this.deps.outbox.hasPending();
    return applyPageSlice(this.deps, page, cursor, from, changed, {
      // A bulk page (first sync, catching up) leaves the search rows for later.
      deferIndex: page.changes.length >= DEFER_INDEX_MIN_CHANGES,
      // Unsent local work is re-applied on top of the server's rows; usually there is none.
      // Read per slice: the agent may have registered something between two slices.
      local,
      done: () => cpuMs() >= until,
      // (Not with unsent local work: dropPersonalData leaves those ŞÖKs alone, and so does this.)
      ...(local ? {} : { dropPersonal: this.dropPersonal() }),
    });
  }
}
