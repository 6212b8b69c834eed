import { ChangeSchema, PullPageSchema, type Change, type PullPage } from '../../domain/sync';
import type { EventRepo } from '../store/event-repo';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import { replaceWithServerSok } from './local-apply';
import type { SyncMeta } from './meta';
import type { Outbox } from './outbox';

/**
 * A first sync into a store holding at most this many ŞÖKs (e.g. a few registered offline) loads
 * without the list indexes and builds them at the end (SokRepo.suspendListIndexes).
 */
export const BULK_LOAD_MAX_ROWS = 1000;

/**
 * A pulled page from its JSON bytes (the store thread's, or the engine's when that thread failed
 * after the bytes were fetched); its changes are checked one by one as they are stored.
 */
export function readPage(body: Uint8Array): PullPage {
  return PullPageSchema.parse(JSON.parse(new TextDecoder().decode(body)));
}

/** The ŞÖKs a stored slice changed, as the UI is told of them: '*' for many (or a scope change). */
export function changedSummary(changed: ReadonlySet<string>): string[] | '*' {
  return changed.has('*') || changed.size > 20 ? '*' : [...changed];
}

/** What storing a pulled page needs: on the engine's connection, or the store thread's own. */
export interface PageApplyDeps {
  soks: SokRepo;
  timeline: EventRepo;
  outbox: Outbox;
  workflow?: Workflow | undefined;
  meta: SyncMeta;
}

export interface SliceOptions {
  /** Search rows written later by the background indexer (bulk pages on the engine's thread). */
  deferIndex: boolean;
  /** Unsent local work exists: it is re-applied on top of the server's rows. */
  local: boolean;
  /** Checked after each change: true ends the slice there. */
  done: () => boolean;
  /** Checked before each change is stored: true ends the slice before it. */
  stopBefore?: (change: Change) => boolean;
  /**
   * KVKK (docs/kvkk.md): a closed ŞÖK last changed before `cutoff` is stored with its personal
   * data already dropped, marked at `at` (what dropPersonalData would do after the sync).
   */
  dropPersonal?: { cutoff: Date; at: Date };
}

/**
 * Stores the page's changes from `from` on, inside the caller's transaction, until `done()`, and
 * the page's cursor with its last change; returns where the next slice starts (the page's length
 * when it is done), or -1 without storing anything when the stored cursor is no longer the one
 * the page was pulled after (someone reset the sync state meanwhile). A page whose scope differs
 * from the stored one (the user's organisation or role changed) empties the synced rows and
 * starts over from cursor 0; `changed` then holds '*'. docs/sync.md, "Pulling many changes".
 */
export function applyPageSlice(
  deps: PageApplyDeps,
  page: PullPage,
  cursor: number,
  from: number,
  changed: Set<string>,
  options: SliceOptions,
): number {
  const { soks, meta } = deps;
  if (Number(meta.get.get('sync.cursor') ?? 0) !== cursor) return -1;
  if (from > 0 && meta.get.get('sync.scope') !== page.scope) return -1;
  if (from === 0) {
    const scope = meta.get.get('sync.scope') as string | undefined;
    if (scope !== undefined && scope !== page.scope && cursor > 0) {
      // What this user may see changed (new organisation or role): start over. Local work the
      // server has not seen stays.
      soks.removeAllSynced();
      deps.timeline.removeOrphans();
      meta.set.run('sync.scope', page.scope);
      meta.set.run('sync.cursor', '0');
      changed.add('*');
      return page.changes.length;
    }
    meta.set.run('sync.scope', page.scope);
  }
  // The slice's search rows are written after its other statements (SokRepo.batch).
  const i = soks.batch(() => applyChanges(deps, page, from, changed, options));
  if (i === page.changes.length) meta.set.run('sync.cursor', String(page.cursor));
  return i;
}

function applyChanges(
  deps: PageApplyDeps,
  page: PullPage,
  from: number,
  changed: Set<string>,
  { deferIndex, local, done, stopBefore, dropPersonal }: SliceOptions,
): number {
  const { soks } = deps;
  const cutoff = dropPersonal?.cutoff.toISOString();
  let i = from;
  while (i < page.changes.length) {
    // Checked here, a slice at a time: a malformed change fails the sync, and what the slice
    // wrote is rolled back with it.
    const change = ChangeSchema.parse(page.changes[i]);
    if (stopBefore?.(change)) break;
    i++;
    if (change.op === 'upsert') {
      const old =
        cutoff !== undefined && change.sok.status === 'closed' && change.sok.updatedAt < cutoff;
      replaceWithServerSok(deps, change.sok, {
        deferIndex,
        local,
        ...(old && dropPersonal ? { droppedAt: dropPersonal.at } : {}),
      });
      changed.add(change.sok.id);
    } else if (change.op === 'event') {
      deps.timeline.add(change.event);
      changed.add(change.event.sokId);
    } else if (change.op === 'receipt') {
      deps.timeline.putReceipt(change.receipt);
      changed.add(change.receipt.sokId);
    } else if (!local || deps.outbox.pendingForEntity(change.id).length === 0) {
      soks.remove(change.id);
      deps.timeline.removeFor(change.id);
      changed.add(change.id);
    }
    if (done()) break;
  }
  return i;
}
