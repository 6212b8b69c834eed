import { sql } from 'kysely';
import type { Change } from '../../domain/sync';
import type { ServerDb } from '../db/open';
import type { ChangeNotifier } from '../changefeed/notifier';

/** A pull page as read for one visibility rule (the scope fingerprint is added per request). */
export interface PageRead {
  /** The change-sequence head in the snapshot the page was read in. */
  head: number;
  changes: Change[];
  cursor: number;
  more: boolean;
}

/** Pages kept, and the largest page kept (live tails are small; bulk pages are not reused). */
const PAGE_CACHE_ENTRIES = 64;
const PAGE_CACHE_MAX_CHANGES = 200;

/**
 * Shares pull pages between desks that ask for the same thing: after a poke every desk of a
 * scope asks for the changes after the same cursor. A page is keyed by (visibility rule, cursor,
 * limit) and reused for a request only when it was read at a change-sequence head at least as
 * new as the head the request saw when it arrived, so it is exactly the answer that request
 * would have read itself (a reader at head H sees every change up to H and none after).
 * Concurrent identical requests wait for one read.
 */
export class PageCache<P extends { head: number }> {
  readonly #entries = new Map<string, { page: Promise<P>; head: number | null }>();
  readonly #size: (page: P) => number;

  /** `size`: a page's number of changes (pages above PAGE_CACHE_MAX_CHANGES are not kept). */
  constructor(size: (page: P) => number) {
    this.#size = size;
  }

  async get(key: string, head: number, read: () => Promise<P>): Promise<P> {
    const known = this.#entries.get(key);
    if (known && (known.head === null || known.head >= head)) {
      try {
        const page = await known.page;
        if (page.head >= head) return page;
      } catch {
        // that read failed: make our own
      }
    }
    const mine: { page: Promise<P>; head: number | null } = { page: read(), head: null };
    this.#entries.delete(key);
    this.#entries.set(key, mine);
    if (this.#entries.size > PAGE_CACHE_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const drop = () => {
      if (this.#entries.get(key) === mine) this.#entries.delete(key);
    };
    try {
      const page = await mine.page;
      if (this.#size(page) > PAGE_CACHE_MAX_CHANGES) drop();
      else mine.head = page.head;
      return page;
    } catch (error) {
      drop();
      throw error;
    }
  }
}

/**
 * Reads the change-sequence head for many requests at once, each read having begun after the
 * request asked (so it is at least the head at the request's arrival, as PageCache needs): a
 * request that finds a read already running waits for the next one, which every request
 * arriving meanwhile shares. After a poke, the two hundred pulls of a busy call centre cost two
 * or three queries instead of two hundred.
 */
export class HeadReader {
  readonly #read: () => Promise<number>;
  #running: Promise<number> | null = null;
  #queued: Promise<number> | null = null;

  constructor(read: () => Promise<number>) {
    this.#read = read;
  }

  read(): Promise<number> {
    if (this.#queued !== null) return this.#queued;
    if (this.#running === null) return this.#start();
    const queued = this.#running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.#queued = null;
        return this.#start();
      });
    this.#queued = queued;
    return queued;
  }

  #start(): Promise<number> {
    const running = this.#read();
    this.#running = running;
    const done = () => {
      if (this.#running === running) this.#running = null;
    };
    running.then(done, done);
    return running;
  }
}

/** How long the instance gathers change notifications before it pokes. */
const POKE_COALESCE_MS = 5;
/** Beyond this many new sequence numbers, poke everyone rather than work out who is concerned. */
const POKE_SCOPE_MAX_SPAN = 20_000;

type Send = (seq: number) => void;

/**
 * Pokes the live sockets of this instance. Changes that land together (a ŞÖK, then its receipts
 * a moment later) make one poke. Desks that see everything are poked for every change; a desk
 * that sees its organisation's ŞÖKs only when a change in the range concerns that organisation
 * (a ŞÖK it sent or was sent, an event or a receipt of one, or a revocation addressed to it),
 * worked out with one query per poke for the whole instance. When that is not possible (first
 * poke, a huge range, a failed query) everyone is poked: a needless poke only costs a pull,
 * a missing one would delay a desk until its next poll.
 */
export class PokeRouter {
  readonly #db: ServerDb;
  readonly #onError: (error: unknown) => void;
  readonly #everything = new Set<Send>();
  readonly #byOrg = new Map<string, Set<Send>>();
  readonly #unsubscribe: () => void;
  #pending = 0;
  /** Changes up to here have been poked for (null: not known yet). */
  #done: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(db: ServerDb, notifier: ChangeNotifier, onError: (error: unknown) => void) {
    this.#db = db;
    this.#onError = onError;
    this.#unsubscribe = notifier.subscribe((cursor) => this.#notified(cursor));
  }

  /** Registers a socket: `org` null for a desk that sees everything. Returns the remover. */
  add(org: string | null, send: Send): () => void {
    if (org === null) {
      this.#everything.add(send);
      return () => this.#everything.delete(send);
    }
    let set = this.#byOrg.get(org);
    if (!set) {
      set = new Set();
      this.#byOrg.set(org, set);
    }
    set.add(send);
    return () => {
      set.delete(send);
      if (set.size === 0 && this.#byOrg.get(org) === set) this.#byOrg.delete(org);
    };
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #notified(cursor: number): void {
    this.#pending = Math.max(this.#pending, cursor);
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      void this.#poke();
    }, POKE_COALESCE_MS);
  }

  async #poke(): Promise<void> {
    const upTo = this.#pending;
    const from = this.#done;
    this.#done = Math.max(from ?? 0, upTo);
    for (const send of [...this.#everything]) send(upTo);
    if (this.#byOrg.size === 0) return;
    let orgs: Set<string> | null = null;
    if (from !== null && upTo - from <= POKE_SCOPE_MAX_SPAN) {
      if (upTo <= from) return; // nothing new (a repeated or late notification)
      try {
        orgs = await this.#orgsConcerned(from, upTo);
      } catch (error) {
        this.#onError(error);
      }
    }
    if (this.#closed) return;
    for (const [org, sockets] of this.#byOrg) {
      if (orgs === null || orgs.has(org)) for (const send of [...sockets]) send(upTo);
    }
  }

  /** Organisations that may see a change with sequence number in (from, upTo]. */
  async #orgsConcerned(from: number, upTo: number): Promise<Set<string>> {
    const { rows } = await sql<{ a: string | null; b: string | null }>`
      select origin_org as a, target_org as b from sok
        where change_seq > ${from} and change_seq <= ${upTo}
      union
      select s.origin_org, s.target_org from sok_event e join sok s on s.id = e.sok_id
        where e.change_seq > ${from} and e.change_seq <= ${upTo}
      union
      select s.origin_org, s.target_org from notification n join sok s on s.id = n.sok_id
        where n.change_seq > ${from} and n.change_seq <= ${upTo}
      union
      select org_code, null from access_revocation where seq > ${from} and seq <= ${upTo}
    `.execute(this.#db);
    const orgs = new Set<string>();
    for (const { a, b } of rows) {
      if (a !== null) orgs.add(a);
      if (b !== null) orgs.add(b);
    }
    return orgs;
  }
}
