/**
 * Tells every server instance that the change sequence moved, so live connections can push new
 * changes without polling. `publish` after the writing transaction commits; listeners get the
 * published cursor (and, after a reconnect, the current one, since notifications sent while
 * disconnected are lost). Delivery is at-most-once and may repeat cursors: listeners treat a
 * cursor only as "something up to here may be new".
 */
export type ChangeListener = (cursor: number) => void;

export interface ChangeNotifier {
  publish(cursor: number): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
  /**
   * Tells every instance that sessions or users changed (a logout, a revocation, a role or
   * organisation change), so cached sessions are dropped at once. After a lost connection the
   * listeners are called too, standing in for anything missed.
   */
  publishAuthChange(): Promise<void>;
  subscribeAuthChange(listener: () => void): () => void;
  close(): Promise<void>;
}

export type NotifierLog = (
  level: 'warn' | 'error' | 'info',
  message: string,
  error?: unknown,
) => void;

/** A set of listeners whose errors do not reach the publisher or each other. */
export class ListenerSet {
  readonly #listeners = new Set<ChangeListener>();

  constructor(private readonly log: NotifierLog = () => undefined) {}

  add(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(cursor: number): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(cursor);
      } catch (error) {
        this.log('error', 'change listener failed', error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** For SQLite: a single server process, so in-process delivery is all there is. */
export class InProcessChangeNotifier implements ChangeNotifier {
  readonly #listeners: ListenerSet;
  readonly #authListeners: ListenerSet;

  constructor(log?: NotifierLog) {
    this.#listeners = new ListenerSet(log);
    this.#authListeners = new ListenerSet(log);
  }

  publishAuthChange(): Promise<void> {
    this.#authListeners.emit(0);
    return Promise.resolve();
  }

  subscribeAuthChange(listener: () => void): () => void {
    return this.#authListeners.add(() => listener());
  }

  publish(cursor: number): Promise<void> {
    try {
      assertCursor(cursor);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    // Asynchronous like PostgreSQL's delivery, so no caller comes to rely on re-entrancy.
    queueMicrotask(() => this.#listeners.emit(cursor));
    return Promise.resolve();
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  close(): Promise<void> {
    this.#listeners.clear();
    this.#authListeners.clear();
    return Promise.resolve();
  }
}

export function assertCursor(cursor: number): void {
  if (!Number.isSafeInteger(cursor) || cursor < 0) {
    throw new RangeError(`change cursor must be a non-negative integer: ${cursor}`);
  }
}

/**
 * `publish` for many writers at once: while one publish is on its way, later calls wait and are
 * then covered by a single publish of the highest cursor asked for. Each call resolves once a
 * publish of at least its cursor, started after the call, has been made (or rejects with that
 * publish's error), so "publish after commit" holds for every caller.
 */
export function coalescingPublisher(notifier: ChangeNotifier): (cursor: number) => Promise<void> {
  let wanted = 0;
  let waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let sending = false;
  const send = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const cursor = wanted;
      try {
        await notifier.publish(cursor);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    sending = false;
  };
  return (cursor) => {
    try {
      assertCursor(cursor);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise<void>((resolve, reject) => {
      wanted = Math.max(wanted, cursor);
      waiting.push({ resolve, reject });
      if (!sending) void send();
    });
  };
}
