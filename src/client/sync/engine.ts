import WebSocket from 'ws';
import type { MutationError, MutationResult, PullPage, SokWire } from '../../domain/sync';
import { ChangeSchema, PokeSchema } from '../../domain/sync';
import { REGISTERING_ROLES } from '../../domain/session';
import { t } from '../../domain/i18n/tr';
import { ApiFailure, NetworkFailure, type ApiClient, type SessionStore } from '../api/http';
import type { EventHub } from '../events';
import type { Db } from '../store/database';
import type { EventRepo } from '../store/event-repo';
import type { RoutingRepo } from '../store/routing-repo';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import { BackgroundIndexer } from './indexer';
import { applyLocally } from './local-apply';
import { isSokCommandKind } from '../../domain/workflow';
import type { NumberBlocks } from './number-blocks';
import type { Outbox } from './outbox';

export interface SyncConfig {
  /** Lease another block when fewer numbers than this remain. */
  numberRefillThreshold: number;
  pushBatch: number;
  pullPage: number;
  /** Background sync even without pokes. */
  pollIntervalMs: number;
  /**
   * Sync by itself (after local changes, on pokes, on a timer). Off only in tests that drive
   * every sync by hand with `syncNow`.
   */
  auto: boolean;
  backoffMinMs: number;
  backoffMaxMs: number;
  /**
   * A pulled page is stored in slices of about this many milliseconds, each its own
   * transaction, with the event loop free between them: a bridge request waits at most one slice.
   */
  pullSliceMs: number;
  /**
   * Called after each committed slice of a pulled page that is not its last (the page's
   * cursor not yet stored); tests use it to kill a desk mid-page.
   */
  afterPullSlice?: (stored: number, pageSize: number) => void;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  numberRefillThreshold: 20,
  pushBatch: 200,
  pullPage: 5000,
  pollIntervalMs: 30_000,
  auto: true,
  backoffMinMs: 1_000,
  backoffMaxMs: 30_000,
  pullSliceMs: 4,
};

/**
 * A first sync into a store holding at most this many ŞÖKs (e.g. a few registered offline) loads
 * without the list indexes and builds them at the end (SokRepo.suspendListIndexes).
 */
const BULK_LOAD_MAX_ROWS = 1000;
/** Pages with at least this many changes store their ŞÖKs without search rows (indexed later). */
const DEFER_INDEX_MIN_CHANGES = 200;
/** After a sync run, leave the store to the UI a moment before indexing again. */
const INDEX_AFTER_SYNC_MS = 250;

export type ConnectionState = 'online' | 'offline' | 'signed-out' | 'syncing';

export interface SyncStatus {
  state: ConnectionState;
  pending: number;
  /** Mutations of another user of this PC, pushed when they sign in again. */
  othersPending: number;
  rejected: number;
  lastSyncAt: string | null;
  lastError: string | null;
  numbersLeft: number;
}

export interface SyncEngineDeps {
  db: Db;
  api: ApiClient;
  sessions: SessionStore;
  outbox: Outbox;
  blocks: NumberBlocks;
  soks: SokRepo;
  timeline: EventRepo;
  routing: RoutingRepo;
  /** The callback workflow: its settings are refreshed with the routing rules. */
  workflow?: Workflow;
  events: EventHub;
  config?: Partial<SyncConfig>;
  log?: (message: string, error?: unknown) => void;
  /** Opens the live socket; injected so tests can drop or delay pokes. */
  openLive?: (url: string, token: string) => WebSocket;
  now?: () => Date;
}

const meta = (db: Db) => ({
  get: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
  set: db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
});

/**
 * Keeps the local store and the central API in step (docs/sync.md): push the outbox, pull by
 * cursor, keep registration numbers in stock. One run at a time; triggers that arrive during a
 * run schedule one more run. Network failures back off; nothing is ever dropped.
 */
export class SyncEngine {
  private readonly config: SyncConfig;
  private readonly meta: ReturnType<typeof meta>;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private backoff = 0;
  private live: WebSocket | null = null;
  private stopped = true;
  private status: SyncStatus;
  private readonly indexer: BackgroundIndexer;

  constructor(private readonly deps: SyncEngineDeps) {
    this.config = { ...DEFAULT_SYNC_CONFIG, ...deps.config };
    this.meta = meta(deps.db);
    this.indexer = new BackgroundIndexer({ ...deps, busy: () => this.running !== null });
    this.status = {
      state: deps.sessions.load() ? 'offline' : 'signed-out',
      pending: 0,
      othersPending: 0,
      rejected: 0,
      lastSyncAt: (this.meta.get.get('sync.lastSuccessAt') as string | undefined) ?? null,
      lastError: null,
      numbersLeft: 0,
    };
    this.refreshCounts();
  }

  start(): void {
    this.stopped = false;
    this.trigger();
    this.indexer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.indexer.stop();
    this.live?.terminate();
    this.live = null;
    await this.running?.catch(() => undefined);
  }

  getStatus(): SyncStatus {
    return { ...this.status };
  }

  /** Ask for a sync as soon as possible (after a local change, a poke, a sign-in). */
  trigger(): void {
    if (!this.stopped && this.config.auto) this.kick();
  }

  /** Runs a full sync now (or right after the current one) and waits for it. */
  async syncNow(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.indexer.schedule(INDEX_AFTER_SYNC_MS);
      }
    });
  }

  private async run(): Promise<void> {
    const session = this.deps.sessions.load();
    if (!session) {
      this.setStatus({ state: 'signed-out' });
      return;
    }
    this.setStatus({ state: 'syncing' });
    try {
      // A push that fails (the server down, or refusing the batch) does not hold back what
      // others changed: pull still runs, and the push's failure is reported after it.
      let pushFailure: unknown = null;
      try {
        await this.push(session.user.id);
      } catch (error) {
        if (endsSession(error)) throw error;
        pushFailure = error;
      }
      await this.pull();
      await this.refreshRoutingRules();
      await this.refreshWorkflowSettings();
      const numbersNote = REGISTERING_ROLES.has(session.user.role)
        ? await this.refillNumbers(session.user.id)
        : null;
      if (pushFailure !== null) throw new PushFailure(pushFailure);
      this.backoff = 0;
      const at = (this.deps.now?.() ?? new Date()).toISOString();
      this.meta.set.run('sync.lastSuccessAt', at);
      this.setStatus({ state: 'online', lastSyncAt: at, lastError: numbersNote });
      this.ensureLive();
      this.schedule(this.config.pollIntervalMs);
    } catch (error) {
      if (endsSession(error)) {
        this.setStatus({ state: 'signed-out', lastError: error.userMessage ?? error.message });
        return;
      }
      const cause = error instanceof PushFailure ? error.cause : error;
      const transient =
        cause instanceof NetworkFailure || (cause instanceof ApiFailure && cause.status === 429);
      if (!transient) this.deps.log?.('sync failed', cause);
      this.setStatus({ state: 'offline', lastError: failureReason(error) });
      this.backoff = Math.min(
        this.config.backoffMaxMs,
        Math.max(this.config.backoffMinMs, this.backoff * 2),
      );
      // Jitter keeps 200 desks from returning in lock-step after an outage.
      this.schedule(this.backoff * (0.75 + Math.random() * 0.5));
    }
  }

  private schedule(ms: number): void {
    if (this.stopped || !this.config.auto) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.trigger(), ms);
    this.timer.unref();
  }

  private async push(userId: string): Promise<void> {
    const { outbox, api } = this.deps;
    for (;;) {
      const batch = outbox.pending(userId, this.config.pushBatch);
      if (batch.length === 0) return;
      const response = await api.push(
        batch.map((m) => ({ id: m.mutationId, kind: m.kind, payload: m.payload })),
      );
      const byId = new Map(response.results.map((r) => [r.id, r]));
      let progressed = false;
      this.deps.db.transaction(() => {
        for (const m of batch) {
          const result = byId.get(m.mutationId);
          if (!result) continue;
          progressed = true;
          this.settle(m.mutationId, m.kind, m.entityId, result);
        }
      })();
      this.refreshCounts();
      if (!progressed) throw new NetworkFailure('push made no progress');
    }
  }

  /** Applies the server's answer to one mutation, in the caller's transaction. */
  private settle(mutationId: number, kind: string, entityId: string, result: MutationResult): void {
    const { outbox, soks, events } = this.deps;
    if (result.status === 'applied') {
      outbox.remove(mutationId);
      return;
    }
    outbox.markRejected(mutationId, result.error);
    // Roll the optimistic change back to the server's truth (or away, if the server has none),
    // whatever the command; the changes still queued for it are applied on top again.
    if (isSokCommandKind(kind)) {
      if (result.entity) this.applyServerSok(result.entity);
      else if (kind === 'sok.create' || result.error.code === 'not-found') soks.remove(entityId);
    }
    events.emit('sok.changed', { id: entityId });
    events.emit('sync.rejected', { mutationId, kind, message: describeError(result.error) });
  }

  private async pull(): Promise<void> {
    const { api, soks } = this.deps;
    const cursorNow = () => Number(this.meta.get.get('sync.cursor') ?? 0);
    let cursor = cursorNow();
    let next = api.pull(cursor, this.config.pullPage);
    let bulk = false;
    try {
      for (;;) {
        const page = await next;
        // Ask for the next page while this one is stored: the server and the network work on
        // it meanwhile. It is dropped if storing this one moves the cursor elsewhere (scope
        // change).
        const ahead = page.more ? api.pull(page.cursor, this.config.pullPage) : null;
        ahead?.catch(() => undefined);
        // A first sync of a big feed: load without the list indexes, build them at the end.
        if (!bulk && cursor === 0 && page.more) bulk = soks.suspendListIndexes(BULK_LOAD_MAX_ROWS);
        if (!(await this.storePage(page, cursor))) return;
        if (!page.more) return;
        const moved = cursorNow();
        next =
          ahead !== null && moved === page.cursor ? ahead : api.pull(moved, this.config.pullPage);
        cursor = moved;
      }
    } finally {
      // Built again in the background, one index at a time, as soon as the run is over (also
      // when the pull failed half-way); at once if nothing runs in the background.
      if (bulk && this.stopped) soks.restoreListIndexes();
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
          if (this.stopped) return false;
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
        if (next < page.changes.length) this.config.afterPullSlice?.(next, page.changes.length);
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
    const { soks } = this.deps;
    if (Number(this.meta.get.get('sync.cursor') ?? 0) !== cursor) return -1;
    if (from > 0 && this.meta.get.get('sync.scope') !== page.scope) return -1;
    if (from === 0) {
      const scope = this.meta.get.get('sync.scope') as string | undefined;
      if (scope !== undefined && scope !== page.scope && cursor > 0) {
        // What this user may see changed (new organisation or role): start over. Local work the
        // server has not seen stays.
        soks.removeAllSynced();
        this.deps.timeline.removeOrphans();
        this.meta.set.run('sync.scope', page.scope);
        this.meta.set.run('sync.cursor', '0');
        changed.add('*');
        return page.changes.length;
      }
      this.meta.set.run('sync.scope', page.scope);
    }
    // A bulk page (first sync, catching up) leaves the search rows for later.
    const deferIndex = page.changes.length >= DEFER_INDEX_MIN_CHANGES;
    // Unsent local work is re-applied on top of the server's rows; usually there is none. Read
    // per slice: the agent may have registered something between two slices.
    const local = this.deps.outbox.hasPending();
    const until = performance.now() + this.config.pullSliceMs;
    let i = from;
    while (i < page.changes.length) {
      // Checked here, a slice at a time: a malformed change fails the sync, and what the slice
      // wrote is rolled back with it.
      const change = ChangeSchema.parse(page.changes[i++]);
      if (change.op === 'upsert') {
        this.applyServerSok(change.sok, deferIndex, local);
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
      if (performance.now() >= until) break;
    }
    if (i === page.changes.length) this.meta.set.run('sync.cursor', String(page.cursor));
    return i;
  }

  /**
   * The server's version replaces the local one, then local changes the server has not seen yet
   * are applied on top again (a pending create means the server already has it: its answer was
   * lost, and its version wins).
   */
  private applyServerSok(sok: SokWire, deferIndex = false, local = true): void {
    this.deps.soks.upsertFromServer(sok, { deferIndex });
    if (!local) return;
    for (const m of this.deps.outbox.pendingForEntity(sok.id)) {
      applyLocally(m.kind, m.payload, new Date(m.createdAt), this.deps.workflow);
    }
  }

  /** Fetches the callback workflow's settings (calendar, policy) when they changed (ETag). */
  private async refreshWorkflowSettings(): Promise<void> {
    const workflow = this.deps.workflow;
    if (!workflow) return;
    const fresh = await this.deps.api.workflowSettings(workflow.etag());
    if (fresh === null) return;
    this.deps.db.transaction(() => workflow.replace(fresh.settings, fresh.etag))();
  }

  /** Fetches the routing rules when they changed (ETag), for offline previews. */
  private async refreshRoutingRules(): Promise<void> {
    const etag = (this.meta.get.get('routing.etag') as string | undefined) ?? null;
    const fresh = await this.deps.api.routingRules(etag);
    if (fresh === null) return;
    this.deps.db.transaction(() => {
      this.deps.routing.replace(fresh.rules);
      if (fresh.etag) this.meta.set.run('routing.etag', fresh.etag);
    })();
  }

  /**
   * Leases numbers until the stock is above the threshold. A lease the server refuses (this
   * user's limit, the number space nearly used up) is not a failed sync: ŞÖKs registered without
   * a number get theirs from the server. Returns why no number was leased, for the user.
   */
  private async refillNumbers(userId: string): Promise<string | null> {
    const { blocks, api } = this.deps;
    try {
      while (blocks.remaining(userId) < this.config.numberRefillThreshold) {
        const block = await api.leaseNumberBlock();
        blocks.add(block, userId);
      }
      return null;
    } catch (error) {
      if (error instanceof ApiFailure && (error.status === 409 || error.status === 429)) {
        return t('sync.numbersRefused', { reason: error.userMessage ?? error.message });
      }
      throw error;
    } finally {
      this.refreshCounts();
    }
  }

  private ensureLive(): void {
    if (this.live || this.stopped || !this.config.auto) return;
    void this.deps.api.accessToken().then((token) => {
      if (!token || this.live || this.stopped) return;
      const url = `${this.deps.api.baseUrl.replace(/^http/, 'ws')}/sync/live`;
      const ws = this.deps.openLive
        ? this.deps.openLive(url, token)
        : new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      this.live = ws;
      ws.on('message', (data) => {
        const poke = PokeSchema.safeParse(safeJson(data.toString()));
        if (poke.success) this.trigger();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        if (this.live === ws) this.live = null;
        // Reconnection follows the next successful sync (poll or backoff).
        if (!this.stopped) this.schedule(this.config.backoffMinMs);
      });
    });
  }

  refreshCounts(): void {
    const session = this.deps.sessions.load();
    const userId = session?.user.id ?? '';
    const counts = this.deps.outbox.counts(userId);
    this.setStatus({
      pending: counts.pending,
      othersPending: counts.othersPending,
      rejected: counts.rejected,
      numbersLeft: userId ? this.deps.blocks.remaining(userId) : 0,
    });
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    const changed = (Object.keys(next) as (keyof SyncStatus)[]).some(
      (k) => next[k] !== this.status[k],
    );
    this.status = next;
    if (changed) this.deps.events.emit('sync.status', next);
  }
}

/** A failed push, reported once the pull after it has run. */
class PushFailure extends Error {
  constructor(cause: unknown) {
    super('push failed', { cause });
    this.name = 'PushFailure';
  }
}

function endsSession(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure && (error.status === 401 || error.code === 'signed-out');
}

/** Why the last sync failed, in words for the user (never just "offline"). */
function failureReason(error: unknown): string {
  const push = error instanceof PushFailure;
  const cause = push ? error.cause : error;
  let reason: string;
  if (cause instanceof ApiFailure) reason = cause.userMessage ?? cause.message;
  else {
    // The API client words an answer it could not use as "… HTTP <status>".
    const status = cause instanceof NetworkFailure ? /HTTP (\d{3})$/.exec(cause.message) : null;
    reason = status ? t('sync.serverError', { status: status[1] ?? '' }) : t('sync.unreachable');
  }
  return push ? t('sync.pushFailed', { reason }) : reason;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function describeError(error: MutationError): string {
  const fields = error.fields ? Object.values(error.fields) : [];
  return fields.length > 0 ? `${error.message} ${fields.join(' ')}` : error.message;
}
