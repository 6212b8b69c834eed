import type { PullPage } from '../../domain/sync';
import { ChangeSchema } from '../../domain/sync';
import type { ApiClient } from '../api/http';
import type { EventHub } from '../events';
import type { Db } from '../store/database';
import type { EventRepo } from '../store/event-repo';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import type { SyncConfig } from './config';
import { replaceWithServerSok } from './local-apply';
import type { SyncMeta } from './meta';
import type { Outbox } from './outbox';

/**
 * A first sync into a store holding at most this many ŞÖKs (e.g. a few registered offline) loads
 * without the list indexes and builds them at the end (SokRepo.suspendListIndexes).
 */
const BULK_LOAD_MAX_ROWS = 1000;
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
  config: Pick<SyncConfig, 'pullPage' | 'pullSliceMs' | 'afterPullSlice'>;
  /** True once the engine stops: a page half stored is left for the next start. */
  stopped: () => boolean;
  /**
   * Awaits a pulled page, using the time (the desk's CPU is idle while the server reads and
   * sends it) to write deferred search rows (IndexingTrigger.whileWaiting).
   */
  whileWaiting?: <T>(waiting: Promise<T>) => Promise<T>;
}

/**
 * Pulls the server's changes after the stored cursor, page by page, and stores each page in
 * slices (docs/sync.md, "Pulling many changes").
 */
export class PagedPull {
  constructor(private readonly deps: PullDeps) {}

  async pull(): Promise<void> {
    const { api, soks, meta, config } = this.deps;
    const cursorNow = () => Number(meta.get.get('sync.cursor') ?? 0);
    let cursor = cursorNow();
    let next = api.pull(cursor, config.pullPage);
    let bulk = false;
    try {
      for (;;) {
        const page = await (this.deps.whileWaiting?.(next) ?? next);
        // Ask for the next page while this one is stored: the server and the network work on
        // it meanwhile. It is dropped if storing this one moves the cursor elsewhere (scope
        // change).
        const ahead = page.more ? api.pull(page.cursor, config.pullPage) : null;
        ahead?.catch(() => undefined);
        // A first sync of a big feed: load without the list indexes, build them at the end.
        if (!bulk && cursor === 0 && page.more) bulk = soks.suspendListIndexes(BULK_LOAD_MAX_ROWS);
        if (!(await this.storePage(page, cursor))) return;
        if (!page.more) return;
        const moved = cursorNow();
        next = ahead !== null && moved === page.cursor ? ahead : api.pull(moved, config.pullPage);
        cursor = moved;
      }
    } finally {
      // Built again in the background, one index at a time, as soon as the run is over (also
      // when the pull failed half-way); at once if nothing runs in the background.
      if (bulk && this.deps.stopped()) soks.restoreListIndexes();
    }
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
  private async storePage(page: PullPage, cursor: number): Promise<boolean> {
    const { db } = this.deps;
    const changed = new Set<string>();
    let next = 0;
    try {
      for (let first = true; first || next < page.changes.length; first = false) {
        if (!first) {
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
      if (changed.has('*') || changed.size > 20) this.deps.events.emit('sok.changed', { id: '*' });
      else for (const id of changed) this.deps.events.emit('sok.changed', { id });
    }
  }

  /**
   * Stores the page's changes from `from` on until the slice's time is up, and the cursor with
   * the last one; returns where the next slice starts (the page's length when it is done), or
   * -1 without storing anything when the cursor is no longer the one the page was pulled after.
   */
  private applySlice(page: PullPage, cursor: number, from: number, changed: Set<string>): number {
    const { soks, meta } = this.deps;
    if (Number(meta.get.get('sync.cursor') ?? 0) !== cursor) return -1;
    if (from > 0 && meta.get.get('sync.scope') !== page.scope) return -1;
    if (from === 0) {
      const scope = meta.get.get('sync.scope') as string | undefined;
      if (scope !== undefined && scope !== page.scope && cursor > 0) {
        // What this user may see changed (new organisation or role): start over. Local work the
        // server has not seen stays.
        soks.removeAllSynced();
        this.deps.timeline.removeOrphans();
        meta.set.run('sync.scope', page.scope);
        meta.set.run('sync.cursor', '0');
        changed.add('*');
        return page.changes.length;
      }
      meta.set.run('sync.scope', page.scope);
    }
    // A bulk page (first sync, catching up) leaves the search rows for later.
    const deferIndex = page.changes.length >= DEFER_INDEX_MIN_CHANGES;
    // Unsent local work is re-applied on top of the server's rows; usually there is none. Read
    // per slice: the agent may have registered something between two slices.
    const local = this.deps.outbox.hasPending();
    // CPU time, like the indexer's chunks: on a busy machine a wall-clock slice holds a few rows
    // only (the rest of its 4 ms is spent waiting for a core), and every commit costs (FTS5
    // segments, WAL pages), so the same rows cost more CPU exactly when there is least of it.
    const until = cpuMs() + this.deps.config.pullSliceMs;
    // The slice's search rows are written after its other statements (SokRepo.batch).
    const i = soks.batch(() => this.applyChanges(page, from, until, changed, deferIndex, local));
    if (i === page.changes.length) meta.set.run('sync.cursor', String(page.cursor));
    return i;
  }

  /** Stores changes from `from` on until `until`; returns where the next slice starts. */
  private applyChanges(
    page: PullPage,
    from: number,
    until: number,
    changed: Set<string>,
    deferIndex: boolean,
    local: boolean,
  ): number {
    const { soks } = this.deps;
    let i = from;
    while (i < page.changes.length) {
      // Checked here, a slice at a time: a malformed change fails the sync, and what the slice
      // wrote is rolled back with it.
      const change = ChangeSchema.parse(page.changes[i++]);
      if (change.op === 'upsert') {
        replaceWithServerSok(this.deps, change.sok, { deferIndex, local });
        changed.add(change.sok.id);
      } else if (change.op === 'event') {
        this.deps.timeline.add(change.event);
        changed.add(change.event.sokId);
      } else if (change.op === 'receipt') {
        this.deps.timeline.putReceipt(change.receipt);
        changed.add(change.receipt.sokId);
      } else if (!local || this.deps.outbox.pendingForEntity(change.id).length === 0) {
        soks.remove(change.id);
        this.deps.timeline.removeFor(change.id);
        changed.add(change.id);
      }
      if (cpuMs() >= until) break;
    }
    return i;
  }
}
