import type WebSocket from 'ws';
import { REGISTERING_ROLES } from '../../domain/session';
import { ApiFailure, NetworkFailure, type ApiClient, type SessionStore } from '../api/http';
import type { EventHub } from '../events';
import type { Db } from '../store/database';
import type { EventRepo } from '../store/event-repo';
import type { RoutingRepo } from '../store/routing-repo';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from './config';
import { IndexingTrigger } from './indexing';
import { LiveSocket } from './live';
import { syncMeta, type SyncMeta } from './meta';
import type { NumberBlocks } from './number-blocks';
import { refillNumbers } from './number-leases';
import { pushAccessLog, type AccessLog } from './access-log';
import type { Outbox } from './outbox';
import { PagedPull } from './pull';
import { PushFailure, pushOutbox } from './push';
import type { StoreThread } from './store-thread';
import { dropOldPersonalData, refreshRoutingRules, refreshWorkflowSettings } from './refresh';
import { SyncScheduler, type RunOutcome } from './scheduler';
import { failureReason, SyncStatusBoard, type SyncStatus } from './status';

export { DEFAULT_SYNC_CONFIG, type SyncConfig } from './config';
export { describeError } from './push';
export type { ConnectionState, SyncStatus } from './status';

export interface SyncEngineDeps {
  db: Db;
  api: ApiClient;
  sessions: SessionStore;
  outbox: Outbox;
  /** The desk's access log (KVKK): sent after each push. */
  accessLog?: AccessLog;
  blocks: NumberBlocks;
  soks: SokRepo;
  timeline: EventRepo;
  routing: RoutingRepo;
  /** The callback workflow: its settings are refreshed with the routing rules. */
  workflow?: Workflow;
  events: EventHub;
  config?: Partial<SyncConfig>;
  log?: (message: string, error?: unknown) => void;
  /** Big pulled pages are stored there (./store-thread.ts); without it, on this thread. */
  thread?: StoreThread;
  /** Opens the live socket; injected so tests can drop or delay pokes. */
  openLive?: (url: string, token: string) => WebSocket;
  now?: () => Date;
}

/**
 * Keeps the local store and the central API in step (docs/sync.md): push the outbox, pull by
 * cursor, keep registration numbers in stock. This class only joins the parts (docs/sync.md,
 * "The client's sync engine, file by file"): when a run happens and how failures back off is
 * ./scheduler.ts; the steps of a run are ./push.ts, ./pull.ts, ./refresh.ts and
 * ./number-leases.ts; pokes come from ./live.ts, the desk's status is ./status.ts and indexing
 * after a run ./indexing.ts.
 */
export class SyncEngine {
  private readonly config: SyncConfig;
  private readonly meta: SyncMeta;
  private readonly scheduler: SyncScheduler;
  private readonly status: SyncStatusBoard;
  private readonly indexing: IndexingTrigger;
  private readonly live: LiveSocket;
  private readonly pulls: PagedPull;

  constructor(private readonly deps: SyncEngineDeps) {
    this.config = { ...DEFAULT_SYNC_CONFIG, ...deps.config };
    this.meta = syncMeta(deps.db);
    this.scheduler = new SyncScheduler({
      run: () => this.run(),
      config: this.config,
      onIdle: () => this.indexing.afterSync(),
    });
    const stopped = () => this.scheduler.isStopped();
    this.indexing = new IndexingTrigger(deps, () => this.scheduler.busy());
    this.live = new LiveSocket({
      api: deps.api,
      openLive: deps.openLive,
      auto: this.config.auto,
      stopped,
      onPoke: () => this.trigger(),
      onClose: () => this.scheduler.schedule(this.config.backoffMinMs),
    });
    this.pulls = new PagedPull({
      ...deps,
      meta: this.meta,
      config: this.config,
      stopped,
      whileWaiting: (waiting) => this.indexing.whileWaiting(waiting),
    });
    this.status = new SyncStatusBoard(
      deps,
      (this.meta.get.get('sync.lastSuccessAt') as string | undefined) ?? null,
    );
    this.refreshCounts();
  }

  start(): void {
    this.scheduler.start();
    this.indexing.start();
  }

  async stop(): Promise<void> {
    const stopped = this.scheduler.stop();
    this.indexing.stop();
    this.live.stop();
    await stopped;
    await this.deps.thread?.close();
  }

  getStatus(): SyncStatus {
    return this.status.get();
  }

  /** Ask for a sync as soon as possible (after a local change, a poke, a sign-in). */
  trigger(): void {
    this.scheduler.trigger();
  }

  /** Runs a full sync now (or right after the current one) and waits for it. */
  async syncNow(): Promise<void> {
    await this.scheduler.syncNow();
  }

  refreshCounts(): void {
    this.status.refreshCounts();
  }

  /** One sync run: push, pull, refresh the rules and settings, lease numbers. */
  private async run(): Promise<RunOutcome> {
    const { deps, config } = this;
    const session = deps.sessions.load();
    if (!session) {
      this.status.set({ state: 'signed-out' });
      return 'idle';
    }
    this.status.set({ state: 'syncing' });
    try {
      // A push that fails (the server down, or refusing the batch) does not hold back what
      // others changed: pull still runs, and the push's failure is reported after it.
      let pushFailure: unknown = null;
      try {
        await pushOutbox(deps, session.user.id, config.pushBatch, () => this.refreshCounts());
        if (deps.accessLog)
          await pushAccessLog({ ...deps, accessLog: deps.accessLog }, session.user.id);
      } catch (error) {
        if (endsSession(error)) throw error;
        pushFailure = error;
      }
      await this.pulls.pull();
      await refreshRoutingRules({ ...deps, meta: this.meta });
      await refreshWorkflowSettings(deps);
      await dropOldPersonalData({ ...deps, meta: this.meta });
      const numbersNote = REGISTERING_ROLES.has(session.user.role)
        ? await refillNumbers(
            {
              ...deps,
              threshold: config.numberRefillThreshold,
              afterLeasing: () => this.refreshCounts(),
            },
            session.user.id,
          )
        : null;
      if (pushFailure !== null) throw new PushFailure(pushFailure);
      const at = (deps.now?.() ?? new Date()).toISOString();
      this.meta.set.run('sync.lastSuccessAt', at);
      this.status.set({ state: 'online', lastSyncAt: at, lastError: numbersNote });
      this.live.ensure();
      return 'synced';
    } catch (error) {
      if (endsSession(error)) {
        this.status.set({ state: 'signed-out', lastError: error.userMessage ?? error.message });
        return 'idle';
      }
      const cause = error instanceof PushFailure ? error.cause : error;
      const transient =
        cause instanceof NetworkFailure || (cause instanceof ApiFailure && cause.status === 429);
      if (!transient) deps.log?.('sync failed', cause);
      this.status.set({ state: 'offline', lastError: failureReason(error) });
      return 'failed';
    }
  }
}

function endsSession(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure && (error.status === 401 || error.code === 'signed-out');
}
