import type { PullPage } from '../../domain/sync';
import type { Db } from '../store/database';
import type { AdoptOutcome } from './seed';
import {
  applyPageSlice,
  BULK_LOAD_MAX_ROWS,
  changedSummary,
  type PageApplyDeps,
} from './page-apply';

/**
 * What the UI's thread and the store thread share (docs/sync.md, "The store thread"): the
 * messages, and the signal by which the UI thread's write transactions go first.
 */

/** Int32 slots of the shared signal. */
export const SIGNAL = {
  /** Write transactions of the UI thread waiting or running: the store thread commits and waits. */
  uiWrites: 0,
  /** 1 while the store thread is in a transaction. */
  storeTx: 1,
} as const;

export interface WorkerData {
  /** The desk's SQLite file. */
  file: string;
  /** Two Int32 slots (SIGNAL). */
  signal: SharedArrayBuffer;
}

/** Builds again the list indexes a bulk load left out (SokRepo.restoreListIndexes). */
export interface RestoreRequest {
  id: number;
  type: 'restore';
}

/** Copies a downloaded first-sync seed into the store (./seed.ts, adoptSeed). */
export interface AdoptRequest {
  id: number;
  type: 'adopt';
  seedFile: string;
  /** The user's scope, stored as a pull page's would be. */
  scope: string;
}

export interface StoreRequest {
  id: number;
  type: 'store';
  /** The pulled page's JSON, unparsed. */
  body: Uint8Array;
  /** The cursor the page was pulled after. */
  cursor: number;
  /** Longest transaction, ms, while the UI thread does not want to write. */
  sliceMs: number;
  /** KVKK: closed ŞÖKs changed before `cutoff` (ISO) are stored dropped at `at` (page-apply.ts). */
  dropPersonal: { cutoff: string; at: string };
}

export interface StoreOutcome {
  /** Where storing stopped: the page's length when all of it was stored. */
  next: number;
  /** ŞÖK ids changed, or '*' for many (or a scope change). */
  changed: string[] | '*';
  /** The stored cursor was no longer the one the page was pulled after: nothing stored. */
  stale: boolean;
  /**
   * Unsent local work appeared: the rest of the page, from `next` on, is for the engine's own
   * thread, which re-applies that work on top of the server's rows.
   */
  handOver: PullPage | null;
}

export type StoreReply =
  | { id: number; type: 'restored' }
  | { id: number; type: 'adopted'; outcome: AdoptOutcome }
  | { id: number; type: 'parsed'; cursor: number; more: boolean; size: number }
  | ({ id: number; type: 'done' } & StoreOutcome)
  | { id: number; type: 'error'; name: string; message: string };

/**
 * The store thread's turn to write: it announces itself, and steps back (waits) while the UI
 * thread writes or waits to. Together with `uiTurn` (Dekker's handshake on the two slots) only
 * one of the two is ever in a write transaction, and the UI thread's go first.
 */
export function storeTurn(signal: Int32Array): void {
  for (;;) {
    Atomics.store(signal, SIGNAL.storeTx, 1);
    const ui = Atomics.load(signal, SIGNAL.uiWrites);
    if (ui === 0) return;
    storeTurnEnd(signal);
    Atomics.wait(signal, SIGNAL.uiWrites, ui, 50);
  }
}

export function storeTurnEnd(signal: Int32Array): void {
  Atomics.store(signal, SIGNAL.storeTx, 0);
  Atomics.notify(signal, SIGNAL.storeTx);
}

/**
 * The UI thread's turn: it announces itself, then waits (at most `maxMs`) for the store thread to
 * commit what it is writing, which it does after the ŞÖK at hand.
 */
export function uiTurn(signal: Int32Array, maxMs: number): void {
  Atomics.add(signal, SIGNAL.uiWrites, 1);
  const until = performance.now() + maxMs;
  while (Atomics.load(signal, SIGNAL.storeTx) === 1) {
    const left = until - performance.now();
    if (left <= 0) return;
    Atomics.wait(signal, SIGNAL.storeTx, 1, left);
  }
}

export function uiTurnEnd(signal: Int32Array): void {
  Atomics.sub(signal, SIGNAL.uiWrites, 1);
  Atomics.notify(signal, SIGNAL.uiWrites);
}

/**
 * Stores a page (on the store thread) in transactions of at most `sliceMs`, each ended early as
 * soon as the UI thread wants to write, so it waits for the store's write lock about one ŞÖK's
 * work and a commit at most. Search rows are written with each ŞÖK: it is fully searchable from the
 * commit that stores it. The cursor moves with the page's last change (applyPageSlice).
 */
export function storeInSlices(
  db: Db,
  deps: PageApplyDeps,
  signal: Int32Array,
  page: PullPage,
  request: Pick<StoreRequest, 'cursor' | 'sliceMs' | 'dropPersonal'>,
): StoreOutcome {
  const changed = new Set<string>();
  const outcome = (next: number, stale = false, handOver: PullPage | null = null) => ({
    next,
    stale,
    handOver,
    changed: changedSummary(changed),
  });
  // A first sync of a big feed loads without the list indexes (built again by `restoreIndexes`).
  if (request.cursor === 0 && page.more) {
    storeTurn(signal);
    try {
      deps.soks.suspendListIndexes(BULK_LOAD_MAX_ROWS);
    } finally {
      storeTurnEnd(signal);
    }
  }
  const dropPersonal = {
    cutoff: new Date(request.dropPersonal.cutoff),
    at: new Date(request.dropPersonal.at),
  };
  let from = 0;
  for (let first = true; first || from < page.changes.length; first = false) {
    storeTurn(signal);
    const started = performance.now();
    const done = () =>
      Atomics.load(signal, SIGNAL.uiWrites) > 0 || performance.now() - started >= request.sliceMs;
    let local = false;
    let next: number;
    try {
      // BEGIN IMMEDIATE: this connection writes, so it takes the write lock before it reads.
      next = db.transaction(() => {
        // Read in the transaction: the agent may have changed something meanwhile. A ŞÖK with
        // unsent local work is for the UI thread, which applies that work on top again.
        const pending = deps.outbox.pendingEntities();
        return applyPageSlice(deps, page, request.cursor, from, changed, {
          deferIndex: false,
          local: false,
          done,
          dropPersonal,
          stopBefore: (change) => {
            const id =
              change.op === 'upsert' ? change.sok.id : change.op === 'remove' ? change.id : null;
            local = id !== null && pending.has(id);
            return local;
          },
        });
      })();
    } finally {
      storeTurnEnd(signal);
    }
    if (next < 0) return outcome(from, true);
    if (local) return outcome(next, false, page);
    from = next;
  }
  return outcome(from);
}

/**
 * Builds the list indexes a bulk load left out again, one per transaction (a sorted pass each, a
 * fraction of a second at 200,000 ŞÖKs), each in the store thread's turn.
 */
export function restoreIndexes(deps: Pick<PageApplyDeps, 'soks'>, signal: Int32Array): void {
  for (let left = 1; left > 0;) {
    storeTurn(signal);
    try {
      left = deps.soks.restoreListIndexes(1);
    } finally {
      storeTurnEnd(signal);
    }
  }
}
