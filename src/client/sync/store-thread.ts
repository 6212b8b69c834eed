import { Worker } from 'node:worker_threads';
import type { WriteGate } from '../store/database';
import {
  SIGNAL,
  uiTurn,
  uiTurnEnd,
  type StoreOutcome,
  type StoreReply,
  type WorkerData,
} from './store-protocol';
import type { AdoptOutcome } from './seed';

/** Starts the store thread's worker (./store-worker.ts); the host knows where its file is. */
export type SpawnStoreWorker = (data: WorkerData) => Worker;

/** Starts the bundled worker (dist/store-worker.mjs, scripts/build-node.mjs) at `file`. */
export const bundledStoreWorker =
  (file: string): SpawnStoreWorker =>
  (data) =>
    new Worker(file, { workerData: data });

export interface StoreThreadOptions {
  /** The desk's SQLite file. */
  file: string;
  spawn: SpawnStoreWorker;
  log?: (message: string, error?: unknown) => void;
}

/** Longest wait of a UI-thread transaction for the store thread's commit, ms (then SQLite's busy wait). */
const UI_WAIT_MAX_MS = 2000;

export interface PageHead {
  cursor: number;
  more: boolean;
  size: number;
}

interface Job {
  parsed: { resolve: (head: PageHead) => void; reject: (error: Error) => void };
  done: { resolve: (outcome: StoreOutcome) => void; reject: (error: Error) => void };
}

const NO_HEAD = { resolve: () => undefined, reject: () => undefined };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The UI thread's side of the store thread (docs/sync.md, "The store thread"): hands it pulled
 * pages as bytes and learns first the page's head (cursor, more), then what was stored. The UI
 * thread's write transactions go first: `gate` (set on its connection, see setWriteGate) tells
 * the store thread to commit and wait.
 * The worker starts with the first page and ends when the engine releases it (its pull is
 * over); if it dies, the pages it held fail (the sync run fails and is retried) and the next page
 * starts a new one.
 */
export class StoreThread {
  private worker: Worker | null = null;
  /** Set when a worker failed (not ended by us): pages are then stored on the UI thread. */
  private broken: Error | null = null;
  private readonly jobs = new Map<number, Job>();
  private readonly adoptions = new Map<number, ReturnType<typeof deferred<AdoptOutcome>>>();
  private nextId = 1;
  private readonly signal = new SharedArrayBuffer(8);
  private readonly slots = new Int32Array(this.signal);

  constructor(private readonly options: StoreThreadOptions) {}

  /** The UI connection's write gate. */
  readonly gate: WriteGate = {
    enter: () => uiTurn(this.slots, UI_WAIT_MAX_MS),
    leave: () => uiTurnEnd(this.slots),
  };

  /**
   * False once a worker failed to start or died: the engine stores pages on its own thread from
   * then on (the run that was storing fails and is retried).
   */
  usable(): boolean {
    return this.broken === null;
  }

  /**
   * Stores a pulled page (its JSON bytes, handed over) that was pulled after `cursor`, in
   * transactions of at most `sliceMs` (SyncConfig storeSliceMs); null when the worker cannot
   * start (the page is then the caller's to store, the bytes still its own).
   */
  store(
    body: Uint8Array,
    cursor: number,
    { sliceMs, dropPersonal }: { sliceMs: number; dropPersonal: { cutoff: Date; at: Date } },
  ): { head: Promise<PageHead>; done: Promise<StoreOutcome> } | null {
    const worker = this.ensure();
    if (worker === null) return null;
    const id = this.nextId++;
    const head = deferred<PageHead>();
    const done = deferred<StoreOutcome>();
    // Whoever awaits them hears a failure; one not awaited (the page's head failed, so `done` is
    // never awaited) must not be an unhandled rejection.
    head.promise.catch(() => undefined);
    done.promise.catch(() => undefined);
    this.jobs.set(id, { parsed: head, done });
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    worker.postMessage(
      {
        id,
        type: 'store',
        body,
        cursor,
        sliceMs,
        dropPersonal: {
          cutoff: dropPersonal.cutoff.toISOString(),
          at: dropPersonal.at.toISOString(),
        },
      },
      whole && body.buffer instanceof ArrayBuffer ? [body.buffer] : [],
    );
    return { head: head.promise, done: done.promise };
  }

  /**
   * Copies a downloaded first-sync seed into the store (./seed.ts, adoptSeed), on the worker so
   * the UI's thread keeps answering; null when the worker cannot start.
   */
  async adopt(seedFile: string, scope: string): Promise<AdoptOutcome | null> {
    const worker = this.ensure();
    if (worker === null) return null;
    const id = this.nextId++;
    const done = deferred<AdoptOutcome>();
    this.adoptions.set(id, done);
    worker.postMessage({ id, type: 'adopt', seedFile, scope });
    return done.promise;
  }

  /**
   * Builds the list indexes a bulk load on the store thread left out (at once if none are
   * missing); fails if the worker is gone, and the background indexer builds them instead.
   */
  async restoreListIndexes(): Promise<void> {
    if (!this.worker) return;
    const worker = this.worker;
    const id = this.nextId++;
    const done = deferred<StoreOutcome>();
    this.jobs.set(id, { parsed: NO_HEAD, done });
    worker.postMessage({ id, type: 'restore' });
    await done.promise;
  }

  /**
   * The engine has no more pages for now (its pull is over): the worker ends at once when it
   * holds none, and gives its memory back; the next big page starts another.
   */
  release(): void {
    if (this.jobs.size > 0 || this.adoptions.size > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = null;
    // It closes its connection and ends by itself; terminated if it has not within a second.
    worker.postMessage({ type: 'end' });
    setTimeout(() => void worker.terminate(), 1000).unref();
  }

  /** Ends the worker (waits for it). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('store thread closed'));
    if (worker) await worker.terminate();
  }

  private ensure(): Worker | null {
    if (this.worker) return this.worker;
    if (this.broken) return null;
    let worker: Worker;
    try {
      worker = this.options.spawn({ file: this.options.file, signal: this.signal });
    } catch (error) {
      this.broken = error instanceof Error ? error : new Error(String(error));
      this.options.log?.('store thread could not start; pages are stored on the UI thread', error);
      return null;
    }
    worker.on('message', (reply: StoreReply) => this.onReply(reply));
    const lost = (error: Error) => {
      // A worker that died in a transaction must not hold the UI thread's writes back.
      Atomics.store(this.slots, SIGNAL.storeTx, 0);
      Atomics.notify(this.slots, SIGNAL.storeTx);
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(error);
    };
    worker.on('error', (error) => {
      if (this.worker === worker) {
        this.broken = error;
        this.options.log?.('store thread failed; pages are stored on the UI thread', error);
      }
      lost(error);
    });
    worker.on('exit', (code) => lost(new Error(`store thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: StoreReply): void {
    const adoption = this.adoptions.get(reply.id);
    if (adoption) {
      this.adoptions.delete(reply.id);
      if (reply.type === 'adopted') adoption.resolve(reply.outcome);
      else if (reply.type === 'error') adoption.reject(new Error(reply.message));
      return;
    }
    const job = this.jobs.get(reply.id);
    if (!job) return;
    if (reply.type === 'restored') {
      this.jobs.delete(reply.id);
      job.done.resolve({ next: 0, changed: [], stale: false, handOver: null });
      return;
    }
    if (reply.type === 'parsed') {
      job.parsed.resolve({ cursor: reply.cursor, more: reply.more, size: reply.size });
      return;
    }
    this.jobs.delete(reply.id);
    if (reply.type === 'error') {
      const error = new Error(reply.message);
      error.name = reply.name;
      job.parsed.reject(error);
      job.done.reject(error);
    } else if (reply.type === 'done') {
      const { next, changed, stale, handOver } = reply;
      job.done.resolve({ next, changed, stale, handOver });
    }
  }

  private failAll(error: Error): void {
    for (const job of this.jobs.values()) {
      job.parsed.reject(error);
      job.done.reject(error);
    }
    this.jobs.clear();
    for (const adoption of this.adoptions.values()) adoption.reject(error);
    this.adoptions.clear();
  }
}
